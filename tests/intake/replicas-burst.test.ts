/**
 * Issue 13.3: 200 concurrent payloads for one grouping key across 3 replicas used to answer 111–115
 * times 500 ("timeout exceeded when trying to connect": every payload held a pool connection while it
 * waited for the key's lock) and /readyz answered 503 everywhere during the burst. Now same-key payloads
 * wait in memory, not on a connection; readiness has its own connection; overload answers 503 with
 * Retry-After; and the outcome is still one incident holding every alert once.
 */
import pg from 'pg';

import { MINIMAL_CATALOG_DIR } from '../support/app';
import { prerequisite } from '../support/binaries';
import {
  ensureBuilt,
  killHard,
  listening,
  PROCESS_WEBHOOK_TOKEN,
  spawnServe,
  type ServeProcess,
} from '../support/serve-process';
import { createTestDatabase, postgresAvailable } from '../support/stores';

const run = prerequisite('replica burst suite', 'a PostgreSQL server', postgresAvailable()) ? describe : describe.skip;
const REPLICAS = 3;
const PAYLOADS = 200;

const payload = (i: number) => ({
  version: '4',
  status: 'firing',
  receiver: 'opsdeck',
  groupKey: '{}:{alertname="BurstKey"}',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'BurstKey', instance: `i-${i}` },
      annotations: {},
      startsAt: '2026-12-05T10:00:00Z',
    },
  ],
});

run('same-key burst across three replicas on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const replicas: ServeProcess[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    ensureBuilt();
    for (let i = 0; i < REPLICAS; i += 1) {
      replicas.push(
        spawnServe({
          OPSDECK_DATABASE_URL: database.url,
          OPSDECK_CATALOG_DIR: MINIMAL_CATALOG_DIR,
        })
      );
    }
    urls.push(...(await Promise.all(replicas.map((replica) => listening(replica, 120_000)))));
  }, 180_000);
  afterAll(async () => {
    await Promise.all(replicas.map(killHard));
    await database.drop();
  });

  it('answers every payload 200 or 503 + Retry-After, keeps /readyz green, and stores each alert once', async () => {
    const readiness: number[] = [];
    let bursting = true;
    const probes = urls.map(async (url) => {
      while (bursting) {
        readiness.push((await fetch(`${url}/readyz`)).status);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    const send = async (i: number): Promise<number> => {
      const response = await fetch(`${urls[i % REPLICAS]}/api/v1/alerts/alertmanager`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PROCESS_WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload(i)),
      });
      if (response.status === 503) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        // As Alertmanager does: retry after a pause.
        await new Promise((resolve) => setTimeout(resolve, 500));
        return send(i);
      }
      return response.status;
    };
    const statuses = await Promise.all(Array.from({ length: PAYLOADS }, (_, i) => send(i)));
    bursting = false;
    await Promise.all(probes);

    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(readiness.length).toBeGreaterThan(0);
    expect(readiness.filter((status) => status !== 200)).toEqual([]);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const incidents = await client.query(
        "SELECT count(*)::int AS n FROM incidents WHERE title LIKE '%BurstKey%' OR grouping_key LIKE '%BurstKey%'"
      );
      expect(incidents.rows[0].n).toBe(1);
      const alerts = await client.query(
        "SELECT count(*)::int AS n FROM alerts WHERE labels->>'alertname' = 'BurstKey'"
      );
      expect(alerts.rows[0].n).toBe(PAYLOADS);
    } finally {
      await client.end();
    }
  }, 240_000);
});
