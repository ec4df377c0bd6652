/**
 * The property suite of issue 17, shared by the tests/hostile/fuzz-*.test.ts files (one per group of
 * endpoints, so that jest runs them on different workers): every write endpoint, path parameter and
 * filter is fed generated hostile input (./generators.ts). Every answer must be a 2xx or a 4xx error
 * envelope, never a 5xx. After each endpoint's run the rows it writes match its 2xx answers exactly
 * (one audit row per 2xx write, one note per 201 note, one approval per 201 request) and the audit
 * chain verifies.
 *
 * Cases per endpoint (issue 17 asks at least 10,000; `OPSDECK_FUZZ_RUNS=10000` is that full pass):
 * - embedded store: OPSDECK_FUZZ_RUNS, default 3,000;
 * - PostgreSQL: OPSDECK_FUZZ_PG_RUNS, default 500.
 * Why not 10,000 by default: the clean-clone CI run of 2026-12-05 took the node step from ~4 to ~12
 * minutes with 10,000/1,000, which breaks the project's 15-minute CI budget; 3,000/500 keeps it. Everything above the store is the same code on
 *   both; what differs is what the store refuses or rewrites (NUL, lone surrogates, long keys, JSONB),
 *   and each of those generator classes is drawn hundreds of times in 1,000 cases. 10,000 on both
 *   would double a cost that already sets the node step's length (measured numbers: tests/README.md).
 * Path parameters and filters share one property: its cases (as many) are spread over nine routes.
 * OPSDECK_FUZZ_SEED replays a failure (fast-check prints the seed and the shrunk counterexample).
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';

import type { StoreKind } from '../../../src/api/store';
import { ErrorEnvelope } from '../../../src/contract/common';
import { buildTestApp, type TestApp } from '../../support/app';
import {
  completeEvidence,
  headersFor,
  makeRemediationCatalog,
  OWN,
  ownScope,
  PERSONAS,
  requestBodies,
  seedIncident,
} from '../../support/remediation';
import { openTestStore, storeKinds, type TestStore } from '../../support/stores';
import { anAlert, anAlertmanagerPayload, aGrafanaPayload, webhookAuth } from '../../incidents/builders';
import { encodeSegment, hostileBody, hostileSegment, type Json } from './generators';

const SEED = process.env.OPSDECK_FUZZ_SEED ? Number(process.env.OPSDECK_FUZZ_SEED) : undefined;

/**
 * Cases go out BATCH at a time, concurrently (see the header): one property run is one batch, so
 * `numRuns` is the case count divided by BATCH, rounded up.
 */
export const BATCH = 10;
const batchesFor = (cases: number) => Math.ceil(cases / BATCH);
const inBatches = <T>(aCase: fc.Arbitrary<T>) => fc.array(aCase, { minLength: BATCH, maxLength: BATCH });

export const runsOn = (kind: StoreKind): number =>
  kind === 'embedded'
    ? Number(process.env.OPSDECK_FUZZ_RUNS ?? 3_000)
    : Number(process.env.OPSDECK_FUZZ_PG_RUNS ?? 500);

export type EndpointName =
  | 'POST /alerts/alertmanager'
  | 'POST /alerts/grafana'
  | 'POST /incidents/:id/notes'
  | 'POST /incidents/:id/transitions'
  | 'POST /incidents/:id/timeline'
  | 'POST /approvals'
  | 'POST /approvals/:id/decision'
  | 'POST /approvals/:id/feedback'
  | 'POST /admin/catalog/reload'
  | 'path parameters and filters';

/** One describe per store, with one test per named endpoint. */
export function fuzzSuite(title: string, only: EndpointName[]) {
  describe.each(storeKinds(title))(`${title} on %s`, (kind) => {
    const RUNS = runsOn(kind);
    // About 3 ms of CPU per case on a quiet core; the timeout allows for a loaded CI machine.
    const timeout = Math.max(120_000, RUNS * 60);
    let testStore: TestStore;
    let catalog: ReturnType<typeof makeRemediationCatalog>;
    let t: TestApp;
    let incidentId: string;
    let pendingId: string;
    let finishedId: string;

    const operator = headersFor(PERSONAS.operator, ownScope);
    const approver = headersFor(PERSONAS.approver, ownScope);
    const globalAdmin = headersFor(PERSONAS.globalAdmin, null);

    beforeAll(async () => {
      testStore = await openTestStore(kind);
      catalog = makeRemediationCatalog();
      t = await buildTestApp(testStore.store, {
        logLevel: 'warn',
        catalogDir: catalog.dir,
        env: { OPSDECK_REMEDIATION_INTERVAL_MS: '0' },
        extra: { remediation: { paused: true } },
      });
      incidentId = await seedIncident(testStore.store, OWN);
      const request = (body: object) =>
        t.app.inject({ method: 'POST', url: '/api/v1/approvals', headers: operator, payload: body });
      pendingId = (await request(requestBodies.r3(incidentId))).json().id;
      finishedId = (await request(requestBodies.r1(incidentId))).json().id;
      await testStore.store.query("UPDATE approvals SET status = 'succeeded' WHERE id = $1", [finishedId]);
    }, 60_000);

    afterAll(async () => {
      await t.app.close();
      await testStore.dispose();
      catalog.remove();
    });

    const count = async (sql: string) => Number((await testStore.store.query<{ n: number }>(sql)).rows[0].n);
    const auditRows = () => count('SELECT count(*)::int AS n FROM audit_log');

    function expectNoServerError(response: LightMyRequestResponse, what: string, sent?: string | Buffer) {
      if (
        response.statusCode >= 500 ||
        (response.statusCode >= 300 && !ErrorEnvelope.safeParse(safeJson(response)).success)
      ) {
        // The batch fast-check prints holds BATCH bodies: name the one that failed.
        const body = sent === undefined ? '' : `\n  for the body: ${JSON.stringify(sent.toString().slice(0, 300))}`;
        throw new Error(`${what} answered ${response.statusCode}: ${response.body.slice(0, 300)}${body}`);
      }
    }

    async function auditVerifies() {
      const verify = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: globalAdmin });
      expect(verify.json()).toMatchObject({ ok: true });
    }

    interface WriteEndpoint {
      name: EndpointName;
      url: () => string;
      headers: () => Record<string, string>;
      template: () => Json;
      fields: string[];
      /** SQL counting the rows one 2xx adds besides its audit row (checked to equal the 2xx count). */
      rows?: string;
    }

    const ENDPOINTS: WriteEndpoint[] = [
      {
        name: 'POST /alerts/alertmanager',
        url: () => '/api/v1/alerts/alertmanager',
        headers: () => webhookAuth,
        template: () =>
          anAlertmanagerPayload([anAlert({ labels: { alertname: 'Fuzz', signal_key: 'fuzz', run: 'a' } })]),
        fields: [
          'receiver',
          'groupKey',
          'status',
          'version',
          'truncatedAlerts',
          'alerts',
          'alerts.0',
          'alerts.0.labels',
          'alerts.0.labels.run',
          'alerts.0.labels.tenant',
          'alerts.0.annotations',
          'alerts.0.annotations.summary',
          'alerts.0.startsAt',
          'alerts.0.endsAt',
          'alerts.0.fingerprint',
          'alerts.0.status',
          'groupLabels',
          'externalURL',
        ],
      },
      {
        name: 'POST /alerts/grafana',
        url: () => '/api/v1/alerts/grafana',
        headers: () => webhookAuth,
        template: () => aGrafanaPayload([anAlert({ labels: { alertname: 'FuzzG', run: 'b' } })]),
        fields: [
          'receiver',
          'groupKey',
          'orgId',
          'version',
          'title',
          'message',
          'alerts.0.labels',
          'alerts.0.labels.run',
          'alerts.0.labels.project',
          'alerts.0.values',
          'alerts.0.valueString',
          'alerts.0.startsAt',
          'alerts.0.fingerprint',
        ],
      },
      {
        name: 'POST /incidents/:id/notes',
        url: () => `/api/v1/incidents/${incidentId}/notes`,
        headers: () => operator,
        template: () => ({ text: 'checked the relay' }),
        fields: ['text'],
        rows: "SELECT count(*)::int AS n FROM incident_timeline WHERE kind = 'note'",
      },
      {
        name: 'POST /incidents/:id/transitions',
        url: () => `/api/v1/incidents/${incidentId}/transitions`,
        headers: () => operator,
        template: () => ({ to: 'mitigating', note: 'on it' }),
        fields: ['to', 'note'],
      },
      {
        name: 'POST /incidents/:id/timeline',
        url: () => `/api/v1/incidents/${incidentId}/timeline`,
        headers: () => operator,
        template: () => ({ kind: 'runbook_opened', runbook_id: 'ops.outbox.relay' }),
        fields: ['kind', 'runbook_id', 'step_id', 'query_id', 'done'],
      },
      {
        name: 'POST /approvals',
        url: () => '/api/v1/approvals',
        headers: () => operator,
        template: () => requestBodies.r2(incidentId, completeEvidence()),
        fields: [
          'incident_id',
          'action_id',
          'parameters',
          'parameters.replicas',
          'parameters.reason',
          'evidence',
          'evidence.reasoning',
          'evidence.confidence',
          'evidence.risk_level',
          'evidence.impact_radius',
          'evidence.impact_radius.count',
          'evidence.impact_radius.resources',
          'evidence.rollback_strategy',
          'evidence.saved_query_ids',
          'evidence.environment',
        ],
        rows: 'SELECT count(*)::int AS n FROM approvals',
      },
      {
        name: 'POST /approvals/:id/decision',
        url: () => `/api/v1/approvals/${pendingId}/decision`,
        headers: () => approver,
        template: () => ({ decision: 'reject', comment: 'not now' }),
        fields: ['decision', 'comment'],
      },
      {
        name: 'POST /approvals/:id/feedback',
        url: () => `/api/v1/approvals/${finishedId}/feedback`,
        headers: () => operator,
        template: () => ({ outcome: 'helped', comment: 'it drained' }),
        fields: ['outcome', 'comment'],
      },
      {
        name: 'POST /admin/catalog/reload',
        url: () => '/api/v1/admin/catalog/reload',
        headers: () => globalAdmin,
        template: () => ({}),
        fields: ['force'],
      },
    ];

    const chosen = ENDPOINTS.filter((endpoint) => only.includes(endpoint.name));
    if (chosen.length > 0) {
      it.each(chosen.map((endpoint) => [endpoint.name, endpoint] as const))(
        '%s: never 5xx; rows and audit rows match the 2xx answers; the chain verifies',
        async (_name, endpoint) => {
          const auditBefore = await auditRows();
          const rowsBefore = endpoint.rows ? await count(endpoint.rows) : 0;
          let successes = 0;
          await fc.assert(
            fc.asyncProperty(inBatches(hostileBody(endpoint.template, endpoint.fields)), async (batch) => {
              const responses = await Promise.all(
                batch.map((raw) =>
                  t.app.inject({
                    method: 'POST',
                    url: endpoint.url(),
                    headers: {
                      ...endpoint.headers(),
                      ...(raw.contentType ? { 'content-type': raw.contentType } : {}),
                    },
                    payload: raw.payload,
                  })
                )
              );
              responses.forEach((response, i) => expectNoServerError(response, endpoint.name, batch[i].payload));
              successes += responses.filter((response) => response.statusCode < 300).length;
            }),
            { numRuns: batchesFor(RUNS), seed: SEED, endOnFailure: true }
          );
          expect(await auditRows()).toBe(auditBefore + successes);
          if (endpoint.rows) {
            expect(await count(endpoint.rows)).toBe(rowsBefore + successes);
          }
          await auditVerifies();
        },
        timeout
      );
    }

    (only.includes('path parameters and filters') ? it : it.skip)(
      'path parameters and filters: never 5xx',
      async () => {
        const routes = [
          (v: string) => ({ method: 'GET' as const, url: `/api/v1/incidents/${v}` }),
          (v: string) => ({ method: 'GET' as const, url: `/api/v1/approvals/${v}` }),
          (v: string) => ({ method: 'POST' as const, url: `/api/v1/incidents/${v}/notes`, payload: { text: 'x' } }),
          (v: string) => ({
            method: 'POST' as const,
            url: `/api/v1/approvals/${v}/decision`,
            payload: { decision: 'reject', comment: 'x' },
          }),
          (v: string) => ({
            method: 'GET' as const,
            url: `/api/v1/incidents?status=${v}&signal=${v}&tenant=${v}&cursor=${v}`,
          }),
          (v: string) => ({
            method: 'GET' as const,
            url: `/api/v1/approvals?incident_id=${v}&status=${v}&cursor=${v}&limit=${v}`,
          }),
          (v: string) => ({
            method: 'GET' as const,
            url: `/api/v1/audit?actor=${v}&target_id=${v}&from=${v}&cursor=${v}`,
          }),
          (v: string) => ({ method: 'GET' as const, url: `/api/v1/runbooks/${v}` }),
          (v: string) => ({ method: 'GET' as const, url: `/api/v1/correlations/${v}` }),
        ];
        const auditBefore = await auditRows();
        let successes = 0;
        const aCase = fc.tuple(fc.nat({ max: routes.length - 1 }), hostileSegment);
        await fc.assert(
          fc.asyncProperty(inBatches(aCase), async (batch) => {
            const requests = batch.map(([index, value]) => ({
              ...routes[index](encodeSegment(value)),
              headers: index === 3 ? approver : operator,
            }));
            const responses = await Promise.all(requests.map((request) => t.app.inject(request)));
            responses.forEach((response, i) => {
              const { method, url } = requests[i];
              expectNoServerError(response, `${method} ${url.slice(0, 120)}`);
              if (method === 'POST' && response.statusCode < 300) {
                successes += 1;
              }
            });
          }),
          { numRuns: batchesFor(RUNS), seed: SEED, endOnFailure: true }
        );
        expect(await auditRows()).toBe(auditBefore + successes);
        await auditVerifies();
      },
      timeout
    );
  });
}

function safeJson(response: LightMyRequestResponse): unknown {
  try {
    return response.json();
  } catch {
    return undefined;
  }
}
