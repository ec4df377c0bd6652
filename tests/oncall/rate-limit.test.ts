/**
 * The per-target rate limit holds across API processes (issue 11.4): two app instances on one store
 * (as two processes on one PostgreSQL) share one token bucket per target. Before the shared bucket,
 * each process kept its own and together they sent twice the configured rate.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { buildTestApp, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import { anAlert, anAlertmanagerPayload, ingest, movableClock, resetIncidents } from '../incidents/builders';
import { Receivers } from './receivers';
import { ONCALL_CATALOG_DIR } from './support';

const PD_KEY = 'R0UT1NGKEY0123456789ABCDEFGHIJKL';

describe.each(storeKinds('on-call rate limit'))('on-call rate limit across processes on %s', (kind) => {
  let testStore: TestStore;
  let first: TestApp;
  let second: TestApp;
  let catalogDir: string;
  const receivers = new Receivers('unused-secret-0123456789');
  const clock = movableClock();

  beforeAll(async () => {
    await receivers.start();
    // Slack at 3 pages a minute; PagerDuty unlimited for this test.
    catalogDir = mkdtempSync(path.join(tmpdir(), 'opsdeck-rate-'));
    cpSync(ONCALL_CATALOG_DIR, catalogDir, { recursive: true });
    const file = path.join(catalogDir, 'oncall.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(
          'webhook_url_env: OPSDECK_TEST_SLACK_URL }',
          'webhook_url_env: OPSDECK_TEST_SLACK_URL, rate_per_minute: 3 }'
        )
        .replace(
          'routing_key_env: OPSDECK_TEST_PD_KEY }',
          'routing_key_env: OPSDECK_TEST_PD_KEY, rate_per_minute: 100000 }'
        )
    );
    testStore = await openTestStore(kind);
    const options = {
      catalogDir,
      now: clock.now,
      env: { OPSDECK_GRAFANA_URL: 'https://grafana.example.com' },
      extra: {
        oncall: {
          paused: true,
          env: { OPSDECK_TEST_PD_KEY: PD_KEY, OPSDECK_TEST_SLACK_URL: `${receivers.url}/slack` },
          pagerDutyUrl: `${receivers.url}/v2/enqueue`,
        },
      },
    };
    first = await buildTestApp(testStore.store, options);
    second = await buildTestApp(testStore.store, options);
  }, 60_000);
  afterAll(async () => {
    await second.app.close();
    await first.app.close();
    await testStore.dispose();
    await receivers.stop();
    rmSync(catalogDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    clock.set('2026-11-23T10:00:30Z');
    await resetIncidents(first);
    await first.app.store.exec('DELETE FROM notification_rate_buckets');
    receivers.received.length = 0;
  });

  const openIncidents = async (from: number, count: number) => {
    for (let i = from; i < from + count; i += 1) {
      await ingest(
        first,
        anAlertmanagerPayload([anAlert({ labels: { ...anAlert().labels, signal_key: `rate_${i}` } })], {
          groupKey: `rate${i}`,
        })
      );
    }
  };

  it('two processes together send no more than the target rate, and the rest later', async () => {
    await openIncidents(0, 3);
    expect(await first.app.oncall.tick()).toMatchObject({ delivered: 6 });
    // The minute's three Slack tokens are spent: the other process must not send three more.
    await openIncidents(3, 3);
    expect(await second.app.oncall.tick()).toMatchObject({ delivered: 3 });
    expect(receivers.at('/slack')).toHaveLength(3);
    expect(receivers.at('/v2/enqueue')).toHaveLength(6);
    // Twenty seconds refill one token (3 a minute), whichever process asks.
    clock.advance(20);
    await Promise.all([first.app.oncall.tick(), second.app.oncall.tick()]);
    expect(receivers.at('/slack')).toHaveLength(4);
    clock.advance(40);
    await Promise.all([second.app.oncall.tick(), first.app.oncall.tick()]);
    expect(receivers.at('/slack')).toHaveLength(6);
    const { rows } = await first.app.store.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM notification_outbox GROUP BY status'
    );
    expect(rows).toEqual([{ status: 'delivered', n: 12 }]);
  });

  it('gives a held-back page back without spending an attempt', async () => {
    await openIncidents(0, 4);
    await first.app.oncall.tick();
    const { rows } = await first.app.store.query<{ attempts: number; next_attempt_at: string | Date }>(
      "SELECT attempts, next_attempt_at FROM notification_outbox WHERE status = 'pending'"
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].attempts).toBe(0);
    expect(new Date(rows[0].next_attempt_at).getTime() - clock.now().getTime()).toBe(20_000);
  });
});
