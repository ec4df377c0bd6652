/**
 * Issue 13.2: SIGTERM with a 3 s executor call in flight closed the pool first, so the result could not
 * be saved (the row stayed `running` until its lease ran out and another replica re-sent the call) and
 * the last request-log batch was dropped. The order now: stop accepting → finish in-flight requests →
 * let the worker record its in-flight executions → flush the request log → close the store.
 */
import { openPostgresStore } from '../../src/api/store/postgres';
import type { Store } from '../../src/api/store';
import { TEST_TOKEN } from '../support/app';
import { prerequisite } from '../support/binaries';
import {
  headersFor,
  makeRemediationCatalog,
  OWN,
  ownScope,
  PERSONAS,
  requestBodies,
  seedIncident,
  startTestExecutor,
  type TestExecutor,
} from '../support/remediation';
import { killHard, listening, spawnServe, type ServeProcess } from '../support/serve-process';
import { createTestDatabase, postgresAvailable } from '../support/stores';

const run = prerequisite('shutdown suite', 'a PostgreSQL server', postgresAvailable()) ? describe : describe.skip;

run('graceful shutdown on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let executor: TestExecutor;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  let server: ServeProcess;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase();
    executor = await startTestExecutor();
    catalog = makeRemediationCatalog();
  });
  afterAll(async () => {
    await killHard(server);
    await store?.close();
    await executor.close();
    await database.drop();
    catalog.remove();
  });

  it('records the in-flight execution once and keeps every answered request in the log', async () => {
    server = spawnServe({
      OPSDECK_API_TOKEN: TEST_TOKEN,
      OPSDECK_DATABASE_URL: database.url,
      OPSDECK_CATALOG_DIR: catalog.dir,
      OPSDECK_EXECUTOR_BASE_URL: executor.url,
      OPSDECK_EXECUTOR_TOKEN: 'executor-secret-token',
      OPSDECK_SHUTDOWN_TIMEOUT_MS: '30000',
    });
    const url = await listening(server, 120_000);
    store = await openPostgresStore(database.url, { max: 2 });
    const incidentId = await seedIncident(store, OWN);
    executor.delayMs = 3_000;

    const answered: string[] = [];
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { ...headersFor(PERSONAS.operator, ownScope), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      answered.push(response.headers.get('x-correlation-id')!);
      return response;
    };
    const requested = await call('POST', '/api/v1/approvals', requestBodies.r1(incidentId));
    expect(requested.status).toBe(201);
    const approvalId = ((await requested.json()) as { id: string }).id;
    // Requests answered just before the signal: they sit in the request log's buffer.
    for (let i = 0; i < 20; i += 1) {
      expect((await call('GET', `/api/v1/approvals/${approvalId}`)).status).toBe(200);
    }
    const started = Date.now();
    while (executor.calls.length === 0 && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(executor.calls).toHaveLength(1);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).not.toContain('Cannot use a pool after calling end');

    const execution = await store.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM executions WHERE approval_id = $1',
      [approvalId]
    );
    expect(execution.rows).toEqual([{ status: 'succeeded', attempts: 1 }]);
    expect(executor.effects).toHaveLength(1);
    const logged = await store.query<{ correlation_id: string }>(
      'SELECT correlation_id FROM request_log WHERE correlation_id = ANY($1::text[])',
      [answered]
    );
    expect(logged.rows.map((r) => r.correlation_id).sort()).toEqual([...answered].sort());
  }, 180_000);
});
