/**
 * The intake gate (intake/gate.ts): same-slot payloads take turns in memory, a bounded number run at
 * once, and overload answers 503 with Retry-After, writing nothing (issue 13.3).
 */
import { ErrorEnvelope } from '../../src/contract/common';
import { ApiError } from '../../src/api/errors';
import { createIntakeGate } from '../../src/api/intake/gate';
import { buildTestApp, TEST_WEBHOOK_TOKEN } from '../support/app';
import { openTestStore } from '../support/stores';

const never = () => new Promise<never>(() => undefined);
const gateOptions = { concurrency: 2, maxWaitMs: 100, maxQueued: 10, retryAfterSeconds: 2 };

describe('intake gate', () => {
  it('runs payloads of one slot one after another and payloads of other slots side by side', async () => {
    const gate = createIntakeGate({ ...gateOptions, maxWaitMs: 5_000 });
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name}:end`);
    };
    await Promise.all([gate.run([7], step('a', 50)), gate.run([7], step('b', 10)), gate.run([8], step('c', 10))]);
    expect(order.indexOf('b:start')).toBeGreaterThan(order.indexOf('a:end'));
    expect(order.indexOf('c:start')).toBeLessThan(order.indexOf('a:end'));
  });

  it('refuses with 503 and Retry-After after waiting maxWaitMs, and releases what it held', async () => {
    const gate = createIntakeGate(gateOptions);
    void gate.run([1], never);
    const refused = await gate.run([0, 1], async () => 'ran').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 503, code: 'overloaded', headers: { 'retry-after': '2' } });
    // Slot 0 was taken and given back while waiting for slot 1.
    expect(await gate.run([0], async () => 'ran')).toBe('ran');
  });

  it('refuses at once when maxQueued payloads already wait', async () => {
    const gate = createIntakeGate({ ...gateOptions, maxQueued: 2 });
    void gate.run([1], never);
    void gate.run([2], never);
    const started = Date.now();
    await expect(gate.run([3], async () => 'ran')).rejects.toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeLessThan(gateOptions.maxWaitMs);
  });

  it('answers an overloaded webhook 503 with Retry-After and the envelope, writing nothing', async () => {
    const { store, dispose } = await openTestStore('embedded');
    const t = await buildTestApp(store, { extra: { intakeGate: createIntakeGate({ ...gateOptions, maxQueued: 0 }) } });
    try {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/alerts/alertmanager',
        headers: { authorization: `Bearer ${TEST_WEBHOOK_TOKEN}` },
        payload: {
          version: '4',
          status: 'firing',
          receiver: 'opsdeck',
          groupKey: 'g',
          alerts: [{ status: 'firing', labels: { alertname: 'Overload' }, startsAt: '2026-12-05T10:00:00Z' }],
        },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('2');
      expect(ErrorEnvelope.parse(response.json()).code).toBe('overloaded');
      const { rows } = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts');
      expect(rows[0].n).toBe(0);
    } finally {
      await t.app.close();
      await dispose();
    }
  });
});
