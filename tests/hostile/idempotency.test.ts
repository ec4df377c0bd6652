/**
 * Issue 17 item 4, on both stores: a 5xx after COMMIT must not make a retry repeat an action.
 * - The answer of POST /approvals (and of decisions) is built inside the transaction: a store that
 *   fails right after COMMIT cannot turn a committed request into an error answer.
 * - POST /approvals accepts an Idempotency-Key: the same key and body give the same approval, once.
 * - The execution result is written with retries while the store is briefly away, instead of leaving
 *   the execution `running` until its lease runs out and the call is sent again.
 */
import type { Store } from '../../src/api/store';
import { Approval } from '../../src/contract/approvals';
import { ErrorEnvelope } from '../../src/contract/common';
import { buildTestApp, type TestApp } from '../support/app';
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
import { openTestStore, storeKinds, type TestStore } from '../support/stores';

const connectionLost = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });

/** The store, with switches that make it fail the way a saturated or restarting PostgreSQL does. */
function flakyStore(inner: Store) {
  const switches = { failReadsOfDecisions: false, failTransactions: 0 };
  const store: Store = {
    kind: inner.kind,
    exec: (script) => inner.exec(script),
    query: (text, params) => {
      // Reads outside a transaction after COMMIT (a fresh pool connection) fail under pool pressure.
      if (switches.failReadsOfDecisions && text.includes('FROM approval_decisions')) {
        return Promise.reject(connectionLost());
      }
      return inner.query(text, params);
    },
    transaction: (work) => {
      if (switches.failTransactions > 0) {
        switches.failTransactions -= 1;
        return Promise.reject(connectionLost());
      }
      return inner.transaction(work);
    },
    health: inner.health,
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return { store, switches };
}

describe.each(storeKinds('idempotency suite'))('retries never repeat an action on %s', (kind) => {
  let testStore: TestStore;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  let executor: TestExecutor;
  let flaky: ReturnType<typeof flakyStore>;
  let t: TestApp;
  let incidentId: string;
  const operator = headersFor(PERSONAS.operator, ownScope);

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    catalog = makeRemediationCatalog();
    executor = await startTestExecutor();
    flaky = flakyStore(testStore.store);
    t = await buildTestApp(flaky.store, {
      catalogDir: catalog.dir,
      env: {
        OPSDECK_REMEDIATION_INTERVAL_MS: '0',
        OPSDECK_EXECUTOR_BASE_URL: executor.url,
        OPSDECK_EXECUTOR_TOKEN: 'executor-secret-token',
      },
      extra: {
        remediation: {
          // Playing the store away right after the executor acted: the result write must survive it.
          fetch: async (input, init) => {
            const response = await fetch(input, init);
            if (String(input).startsWith(executor.url) && !String(input).includes('/api/v1/query')) {
              flaky.switches.failTransactions = 2;
            }
            return response;
          },
        },
      },
    });
    incidentId = await seedIncident(testStore.store, OWN);
  }, 60_000);

  afterAll(async () => {
    await t.app.close();
    await executor.close();
    await testStore.dispose();
    catalog.remove();
  });

  const approvalsOf = async () =>
    Number((await testStore.store.query<{ n: number }>('SELECT count(*)::int AS n FROM approvals')).rows[0].n);

  it('a store failing right after COMMIT does not turn a committed request into an error answer', async () => {
    const before = await approvalsOf();
    flaky.switches.failReadsOfDecisions = true;
    try {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/approvals',
        headers: operator,
        payload: requestBodies.r3(incidentId),
      });
      expect(response.statusCode).toBe(201);
      const approval = Approval.parse(response.json());
      expect(await approvalsOf()).toBe(before + 1);
      const { rows } = await testStore.store.query<{ id: string }>('SELECT id FROM approvals WHERE id = $1', [
        approval.id,
      ]);
      expect(rows).toHaveLength(1);
    } finally {
      flaky.switches.failReadsOfDecisions = false;
    }
  });

  it('the same Idempotency-Key and body answer the same approval, once; another body with it is 409', async () => {
    const before = await approvalsOf();
    const post = (body: object, key: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/approvals',
        headers: { ...operator, 'idempotency-key': key },
        payload: body,
      });
    const key = `retry-${kind}-01HZX8Q`;
    const first = await post(requestBodies.r3(incidentId), key);
    const again = await post(requestBodies.r3(incidentId), key);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(Approval.parse(again.json()).id).toBe(Approval.parse(first.json()).id);
    expect(await approvalsOf()).toBe(before + 1);

    const other = await post(requestBodies.r2(incidentId), key);
    expect(other.statusCode).toBe(409);
    expect(ErrorEnvelope.parse(other.json()).code).toBe('idempotency_key_reused');

    // Concurrent retries with one new key: one approval, every answer names it.
    const raceKey = `race-${kind}-01HZX8R`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(requestBodies.r3(incidentId), raceKey)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => Approval.parse(a.json()).id)).size).toBe(1);
    expect(await approvalsOf()).toBe(before + 2);

    const bad = await post(requestBodies.r3(incidentId), 'not a key!');
    expect(bad.statusCode).toBe(400);
  });

  it('an execution result is recorded through a brief store outage, and the executor is called once', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/approvals',
      headers: operator,
      payload: requestBodies.r1(incidentId),
    });
    expect(response.statusCode).toBe(201);
    const id = Approval.parse(response.json()).id;
    await t.app.remediation.idle();
    const { rows } = await testStore.store.query<{ status: string }>(
      'SELECT status FROM executions WHERE approval_id = $1',
      [id]
    );
    expect(rows[0].status).toBe('succeeded');
    expect(executor.calls.filter((call) => call.idempotencyKey === `opsdeck-approval-${id}`)).toHaveLength(1);
  });
});
