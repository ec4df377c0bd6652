/**
 * Issue 13 fault suite: three replicas on one PostgreSQL racing the same approval. Fifty approvers spread
 * over the replicas decide at once: one decision wins, the action runs exactly once, and every replica's
 * worker ticking afterwards finds nothing left to send.
 */
import { Approval } from '../../src/contract/approvals';
import { SHIPPED_ROLES } from '../../src/contract/capabilities';
import { migrate } from '../../src/api/store/migrator';
import { openPostgresStore } from '../../src/api/store/postgres';
import type { Store } from '../../src/api/store';
import { buildTestApp, type TestApp } from '../support/app';
import { prerequisite } from '../support/binaries';
import {
  APPROVERS_50,
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
import { createTestDatabase, postgresAvailable } from '../support/stores';

const run = prerequisite('approvals replicas suite', 'a PostgreSQL server', postgresAvailable())
  ? describe
  : describe.skip;
// Wednesday 12:00 in London (inside the policy's business hours).
const NOW = new Date('2026-07-15T11:00:00.000Z');

run('three replicas racing one approval', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let executor: TestExecutor;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  const stores: Store[] = [];
  const replicas: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    executor = await startTestExecutor();
    catalog = makeRemediationCatalog();
    for (let i = 0; i < 3; i += 1) {
      const store = await openPostgresStore(database.url, { max: 6 });
      await migrate(store);
      stores.push(store);
      replicas.push(
        await buildTestApp(store, {
          catalogDir: catalog.dir,
          now: () => NOW,
          env: {
            OPSDECK_EXECUTOR_BASE_URL: executor.url,
            OPSDECK_EXECUTOR_TOKEN: 'executor-secret-token',
            OPSDECK_PROMETHEUS_URL: executor.url,
            OPSDECK_REMEDIATION_INTERVAL_MS: '0',
          },
        })
      );
    }
  }, 60_000);
  afterAll(async () => {
    for (const t of replicas) {
      await t.app.close();
    }
    for (const store of stores) {
      await store.close();
    }
    await executor.close();
    await database.drop();
    catalog.remove();
  });

  it('lets one of 50 approvers on three replicas win and runs the action exactly once', async () => {
    const incidentId = await seedIncident(stores[0], OWN, { at: NOW });
    const requested = await replicas[0].app.inject({
      method: 'POST',
      url: '/api/v1/approvals',
      headers: headersFor(PERSONAS.operator, ownScope),
      payload: requestBodies.r2(incidentId),
    });
    expect(requested.statusCode).toBe(201);
    const approval = Approval.parse(requested.json());
    const responses = await Promise.all(
      APPROVERS_50.map((user, i) =>
        replicas[i % 3].app.inject({
          method: 'POST',
          url: `/api/v1/approvals/${approval.id}/decision`,
          headers: headersFor({ user, capabilities: SHIPPED_ROLES.Approver }, ownScope),
          payload: { decision: 'approve', comment: 'checked the evidence' },
        })
      )
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const t of replicas) {
      await t.app.remediation.idle();
    }
    await Promise.all(replicas.map((t) => t.app.remediation.tick()));
    const key = `opsdeck-approval-${approval.id}`;
    expect(executor.calls.filter((c) => c.idempotencyKey === key)).toHaveLength(1);
    const { rows } = await stores[0].query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM executions WHERE approval_id = $1',
      [approval.id]
    );
    expect(rows).toEqual([{ status: 'succeeded', attempts: 1 }]);
  });
});
