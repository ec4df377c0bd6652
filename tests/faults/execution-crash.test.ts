/**
 * Issue 13 fault suite: SIGTERM and kill -9 while an executor call is in flight, on PostgreSQL and on
 * the embedded store, with a real `opsdeck serve` that is then started again on the same data.
 *
 * - SIGTERM: the process waits for the call, records its result, and exits 0; the restarted process
 *   finds nothing to send (one executor call, recorded once).
 * - kill -9: nothing records the result, so the execution stays `running` under its lease. The lease
 *   (the action's timeout_ms + 60 s) is how long a restarted process waits before it may assume the
 *   first call is over; the test moves the lease into the past instead of waiting 90 s. The restarted
 *   process re-sends the call with the same Idempotency-Key, the executor answers it from that key
 *   without acting again (as executors must, docs/remediation-and-audit.md), and the result is recorded
 *   once: one effect, one `execution.succeeded` audit row, one `action_executed` timeline entry.
 */
import type { Store } from '../../src/api/store';
import { TEST_TOKEN } from '../support/app';
import { waitFor } from '../support/processes';
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
import { ensureBuilt, killHard, type ServeProcess } from '../support/serve-process';
import { storeKinds } from '../support/stores';
import { makePlace, serveOn, type Place } from './places';

const START_MS = 120_000;

describe.each(storeKinds('execution crash suite'))('an executor call in flight when the process stops (%s)', (kind) => {
  let executor: TestExecutor;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  const servers: ServeProcess[] = [];
  const places: Place[] = [];

  beforeAll(async () => {
    ensureBuilt();
    executor = await startTestExecutor();
    catalog = makeRemediationCatalog();
  }, START_MS);
  afterAll(async () => {
    await Promise.all(servers.map(killHard));
    await executor.close();
    await Promise.all(places.map((place) => place.remove()));
    catalog.remove();
  });

  const serve = (place: Place) =>
    serveOn(
      place,
      {
        OPSDECK_API_TOKEN: TEST_TOKEN,
        OPSDECK_CATALOG_DIR: catalog.dir,
        OPSDECK_EXECUTOR_BASE_URL: executor.url,
        OPSDECK_EXECUTOR_TOKEN: 'executor-secret-token',
        OPSDECK_SHUTDOWN_TIMEOUT_MS: '30000',
        OPSDECK_REMEDIATION_INTERVAL_MS: '500',
      },
      servers
    );

  /** A fresh place with one incident, a server on it, and an R1 request whose executor call is in flight. */
  async function callInFlight() {
    const place = await makePlace(kind);
    places.push(place);
    const incidentId = await place.use((store) => seedIncident(store, OWN));
    const { server, url } = await serve(place);
    executor.calls.length = 0;
    executor.effects.length = 0;
    executor.delayMs = 3_000;
    const requested = await fetch(`${url}/api/v1/approvals`, {
      method: 'POST',
      headers: { ...headersFor(PERSONAS.operator, ownScope), 'content-type': 'application/json' },
      body: JSON.stringify(requestBodies.r1(incidentId)),
    });
    expect(requested.status).toBe(201);
    const approvalId = ((await requested.json()) as { id: string }).id;
    await waitFor('the executor call', async () => (executor.calls.length > 0 ? true : null), 20_000);
    return { place, server, approvalId };
  }

  const recorded = (store: Store, approvalId: string) =>
    Promise.all([
      store.query<{ status: string; attempts: number }>(
        'SELECT status, attempts FROM executions WHERE approval_id = $1',
        [approvalId]
      ),
      store.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'execution.succeeded'",
        [approvalId]
      ),
      store.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM incident_timeline WHERE kind = 'action_executed' AND data->>'approval_id' = $1",
        [approvalId]
      ),
    ]).then(([execution, audit, timeline]) => ({
      execution: execution.rows.map((row) => ({ status: row.status, attempts: Number(row.attempts) })),
      audit: Number(audit.rows[0].n),
      timeline: Number(timeline.rows[0].n),
    }));

  it(
    'SIGTERM: the call finishes and is recorded before the exit; the restarted process sends nothing',
    async () => {
      const { place, server, approvalId } = await callInFlight();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(executor.calls).toHaveLength(1);
      expect(await place.use((store) => recorded(store, approvalId))).toEqual({
        execution: [{ status: 'succeeded', attempts: 1 }],
        audit: 1,
        timeline: 1,
      });

      const again = await serve(place);
      // The start-up tick and a few interval ticks have run: still one call.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      again.server.child.kill('SIGTERM');
      expect(await again.server.exited).toBe(0);
      expect(executor.calls).toHaveLength(1);
      expect(executor.effects).toHaveLength(1);
      expect((await place.use((store) => recorded(store, approvalId))).execution).toEqual([
        { status: 'succeeded', attempts: 1 },
      ]);
    },
    4 * START_MS
  );

  it(
    'kill -9: after restart and the lease, the call is re-sent with the same key; one effect, recorded once',
    async () => {
      const { place, server, approvalId } = await callInFlight();
      await killHard(server);
      // The executor finishes the work it was given; the killed process never hears the answer.
      await waitFor('the first call to finish', async () => (executor.effects.length === 1 ? true : null), 20_000);
      const left = await place.use(async (store) => {
        const state = await recorded(store, approvalId);
        // Time passes beyond the lease (timeout_ms + 60 s) without waiting for it.
        await store.query("UPDATE executions SET lease_until = now() - interval '1 second' WHERE approval_id = $1", [
          approvalId,
        ]);
        return state;
      });
      expect(left).toEqual({ execution: [{ status: 'running', attempts: 1 }], audit: 0, timeline: 0 });

      executor.delayMs = 0;
      const again = await serve(place);
      await waitFor('the re-sent call', async () => (executor.calls.length === 2 ? true : null), 30_000);
      // Stop gracefully so that the result is recorded before the test reads the store.
      again.server.child.kill('SIGTERM');
      expect(await again.server.exited).toBe(0);

      expect(executor.calls.map((call) => call.idempotencyKey)).toEqual([
        executor.calls[0].idempotencyKey,
        executor.calls[0].idempotencyKey,
      ]);
      expect(executor.effects).toEqual([executor.calls[0].idempotencyKey]);
      expect(await place.use((store) => recorded(store, approvalId))).toEqual({
        execution: [{ status: 'succeeded', attempts: 2 }],
        audit: 1,
        timeline: 1,
      });
    },
    4 * START_MS
  );
});
