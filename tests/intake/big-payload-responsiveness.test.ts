/**
 * Issue 17 item 7: a 10,000-alert payload stalled the event loop (/healthz took up to 1.1 s on
 * PostgreSQL and 5.7 s on the embedded store, whose PGlite runs the SQL in this very thread). The
 * intake now works in bounded chunks and yields between them, so the process keeps answering while it
 * ingests one big payload — which stays atomic for its sender.
 *
 * This is the behaviour asked for, so the test measures the longest event-loop stall during the
 * payload (perf_hooks.monitorEventLoopDelay, in this process, which is the server's) and the slowest
 * /healthz probe, against LOOP_STALL_BOUND_MS. Speed as such is not asserted: nothing here depends on
 * how fast the payload goes.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

import type { Store } from '../../src/api/store';
import { buildTestApp, TEST_WEBHOOK_TOKEN, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';

jest.setTimeout(240_000);

/**
 * Before the fix, on this worst-case payload: a 4.7 s stall on PostgreSQL, and on the embedded store
 * not one probe answered during the payload. After it, on the shared 2-core machine at load average
 * 17–22: 99–200 ms on PostgreSQL, 360–490 ms on the embedded store. The bound separates the two with
 * room for CI noise; the 100 ms target is checked by `npm run bench -- intake` (docs/operations-replicas.md).
 */
const LOOP_STALL_BOUND_MS = 1_000;
const ALERTS = 10_000;

/**
 * The worst case of one payload: 10,000 alerts of 10,000 distinct groups (10,000 incidents to open),
 * serialised once up front so that the test's own client does not stall the loop it measures. Short
 * labels: it must fit the 1 MiB body limit.
 */
const payload = (tag: string, { alerts = ALERTS, groups = ALERTS } = {}) =>
  JSON.stringify({
    version: '4',
    status: 'firing',
    receiver: 'opsdeck',
    groupKey: `big-${tag}`,
    alerts: Array.from({ length: alerts }, (_, i) => ({
      status: 'firing',
      labels: groups === alerts ? { alertname: `${tag}${i}` } : { alertname: `${tag}${i % groups}`, i: String(i) },
      startsAt: '2026-12-05T10:00:00Z',
    })),
  });

describe.each(storeKinds('big payload responsiveness suite'))('one 10,000-alert payload on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let t: TestApp;

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    store = testStore.store;
    t = await buildTestApp(store);
  });
  afterAll(async () => {
    await t?.app.close();
    await testStore?.dispose();
  });

  const post = (body: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/alerts/alertmanager',
      headers: { authorization: `Bearer ${TEST_WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
      payload: body,
    });

  it('keeps every other answer coming while it is ingested, and stays all-or-nothing', async () => {
    // Warm up the route (schema compilation, first statements) outside the measurement.
    expect((await post(payload('w', { alerts: 1_000 }))).statusCode).toBe(200);

    const body = payload('m');
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const health: Array<{ status: number; ms: number }> = [];
    let read: Promise<number> | null = null;
    let ticks = 0;
    let lastFired = performance.now();
    const timer = setInterval(() => {
      // Latency from when this probe was due (20 ms after the previous one), so a late timer counts too.
      const started = Math.min(performance.now(), lastFired + 20);
      lastFired = performance.now();
      void t.app.inject({ method: 'GET', url: '/healthz' }).then((response) => {
        health.push({ status: response.statusCode, ms: performance.now() - started });
      });
      ticks += 1;
      if (ticks === 3) {
        read = t.app
          .inject({ method: 'GET', url: '/api/v1/incidents?limit=5', headers: t.auth({ 'X-Project-ID': '*' }) })
          .then((response) => response.statusCode);
      }
    }, 20);
    delay.enable();
    const response = await post(body);
    delay.disable();
    clearInterval(timer);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ received: ALERTS, created: ALERTS });
    expect(await read).toBe(200);
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((answer) => answer.status === 200)).toBe(true);
    const stallMs = delay.max / 1e6;
    const slowestHealthMs = Math.max(...health.map((answer) => answer.ms));
    expect(stallMs).toBeLessThan(LOOP_STALL_BOUND_MS);
    expect(slowestHealthMs).toBeLessThan(LOOP_STALL_BOUND_MS);

    // Atomic for the sender: a re-delivery (Alertmanager retrying) creates nothing.
    const again = await post(body);
    expect(again.json()).toMatchObject({ received: ALERTS, created: 0, unchanged: ALERTS });
    const { rows } = await store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM alerts WHERE alertname LIKE 'm%'"
    );
    expect(rows[0].n).toBe(ALERTS);
  });

  it('a payload that fails half-way writes nothing', async () => {
    // 10,000 alerts in 50 groups: cheaper than 10,000 incidents, still many chunks before the failing one.
    const body = payload('f', { groups: 50 });
    // A trigger that refuses the alert of one instance deep inside the payload: the whole payload rolls back.
    await store.exec(`CREATE FUNCTION refuse_h9999() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.labels->>'i' = '9999' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_h9999 BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION refuse_h9999();`);
    try {
      const response = await post(body);
      expect(response.statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      await store.exec('DROP TRIGGER refuse_h9999 ON alerts; DROP FUNCTION refuse_h9999();');
    }
    const { rows } = await store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM alerts WHERE alertname LIKE 'f%'"
    );
    expect(rows[0].n).toBe(0);
    const retried = await post(body);
    expect(retried.json()).toMatchObject({ received: ALERTS, created: ALERTS });
  });
});
