/**
 * Issue 17.6: a payload of 10,000 alerts with 10,000 distinct grouping keys took 10,000 advisory locks
 * in one transaction. PostgreSQL's lock table holds max_locks_per_transaction × max_connections entries
 * shared by all sessions, so on a modest server such a payload failed with "out of shared memory" (and
 * on any server it crowded out every other session's locks). Keys now hash onto a fixed set of lock
 * slots, so a payload takes at most INTAKE_LOCK_SLOTS locks whatever its size.
 */
import { INTAKE_LOCK_SLOTS } from '../../src/api/incidents/repository';
import { openPostgresStore } from '../../src/api/store/postgres';
import { migrate } from '../../src/api/store/migrator';
import type { Store } from '../../src/api/store';
import { buildTestApp, TEST_WEBHOOK_TOKEN, type TestApp } from '../support/app';
import { prerequisite } from '../support/binaries';
import { postgresBinDir, startPgCluster, type PgCluster } from '../support/pg-cluster';

const run = prerequisite('intake lock bound suite', 'PostgreSQL server binaries', postgresBinDir() !== null)
  ? describe
  : describe.skip;

run('locks a payload takes', () => {
  let cluster: PgCluster;
  let store: Store;
  let t: TestApp;

  beforeAll(async () => {
    // A lock table of 40 × 64 = 2,560 entries: a small server, smaller than one payload's 10,000 keys.
    cluster = await startPgCluster({ settings: { max_connections: 40, max_locks_per_transaction: 64 } });
    store = await openPostgresStore(cluster.url, { max: 5 });
    await migrate(store);
    t = await buildTestApp(store);
  }, 120_000);
  afterAll(async () => {
    await t?.app.close();
    await store?.close();
    cluster?.remove();
  });

  it('ingests 10,000 alerts with 10,000 distinct keys in one payload under a bounded number of locks', async () => {
    const alerts = Array.from({ length: 10_000 }, (_, i) => ({
      status: 'firing',
      labels: { alertname: `K${i}` },
      startsAt: '2026-12-05T10:00:00Z',
    }));
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/alerts/alertmanager',
      headers: { authorization: `Bearer ${TEST_WEBHOOK_TOKEN}` },
      payload: { version: '4', status: 'firing', receiver: 'opsdeck', groupKey: 'many', alerts },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ received: 10_000, created: 10_000 });
    expect(INTAKE_LOCK_SLOTS).toBeLessThanOrEqual(1024);
  }, 180_000);
});
