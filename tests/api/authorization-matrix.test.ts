/**
 * The authorization matrix: every route the running app registered × every persona × (own project,
 * other project, no project), each cell asserting its status. The expected policy of each route is
 * written down here, independently of the code: a new route without an expectation fails, and so does
 * a route whose declared auth drifts from it. Then: no GET route shows another project's data to a
 * member of one project, and every mutating request that succeeds wrote exactly one audit row.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

import { Approval } from '../../src/contract/approvals';
import type { Role } from '../../src/contract/common';
import type { NoteRequest, TransitionRequest } from '../../src/contract/incidents';
import type { RouteAuth } from '../../src/api/plugins/auth';
import { buildTestApp, TEST_WEBHOOK_TOKEN } from '../support/app';
import {
  headersFor,
  makeRemediationCatalog,
  OTHER,
  otherScope,
  OWN,
  ownScope,
  PERSONAS,
  requestBodies,
  seedIncident,
  startTestExecutor,
  type Persona,
  type TestExecutor,
} from '../support/remediation';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';

jest.setTimeout(120_000);

/**
 * The policy: what each route requires. `public` needs nothing, `webhook` the webhook token; otherwise
 * the service token, the role, and (`scoped`) an X-Project-ID the caller is a member of.
 */
type Expectation = 'public' | 'webhook' | { role: Role; scoped: boolean | 'optional' };
const viewer = (scoped: boolean | 'optional'): Expectation => ({ role: 'viewer', scoped });
const EXPECTED: Record<string, Expectation> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  // access (issue 5)
  'GET /api/v1/me': viewer(false),
  // remediation and audit (issue 5)
  'GET /api/v1/actions': viewer(true),
  'GET /api/v1/approvals': viewer(true),
  'GET /api/v1/approvals/:id': viewer(true),
  'POST /api/v1/approvals': { role: 'operator', scoped: true },
  'POST /api/v1/approvals/:id/decision': { role: 'approver', scoped: true },
  'POST /api/v1/approvals/:id/feedback': { role: 'operator', scoped: true },
  'GET /api/v1/audit': viewer(true),
  'GET /api/v1/audit/verify': { role: 'admin', scoped: false },
  // catalog (issue 3): global content, readable by anyone with the token
  'GET /api/v1/admin/runbooks': viewer(false),
  'GET /api/v1/admin/runbooks/:runbook_id': viewer(false),
  'GET /api/v1/signals': viewer(false),
  'GET /api/v1/signals/:signal_key/runbooks': viewer(false),
  'GET /api/v1/queries': viewer(false),
  'GET /api/v1/queries/:query_id': viewer(false),
  'GET /api/v1/queries/:query_id/explore-url': viewer(false),
  'POST /api/v1/admin/catalog/reload': { role: 'admin', scoped: false },
  // intake, incidents, overview, correlation (issue 4)
  'POST /api/v1/alerts/alertmanager': 'webhook',
  'POST /api/v1/alerts/grafana': 'webhook',
  'GET /api/v1/incidents': viewer(true),
  'GET /api/v1/incidents/:id': viewer(true),
  'POST /api/v1/incidents/:id/transitions': { role: 'operator', scoped: true },
  'POST /api/v1/incidents/:id/notes': { role: 'operator', scoped: true },
  'POST /api/v1/incidents/:id/timeline': { role: 'operator', scoped: true },
  // reads across projects: X-Project-ID optional only for callers who may see every project
  'GET /api/v1/admin/ops/overview': viewer('optional'),
  'GET /api/v1/correlations/:correlation_id': viewer(true),
  // status updates and feed (issue 12)
  'GET /api/v1/incidents/:id/updates': viewer(true),
  'POST /api/v1/incidents/:id/updates': { role: 'operator', scoped: true },
  'GET /api/v1/status': viewer(true),
  'GET /api/v1/status/feed.atom': viewer(true),
  // postmortems (issue 12)
  'GET /api/v1/incidents/:id/postmortem': viewer(true),
  'POST /api/v1/incidents/:id/postmortem': { role: 'operator', scoped: true },
  'PUT /api/v1/incidents/:id/postmortem': { role: 'operator', scoped: true },
  'GET /api/v1/incidents/:id/postmortem/export': viewer(true),
  'GET /api/v1/postmortems/action-items': viewer(true),
  'POST /api/v1/postmortems/action-items/:id': { role: 'operator', scoped: true },
  'GET /api/v1/postmortems/obligations': viewer(true),
  // recommendations (issue 12)
  'GET /api/v1/incidents/:id/recommendations': viewer(true),
  'POST /api/v1/incidents/:id/recommendations/overrides': { role: 'operator', scoped: true },
  'GET /api/v1/kpis': viewer(true),
  // SLOs (issue 7)
  'GET /api/v1/slos/status': viewer(false),
};

type PersonaName = 'viewer' | 'operator' | 'approver' | 'admin' | 'globalAdmin';
type ScopeName = 'own' | 'other' | 'none';
const PERSONA_NAMES: PersonaName[] = ['viewer', 'operator', 'approver', 'admin', 'globalAdmin'];
const SCOPES: Record<ScopeName, string | null> = { own: ownScope, other: otherScope, none: null };

/**
 * Each persona's role per scope, written out by hand (the oracle; not computed by the code under test).
 * Without X-Project-ID the role is the Grafana role's (Editor → operator), raised only by global grants.
 */
const ROLE_IN: Record<PersonaName, Record<ScopeName, Role | null>> = {
  viewer: { own: 'viewer', other: null, none: 'viewer' },
  operator: { own: 'operator', other: null, none: 'operator' },
  approver: { own: 'approver', other: null, none: 'operator' },
  admin: { own: 'admin', other: null, none: 'operator' },
  globalAdmin: { own: 'admin', other: 'admin', none: 'admin' },
};
const RANK: Record<Role, number> = { viewer: 1, operator: 2, approver: 3, admin: 4 };

/** `authorized` for routes of other issues whose success needs fixtures this test does not build. */
type Outcome = { status: number; code?: string } | 'authorized';

function expectedOutcome(expectation: Expectation, persona: PersonaName | 'noToken', scope: ScopeName): Outcome {
  if (expectation === 'public') {
    return 'authorized';
  }
  if (expectation === 'webhook' || persona === 'noToken') {
    // Personas carry the service token, which is not the webhook token.
    return { status: 401, code: 'unauthenticated' };
  }
  if (expectation.scoped === true && scope === 'none') {
    return { status: 400, code: 'invalid_request' };
  }
  if (expectation.scoped === 'optional' && scope === 'none' && persona !== 'globalAdmin') {
    return { status: 400, code: 'invalid_request' };
  }
  const role = ROLE_IN[persona][scope];
  if (role === null || RANK[role] < RANK[expectation.role]) {
    return { status: 403, code: 'insufficient_permissions' };
  }
  return 'authorized';
}

const declaredAsExpectation = (auth: RouteAuth): Expectation =>
  'public' in auth
    ? 'public'
    : 'webhook' in auth
      ? 'webhook'
      : { role: auth.role, scoped: auth.projectScoped ?? false };

describe.each(storeKinds('authorization matrix'))('authorization matrix on %s', (kind) => {
  let testStore: TestStore;
  let executor: TestExecutor;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  let app: FastifyInstance;
  const now = new Date('2026-07-15T11:00:00.000Z');
  const incidents: Record<'own' | 'other', string> = { own: '', other: '' };

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    executor = await startTestExecutor();
    catalog = makeRemediationCatalog();
    const t = await buildTestApp(testStore.store, {
      catalogDir: catalog.dir,
      now: () => now,
      env: { OPSDECK_EXECUTOR_BASE_URL: executor.url, OPSDECK_REMEDIATION_INTERVAL_MS: '0' },
    });
    app = t.app;
    await app.remediation.idle();
    incidents.own = await seedIncident(testStore.store, OWN, { at: now });
    incidents.other = await seedIncident(testStore.store, OTHER, { at: now });
  });
  afterAll(async () => {
    await app.close();
    await executor.close();
    await testStore.dispose();
    catalog.remove();
  });

  const routes = () =>
    app
      .authRoutes()
      .filter((route) => route.method !== 'HEAD' && !route.url.startsWith('/api/v1/_test'))
      .map((route) => ({ ...route, key: `${route.method} ${route.url}` }));

  it('has an expectation for every route, and every route declares what the matrix expects', () => {
    const registered = routes();
    const missing = registered.filter((route) => !(route.key in EXPECTED)).map((route) => route.key);
    expect(missing).toEqual([]);
    const drift = registered
      .filter((route) => JSON.stringify(declaredAsExpectation(route.auth)) !== JSON.stringify(EXPECTED[route.key]))
      .map(
        (route) =>
          `${route.key}: declares ${JSON.stringify(route.auth)}, expected ${JSON.stringify(EXPECTED[route.key])}`
      );
    expect(drift).toEqual([]);
    const gone = Object.keys(EXPECTED).filter((key) => !registered.some((route) => route.key === key));
    expect(gone).toEqual([]);
  });

  /** The caller the fixtures are prepared as, per scope (the requester is never the decider). */
  const requesterIn = (scope: 'own' | 'other'): Persona =>
    scope === 'own' ? PERSONAS.operator : PERSONAS.otherOperator;
  const scopeHeader = (scope: 'own' | 'other') => (scope === 'own' ? ownScope : otherScope);

  async function newApproval(scope: 'own' | 'other', body: 'r1' | 'r2'): Promise<string> {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/approvals',
      headers: headersFor(requesterIn(scope), scopeHeader(scope)),
      payload: requestBodies[body](incidents[scope]),
    });
    expect(response.statusCode).toBe(201);
    return Approval.parse(response.json()).id;
  }

  /**
   * A request that succeeds when authorized, for the routes this suite knows how to feed; the exact
   * success status it must then answer. Other routes get placeholder params and an empty body.
   */
  async function requestFor(
    key: string,
    url: string,
    scope: ScopeName
  ): Promise<{ url: string; body?: unknown; success?: number | '2xx' }> {
    const fixtureScope: 'own' | 'other' = scope === 'other' ? 'other' : 'own';
    switch (key) {
      case 'GET /api/v1/me':
      case 'GET /api/v1/actions':
      case 'GET /api/v1/approvals':
      case 'GET /api/v1/audit':
      case 'GET /api/v1/audit/verify':
        return { url, success: 200 };
      case 'GET /api/v1/approvals/:id':
        return { url: url.replace(':id', await newApproval(fixtureScope, 'r2')), success: 200 };
      case 'POST /api/v1/approvals':
        return { url, body: requestBodies.r2(incidents[fixtureScope]), success: 201 };
      case 'POST /api/v1/approvals/:id/decision':
        return {
          url: url.replace(':id', await newApproval(fixtureScope, 'r2')),
          body: { decision: 'approve', comment: 'matrix' },
          success: 200,
        };
      case 'POST /api/v1/approvals/:id/feedback': {
        const id = await newApproval(fixtureScope, 'r1');
        await app.remediation.idle();
        return { url: url.replace(':id', id), body: { outcome: 'helped' }, success: 200 };
      }
      // Issue 4's incident routes, fed with contract-shaped bodies on a fresh incident of the scope.
      case 'GET /api/v1/incidents/:id':
        return { url: url.replace(':id', incidents[fixtureScope]), success: 200 };
      case 'POST /api/v1/incidents/:id/transitions': {
        const body: TransitionRequest = { to: 'mitigating', note: 'matrix' };
        return {
          url: url.replace(
            ':id',
            await seedIncident(testStore.store, fixtureScope === 'own' ? OWN : OTHER, { at: now })
          ),
          body,
          success: '2xx',
        };
      }
      case 'GET /api/v1/incidents/:id/recommendations':
      case 'GET /api/v1/incidents/:id/updates':
        return { url: url.replace(':id', incidents[fixtureScope]), success: 200 };
      case 'POST /api/v1/incidents/:id/updates':
        return {
          url: url.replace(':id', incidents[fixtureScope]),
          body: { stage: 'investigating', audience: 'external', message: 'matrix update' },
          success: 201,
        };
      case 'GET /api/v1/status':
      case 'GET /api/v1/status/feed.atom':
      case 'GET /api/v1/postmortems/action-items':
      case 'GET /api/v1/postmortems/obligations':
      case 'GET /api/v1/kpis':
        return { url, success: 200 };
      case 'POST /api/v1/incidents/:id/notes': {
        const body: NoteRequest = { text: 'matrix note' };
        return { url: url.replace(':id', incidents[fixtureScope]), body, success: '2xx' };
      }
      default:
        return {
          url: url.replace(/:[a-z_]+/g, 'matrix-placeholder').replace('*', 'matrix-placeholder'),
          body: key.startsWith('GET') ? undefined : {},
        };
    }
  }

  const auditRowsOf = async (response: LightMyRequestResponse) =>
    (
      await testStore.store.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE correlation_id = $1 AND role <> 'system'",
        [response.headers['x-correlation-id']]
      )
    ).rows[0].n;

  it('answers every route × persona × project cell as the policy says', async () => {
    const failures: string[] = [];
    let cells = 0;
    for (const route of routes()) {
      const expectation = EXPECTED[route.key];
      for (const persona of ['noToken', ...PERSONA_NAMES] as const) {
        for (const scope of Object.keys(SCOPES) as ScopeName[]) {
          const outcome = expectedOutcome(expectation, persona, scope);
          // Build fixtures only for cells that get past authorization.
          const prepared =
            outcome === 'authorized'
              ? await requestFor(route.key, route.url, scope)
              : await requestFor('', route.url, scope);
          const headers: Record<string, string> =
            persona === 'noToken'
              ? scope === 'none'
                ? {}
                : { 'x-project-id': SCOPES[scope]! }
              : headersFor(PERSONAS[persona], SCOPES[scope]);
          const response = await app.inject({
            method: route.method as 'GET' | 'POST' | 'PUT',
            url: prepared.url,
            headers,
            ...(prepared.body === undefined ? {} : { payload: prepared.body as object }),
          });
          cells += 1;
          const cell = `${route.key} as ${persona} in ${scope} project`;
          const body = response.headers['content-type']?.toString().includes('json') ? response.json() : null;
          if (outcome === 'authorized') {
            const refusedByAuth =
              response.statusCode === 401 ||
              (response.statusCode === 403 && body?.code === 'insufficient_permissions') ||
              (response.statusCode === 400 && body?.details?.header === 'X-Project-ID');
            if (refusedByAuth) {
              failures.push(`${cell}: expected to pass authorization, got ${response.statusCode} ${body?.code}`);
            } else if (
              prepared.success !== undefined &&
              (prepared.success === '2xx' ? response.statusCode >= 300 : response.statusCode !== prepared.success)
            ) {
              failures.push(
                `${cell}: expected ${prepared.success}, got ${response.statusCode} ${response.body.slice(0, 200)}`
              );
            }
            if (route.method !== 'GET' && response.statusCode < 300 && (await auditRowsOf(response)) !== 1) {
              failures.push(
                `${cell}: a successful ${route.method} must write exactly one audit row, wrote ${await auditRowsOf(response)}`
              );
            }
          } else {
            if (response.statusCode !== outcome.status || body?.code !== outcome.code) {
              failures.push(
                `${cell}: expected ${outcome.status} ${outcome.code}, got ${response.statusCode} ${body?.code}`
              );
            }
            if ((await auditRowsOf(response)) !== 0) {
              failures.push(`${cell}: a refused request wrote an audit row`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cells).toBe(routes().length * (PERSONA_NAMES.length + 1) * 3);
  });

  it('lets the webhook routes in with the webhook token only', async () => {
    for (const route of routes().filter((r) => EXPECTED[r.key] === 'webhook')) {
      const response = await app.inject({
        method: 'POST',
        url: route.url,
        headers: { authorization: `Bearer ${TEST_WEBHOOK_TOKEN}` },
        payload: {},
      });
      expect([401, 403]).not.toContain(response.statusCode);
    }
  });

  it('refuses `X-Project-ID: *` without a global grant, and an ambiguous or malformed header', async () => {
    const star = await app.inject({
      method: 'GET',
      url: '/api/v1/approvals',
      headers: headersFor(PERSONAS.approver, '*'),
    });
    expect(star.statusCode).toBe(403);
    expect(star.json().code).toBe('insufficient_permissions');
    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/approvals',
      headers: headersFor(PERSONAS.approver, 'no such/project/x'),
    });
    expect(bad.statusCode).toBe(400);
    // A bare project name resolves to the one tenant the caller is bound in.
    const bare = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: headersFor(PERSONAS.approver, OWN.project),
    });
    expect(bare.json()).toMatchObject({ role: 'approver' });
    // Identity headers without the token count for nothing.
    const forged = await app.inject({
      method: 'GET',
      url: '/api/v1/approvals',
      headers: { 'x-grafana-user': 'root', 'x-opsdeck-grafana-role': 'Admin', 'x-project-id': '*' },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('never shows a member of one project another project’s incidents, approvals or audit rows', async () => {
    // Marker data in the other project.
    const foreignApproval = await newApproval('other', 'r2');
    const markers = [incidents.other, foreignApproval, OTHER.project, OTHER.tenant];
    const leaks: string[] = [];
    for (const route of routes().filter((r) => r.method === 'GET' && typeof EXPECTED[r.key] === 'object')) {
      for (const personaName of ['viewer', 'operator', 'approver', 'admin'] as const) {
        for (const scope of ['own', 'none'] as const) {
          const url = route.url
            .replace(':id', incidents.other)
            .replace(':correlation_id', 'matrix-correlation')
            .replace(/:[a-z_]+/g, 'matrix-placeholder');
          const response = await app.inject({
            method: 'GET',
            url,
            headers: headersFor(PERSONAS[personaName], SCOPES[scope]),
          });
          const found = markers.filter((marker) => response.body.includes(marker));
          if (response.statusCode < 300 && found.length > 0) {
            leaks.push(`${route.key} as ${personaName} in ${scope} project shows ${found.join(', ')}`);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
