/**
 * The property suite of issue 17: every write endpoint, path parameter and filter is fed generated
 * hostile input — NUL, lone surrogates, unnormalised Unicode, prototype-pollution keys, deep nesting,
 * huge strings and numbers, wrong content types and undecodable bytes — mutating valid bodies one field
 * at a time, and whole random bodies. Every answer must be a 2xx or a 4xx error envelope, never a 5xx.
 * After each endpoint's run the rows it writes match its 2xx answers exactly (one audit row per 2xx
 * write, one note per 201 note, one approval per 201 request) and the audit chain verifies.
 *
 * numRuns: the issue asks 10,000 cases per endpoint. Measured here (2 shared cores, both stores):
 * 300 per endpoint took 128 s, so 10,000 would take over an hour, far past CI's 15-minute budget for
 * everything. `npm test` therefore runs OPSDECK_FUZZ_RUNS=200 per endpoint and store (about 85 s);
 * set OPSDECK_FUZZ_RUNS=10000 for the full pass (and OPSDECK_FUZZ_SEED to replay a failure: fast-check
 * prints the seed and the shrunk counterexample).
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';

import { ErrorEnvelope } from '../../src/contract/common';
import { buildTestApp, type TestApp } from '../support/app';
import {
  completeEvidence,
  headersFor,
  makeRemediationCatalog,
  OWN,
  ownScope,
  PERSONAS,
  requestBodies,
  seedIncident,
} from '../support/remediation';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import { anAlert, anAlertmanagerPayload, aGrafanaPayload, webhookAuth } from '../incidents/builders';

const RUNS = Number(process.env.OPSDECK_FUZZ_RUNS ?? 200);
const SEED = process.env.OPSDECK_FUZZ_SEED ? Number(process.env.OPSDECK_FUZZ_SEED) : undefined;
jest.setTimeout(Math.max(120_000, RUNS * 200));

// ---------------------------------------------------------------------------------------------------
// Hostile values

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
const hostileText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 })).map((parts) => parts.join('')),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    '\ud83d',
    'e\u0301',
    '\u212b',
    '\ufb01',
    '\u202e\u2066',
    '\ufeff',
    '__proto__',
    'constructor',
    'prototype',
    '<img src=x onerror=alert(1)>',
    '../../etc/passwd',
    '%00',
    '\\u0000',
    "'; DROP TABLE audit_log; --",
    '',
    ' '
  ),
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n))
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 2 ** 64, -0, 5e-324, 0.1)
);
const hostileKey = fc.oneof(hostileText, fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'));
const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 })
  ),
}));
/** Nesting as deep as the 1 MiB body allows. */
const deepNesting = fc
  .integer({ min: 10, max: 120_000 })
  .chain((depth) =>
    fc.constantFrom(`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
  );

type Json = unknown;

function setPath(target: Json, path: string[], value: unknown): Json {
  if (path.length === 0) {
    return value;
  }
  const [head, ...rest] = path;
  const base = target !== null && typeof target === 'object' ? target : {};
  const copy: Record<string, unknown> = Array.isArray(base)
    ? ([...base] as unknown as Record<string, unknown>)
    : { ...base };
  Object.defineProperty(copy, head, {
    value: setPath((base as Record<string, unknown>)[head], rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

interface RawRequest {
  payload: string | Buffer;
  contentType: string | null;
}

/** A body for an endpoint: a valid one with one field made hostile, extra hostile keys, or something else entirely. */
function hostileBody(template: () => Json, fields: string[]): fc.Arbitrary<RawRequest> {
  const json = (value: unknown) => ({ payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' });
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...fields), hostileValue)
        .map(([field, value]) => json(setPath(template(), field.split('.'), value))),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...fields), hostileText)
        .map(([field, value]) => json(setPath(template(), field.split('.'), value))),
    },
    {
      weight: 2,
      arbitrary: fc
        .dictionary(hostileKey, hostileValue, { maxKeys: 3 })
        .map((extra) => json({ ...(template() as object), ...extra })),
    },
    { weight: 1, arbitrary: fc.constant(json(template())) },
    { weight: 1, arbitrary: hostileValue.map(json) },
    { weight: 1, arbitrary: deepNesting.map((payload) => ({ payload, contentType: 'application/json' })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{"__proto__":{"admin":true}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '{"a":1,"a":2}',
          '{',
          '[]',
          'null',
          '"x"',
          '1e999',
          '{"x":"\\ud800"}',
          '{"x":"\\u0000"}'
        )
        .map((payload) => ({ payload, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.uint8Array({ maxLength: 64 }),
          fc.constantFrom(
            'application/json',
            'application/json; charset=latin1',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            null
          )
        )
        .map(([bytes, contentType]) => ({ payload: Buffer.from(bytes), contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('text/plain', 'application/xml', 'application/json; charset=utf-16')
        .map((contentType) => ({
          payload: JSON.stringify(template()),
          contentType,
        })),
    }
  );
}

const hostileSegment = fc.oneof(
  hostileText.filter((s) => s.length < 2_000),
  fc.constantFrom('%00', '%ED%A0%80', '%C0%AF', '..%2F..', '%', '%zz')
);
const encodeSegment = (value: string) => {
  if (/^%/.test(value)) {
    return value;
  }
  try {
    return encodeURIComponent(value);
  } catch {
    // encodeURIComponent refuses lone surrogates: send their UTF-8-ish bytes raw as a browser might.
    return value
      .replace(/[\ud800-\udfff]/g, '%ED%A0%80')
      .replace(/[^A-Za-z0-9%._~-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').slice(-2)}`);
  }
};

// ---------------------------------------------------------------------------------------------------

describe.each(storeKinds('hostile input property suite'))('hostile input on %s', (kind) => {
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

  function expectNoServerError(response: LightMyRequestResponse, what: string) {
    if (
      response.statusCode >= 500 ||
      (response.statusCode >= 300 && !ErrorEnvelope.safeParse(safeJson(response)).success)
    ) {
      throw new Error(`${what} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
    }
  }

  async function auditVerifies() {
    const verify = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: globalAdmin });
    expect(verify.json()).toMatchObject({ ok: true });
  }

  interface WriteEndpoint {
    name: string;
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
      template: () => anAlertmanagerPayload([anAlert({ labels: { alertname: 'Fuzz', signal_key: 'fuzz', run: 'a' } })]),
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

  it.each(ENDPOINTS.map((endpoint) => [endpoint.name, endpoint] as const))(
    '%s: never 5xx; rows and audit rows match the 2xx answers; the chain verifies',
    async (_name, endpoint) => {
      const auditBefore = await auditRows();
      const rowsBefore = endpoint.rows ? await count(endpoint.rows) : 0;
      let successes = 0;
      await fc.assert(
        fc.asyncProperty(hostileBody(endpoint.template, endpoint.fields), async (raw) => {
          const response = await t.app.inject({
            method: 'POST',
            url: endpoint.url(),
            headers: { ...endpoint.headers(), ...(raw.contentType ? { 'content-type': raw.contentType } : {}) },
            payload: raw.payload,
          });
          expectNoServerError(response, endpoint.name);
          if (response.statusCode < 300) {
            successes += 1;
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true }
      );
      expect(await auditRows()).toBe(auditBefore + successes);
      if (endpoint.rows) {
        expect(await count(endpoint.rows)).toBe(rowsBefore + successes);
      }
      await auditVerifies();
    }
  );

  it('path parameters and filters: never 5xx', async () => {
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
      (v: string) => ({ method: 'GET' as const, url: `/api/v1/audit?actor=${v}&target_id=${v}&from=${v}&cursor=${v}` }),
      (v: string) => ({ method: 'GET' as const, url: `/api/v1/runbooks/${v}` }),
      (v: string) => ({ method: 'GET' as const, url: `/api/v1/correlations/${v}` }),
    ];
    const auditBefore = await auditRows();
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: routes.length - 1 }), hostileSegment, async (index, value) => {
        const request = routes[index](encodeSegment(value));
        const response = await t.app.inject({ ...request, headers: index === 3 ? approver : operator });
        expectNoServerError(response, `${request.method} ${request.url.slice(0, 120)}`);
        if (request.method === 'POST' && response.statusCode < 300) {
          successes += 1;
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true }
    );
    expect(await auditRows()).toBe(auditBefore + successes);
    await auditVerifies();
  });
});

function safeJson(response: LightMyRequestResponse): unknown {
  try {
    return response.json();
  } catch {
    return undefined;
  }
}
