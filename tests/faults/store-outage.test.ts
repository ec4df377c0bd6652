/**
 * Issue 17 items 1 and 5: PostgreSQL stopped under load (fast and immediate) must not end the process
 * and must not answer 500. Every request either succeeds or answers 503 with Retry-After in the error
 * envelope; when the server is back the API answers again by itself; every acknowledged note is
 * stored exactly once. Pool exhaustion answers 503 too.
 *
 * Runs on a throwaway cluster it starts (tests/support/pg-cluster.ts), never the shared server.
 */
import type { LightMyRequestResponse } from 'fastify';

import { ErrorEnvelope } from '../../src/contract/common';
import { openPostgresStore } from '../../src/api/store/postgres';
import { isStoreUnavailable } from '../../src/api/store/errors';
import { migrate } from '../../src/api/store/migrator';
import type { Store } from '../../src/api/store';
import { buildTestApp, type TestApp } from '../support/app';
import { binaryAvailable } from '../support/binaries';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';
import { seedIncident } from '../support/remediation';
import { everyProject, INCIDENTS_CATALOG_DIR } from '../incidents/builders';

const WORKERS = 16;
const run = binaryAvailable('store outage suite', 'pg_ctl') ? describe : describe.skip;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tally {
  statuses: Map<number, number>;
  acknowledgedNotes: string[];
  bad: string[];
}

function record(tally: Tally, response: LightMyRequestResponse, what: string) {
  tally.statuses.set(response.statusCode, (tally.statuses.get(response.statusCode) ?? 0) + 1);
  if (response.statusCode >= 500) {
    const envelope = ErrorEnvelope.safeParse(response.json());
    if (response.statusCode !== 503 || !envelope.success || response.headers['retry-after'] === undefined) {
      tally.bad.push(`${what} → ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
  }
}

run('PostgreSQL lost under load', () => {
  let cluster: PgCluster;
  let store: Store;
  let t: TestApp;
  let incidentId: string;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    cluster = await startPgCluster();
    store = await openPostgresStore(cluster.url, { max: 8, connectionTimeoutMillis: 1_000 });
    await migrate(store);
    t = await buildTestApp(store, { catalogDir: INCIDENTS_CATALOG_DIR });
    incidentId = await seedIncident(store, { tenant: 'platform', project: 'platform' });
  }, 120_000);

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await t?.app.close();
    await store?.close();
    cluster?.remove();
  });

  /** 16 workers writing notes (transactions) and listing incidents (pool queries) until `stop()`. */
  function load(tally: Tally, label: string) {
    let running = true;
    let sequence = 0;
    const worker = async (index: number) => {
      while (running) {
        sequence += 1;
        const text = `${label} note ${index}-${sequence}`;
        const write = await t.app.inject({
          method: 'POST',
          url: `/api/v1/incidents/${incidentId}/notes`,
          headers: t.auth(everyProject),
          payload: { text },
        });
        record(tally, write, `POST note ${text}`);
        if (write.statusCode === 201) {
          tally.acknowledgedNotes.push(text);
        }
        const read = await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: t.auth(everyProject) });
        record(tally, read, 'GET incidents');
        await sleep(5);
      }
    };
    const all = Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
    return {
      async stop() {
        running = false;
        await all;
      },
    };
  }

  async function untilAnswering(deadlineMs: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < deadlineMs) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: t.auth(everyProject) });
      if (response.statusCode === 200) {
        return Date.now() - started;
      }
      await sleep(100);
    }
    throw new Error(`the API did not answer 200 within ${deadlineMs} ms of PostgreSQL's restart`);
  }

  it.each(['fast', 'immediate'] as const)(
    'pg_ctl stop -m %s: 503 with Retry-After while down, no exit, recovery after the restart, acknowledged notes kept',
    async (mode) => {
      const tally: Tally = { statuses: new Map(), acknowledgedNotes: [], bad: [] };
      const traffic = load(tally, mode);
      await sleep(400);
      cluster.stop(mode);
      await sleep(1_500);
      cluster.start();
      const recoveredInMs = await untilAnswering(15_000);
      await sleep(300);
      await traffic.stop();

      expect(uncaught).toEqual([]);
      expect(tally.bad).toEqual([]);
      expect(tally.statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect(tally.statuses.get(201) ?? 0).toBeGreaterThan(0);
      expect(recoveredInMs).toBeLessThan(15_000);
      // Every note acknowledged with 201 is stored, once.
      const { rows } = await store.query<{ text: string; n: number }>(
        `SELECT data->>'text' AS text, count(*)::int AS n FROM incident_timeline
          WHERE incident_id = $1 AND kind = 'note' GROUP BY 1`,
        [incidentId]
      );
      const stored = new Map(rows.map((row) => [row.text, row.n]));
      const missing = tally.acknowledgedNotes.filter((text) => stored.get(text) !== 1);
      expect(missing).toEqual([]);
      const verify = await t.app.inject({
        method: 'GET',
        url: '/api/v1/audit/verify',
        headers: t.auth({ 'x-opsdeck-capability': 'catalog:admin', 'x-grafana-user': 'auditor' }),
      });
      expect(verify.json()).toMatchObject({ ok: true });
    },
    90_000
  );

  it('a connection lost while a transaction holds it idle is released as broken, not an uncaught error', async () => {
    const holding = store.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await sleep(1_000);
      await tx.query('SELECT 1');
    });
    const outcome = holding.then(
      () => null,
      (error: unknown) => error
    );
    await sleep(200);
    cluster.stop('immediate');
    await sleep(200);
    cluster.start();
    const error = await outcome;
    expect(uncaught).toEqual([]);
    expect(isStoreUnavailable(error)).toBe(true);
    // The broken client left the pool: the next transactions get fresh connections.
    for (let i = 0; i < 10; i += 1) {
      await expect(store.transaction((tx) => tx.query('SELECT 1'))).resolves.toBeDefined();
    }
  });

  it('pool exhaustion answers 503 with Retry-After, never 500', async () => {
    const small = await openPostgresStore(cluster.url, { max: 1, connectionTimeoutMillis: 300 });
    const app = await buildTestApp(small, { catalogDir: INCIDENTS_CATALOG_DIR });
    let release!: () => void;
    const held = small.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    try {
      await sleep(50);
      const response = await app.app.inject({
        method: 'GET',
        url: '/api/v1/incidents',
        headers: app.auth(everyProject),
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(ErrorEnvelope.parse(response.json()).code).toBe('store_unavailable');
    } finally {
      release();
      await held;
      await app.app.close();
      await small.close();
    }
  });
});
