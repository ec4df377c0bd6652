/**
 * The authorization matrix: every route the running app registered × every capability header a proxy
 * route can send (plus none, and no token) × every access.yaml persona × (own project, other project,
 * no project), each cell asserting its status; then the same without access.yaml, where Grafana's
 * grant alone decides. The expected policy of each route is
 * written down here, independently of the code: a new route without an expectation fails, and so does
 * a route whose declared auth drifts from it. Then: no GET route shows another project's data to a
 * member of one project, and every mutating request that succeeds wrote exactly one audit row.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

import { Approval } from '../../src/contract/approvals';
import type { Role } from '../../src/contract/common';
import type { NoteRequest, TransitionRequest } from '../../src/contract/incidents';
import type { RouteAuth } from '../../src/api/plugins/auth';
import { CAPABILITIES, capabilityForCall, type Capability } from '../../src/contract/capabilities';
import { buildTestApp, TEST_TOKEN, TEST_WEBHOOK_TOKEN } from '../support/app';
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

// ~3,900 cells per store (31 routes × 7 capability cells × 6 personas × 3 scopes): 15–26 s per test here (embedded,
// PostgreSQL), measured alone; 160 s for the file under a parallel suite. The margin is for a loaded CI machine.
jest.setTimeout(300_000);

/**
 * The policy: what each route requires. `public` needs nothing, `webhook` the webhook token; otherwise
 * the service token, the capability Grafana must have proved, and (`scoped`) an X-Project-ID the
 * caller is a member of with a role that reaches the capability.
 */
type Expectation = 'public' | 'webhook' | { capability: Capability; scoped: boolean | 'optional' };
const read = (scoped: boolean | 'optional'): Expectation => ({ capability: 'incidents:read', scoped });
const EXPECTED: Record<string, Expectation> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  // access (issue 5)
  'GET /api/v1/me': read(false),
  // remediation and audit (issue 5)
  'GET /api/v1/actions': read(true),
  'GET /api/v1/approvals': read(true),
  'GET /api/v1/approvals/:id': read(true),
  'POST /api/v1/approvals': { capability: 'approvals:request', scoped: true },
  'POST /api/v1/approvals/:id/decision': { capability: 'approvals:decide', scoped: true },
  'POST /api/v1/approvals/:id/feedback': { capability: 'approvals:request', scoped: true },
  'GET /api/v1/audit': read(true),
  'GET /api/v1/audit/verify': { capability: 'catalog:admin', scoped: false },
  // catalog (issue 3): global content, readable by anyone with the token
  'GET /api/v1/admin/runbooks': read(false),
  'GET /api/v1/admin/runbooks/:runbook_id': read(false),
  'GET /api/v1/signals': read(false),
  'GET /api/v1/signals/:signal_key/runbooks': read(false),
  'GET /api/v1/queries': read(false),
  'GET /api/v1/queries/:query_id': read(false),
  'GET /api/v1/queries/:query_id/explore-url': read(false),
  'POST /api/v1/admin/catalog/reload': { capability: 'catalog:admin', scoped: false },
  // backup and restore reconciliation (issue 13)
  'GET /api/v1/admin/backup': { capability: 'catalog:admin', scoped: false },
  'POST /api/v1/admin/executions/:approval_id/reconcile': { capability: 'catalog:admin', scoped: false },
  // intake, incidents, overview, correlation (issue 4)
  'POST /api/v1/alerts/alertmanager': 'webhook',
  'POST /api/v1/alerts/grafana': 'webhook',
  'GET /api/v1/incidents': read(true),
  'GET /api/v1/incidents/:id': read(true),
  'POST /api/v1/incidents/:id/transitions': { capability: 'incidents:write', scoped: true },
  'POST /api/v1/incidents/:id/notes': { capability: 'incidents:write', scoped: true },
  'POST /api/v1/incidents/:id/timeline': { capability: 'incidents:write', scoped: true },
  // reads across projects: X-Project-ID optional only for callers who may see every project
  'GET /api/v1/admin/ops/overview': read('optional'),
  'GET /api/v1/correlations/:correlation_id': read(true),
  // status updates and feed (issue 12)
  'GET /api/v1/incidents/:id/updates': read(true),
  'POST /api/v1/incidents/:id/updates': { capability: 'incidents:write', scoped: true },
  'GET /api/v1/status': read(true),
  'GET /api/v1/status/feed.atom': read(true),
  // postmortems (issue 12)
  'GET /api/v1/incidents/:id/postmortem': read(true),
  'POST /api/v1/incidents/:id/postmortem': { capability: 'incidents:write', scoped: true },
  'PUT /api/v1/incidents/:id/postmortem': { capability: 'incidents:write', scoped: true },
  'GET /api/v1/incidents/:id/postmortem/export': read(true),
  'GET /api/v1/postmortems/action-items': read(true),
  'POST /api/v1/postmortems/action-items/:id': { capability: 'incidents:write', scoped: true },
  'GET /api/v1/postmortems/obligations': read(true),
  // recommendations (issue 12)
  'GET /api/v1/incidents/:id/recommendations': read(true),
  'POST /api/v1/incidents/:id/recommendations/overrides': { capability: 'approvals:request', scoped: true },
  'GET /api/v1/kpis': read(true),
  // SLOs (issue 7)
  'GET /api/v1/slos/status': read(false),
  // on-call response (issue 11): incident writes are project-scoped; schedules are global reads
  'POST /api/v1/incidents/:id/acknowledge': { capability: 'incidents:write', scoped: true },
  'POST /api/v1/incidents/:id/assign': { capability: 'incidents:write', scoped: true },
  'POST /api/v1/incidents/:id/severity': { capability: 'incidents:write', scoped: true },
  // issue 12: reclassification (false classification KPI)
  'POST /api/v1/incidents/:id/signal': { capability: 'incidents:write', scoped: true },
  'GET /api/v1/oncall/now': read(false),
  'GET /api/v1/oncall/schedules': read(false),
  'GET /api/v1/oncall/schedules/:file': read(false),
  'GET /api/v1/oncall/handoff/:team': read(true),
  'POST /api/v1/oncall/handoff/:team': { capability: 'incidents:write', scoped: true },
};

/** The users of TEST_ACCESS, by their access.yaml role; `outsider` is bound nowhere. */
type PersonaName = 'viewer' | 'operator' | 'approver' | 'admin' | 'globalAdmin' | 'outsider';
type ScopeName = 'own' | 'other' | 'none';
const PERSONA_NAMES: PersonaName[] = ['viewer', 'operator', 'approver', 'admin', 'globalAdmin', 'outsider'];
const USERS: Record<PersonaName, string> = {
  viewer: PERSONAS.viewer.user,
  operator: PERSONAS.operator.user,
  approver: PERSONAS.approver.user,
  admin: PERSONAS.admin.user,
  globalAdmin: PERSONAS.globalAdmin.user,
  outsider: 'olga',
};
const SCOPES: Record<ScopeName, string | null> = { own: ownScope, other: otherScope, none: null };
/** What a request carries: no token at all, the token without a capability header, or one route's capability. */
type CapabilityCell = 'noToken' | 'none' | Capability;
const CAPABILITY_CELLS: CapabilityCell[] = ['noToken', 'none', ...CAPABILITIES];

/**
 * Each persona's access.yaml role per scope, written out by hand (the oracle; not computed by the code
 * under test). Null: not a member. Without X-Project-ID only a global binding counts.
 */
const ROLE_IN: Record<PersonaName, Record<ScopeName, Role | null>> = {
  viewer: { own: 'viewer', other: null, none: null },
  operator: { own: 'operator', other: null, none: null },
  approver: { own: 'approver', other: null, none: null },
  admin: { own: 'admin', other: null, none: null },
  globalAdmin: { own: 'admin', other: 'admin', none: 'admin' },
  outsider: { own: null, other: null, none: null },
};
/** Without access.yaml everyone is a member everywhere and nothing is narrowed. */
const SINGLE_TENANT: Record<ScopeName, Role | null> = { own: 'admin', other: 'admin', none: 'admin' };
const RANK: Record<Role, number> = { viewer: 1, operator: 2, approver: 3, admin: 4 };
/** The access.yaml role each capability needs in a project, written out here too (not CAPABILITY_ROLE). */
const NEEDED_ROLE: Record<Capability, Role> = {
  'incidents:read': 'viewer',
  'incidents:write': 'operator',
  'approvals:request': 'operator',
  'approvals:decide': 'approver',
  'catalog:admin': 'admin',
};

/** `authorized` for routes of other issues whose success needs fixtures this test does not build. */
type Outcome = { status: number; code?: string } | 'authorized';

function expectedOutcome(
  expectation: Expectation,
  capability: CapabilityCell,
  roles: Record<ScopeName, Role | null>,
  scope: ScopeName
): Outcome {
  if (expectation === 'public') {
    return 'authorized';
  }
  if (expectation === 'webhook' || capability === 'noToken') {
    // The service token is not the webhook token.
    return { status: 401, code: 'unauthenticated' };
  }
  if (expectation.scoped === true && scope === 'none') {
    return { status: 400, code: 'invalid_request' };
  }
  // A token-only call may read; a Grafana route proves exactly its capability, which must be the route's.
  const granted = capability === 'none' ? 'incidents:read' : capability;
  if (granted !== expectation.capability) {
    return { status: 403, code: 'insufficient_permissions' };
  }
  if (expectation.scoped === false && scope === 'none') {
    return 'authorized';
  }
  const role = roles[scope];
  if (expectation.scoped === 'optional' && scope === 'none' && role === null) {
    return { status: 400, code: 'invalid_request' };
  }
  if (role === null || RANK[role] < RANK[NEEDED_ROLE[expectation.capability]]) {
    return { status: 403, code: 'insufficient_permissions' };
  }
  return 'authorized';
}

const declaredAsExpectation = (auth: RouteAuth): Expectation =>
  'public' in auth
    ? 'public'
    : 'webhook' in auth
      ? 'webhook'
      : { capability: auth.capability, scoped: auth.projectScoped ?? false };

const headersOf = (user: string, capability: CapabilityCell, scope: string | null): Record<string, string> => {
  const headers: Record<string, string> = scope === null ? {} : { 'x-project-id': scope };
  if (capability === 'noToken') {
    return headers;
  }
  headers.authorization = `Bearer ${TEST_TOKEN}`;
  headers['x-grafana-user'] = user;
  if (capability !== 'none') {
    headers['x-opsdeck-capability'] = capability;
  }
  return headers;
};

describe.each(storeKinds('authorization matrix'))('authorization matrix on %s', (kind) => {
  let testStore: TestStore;
  let executor: TestExecutor;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  let singleTenantCatalog: ReturnType<typeof makeRemediationCatalog>;
  /** The app the fixtures and cells run against: `scoped` (with access.yaml) or `singleTenant` (without). */
  let app: FastifyInstance;
  let scoped: FastifyInstance;
  let singleTenant: FastifyInstance;
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
    scoped = t.app;
    singleTenantCatalog = makeRemediationCatalog(null);
    singleTenant = (
      await buildTestApp(testStore.store, {
        catalogDir: singleTenantCatalog.dir,
        now: () => now,
        env: { OPSDECK_EXECUTOR_BASE_URL: executor.url, OPSDECK_REMEDIATION_INTERVAL_MS: '0' },
      })
    ).app;
    app = scoped;
    await app.remediation.idle();
    incidents.own = await seedIncident(testStore.store, OWN, { at: now });
    incidents.other = await seedIncident(testStore.store, OTHER, { at: now });
  });
  afterAll(async () => {
    await scoped.close();
    await singleTenant.close();
    singleTenantCatalog.remove();
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

  it('routes every API call through the proxy route of the capability the API route declares', () => {
    // The app picks the plugin.json route with capabilityForCall; a disagreement would be a 403 in Grafana.
    const disagreements = routes()
      .filter((route) => 'capability' in route.auth)
      .map((route) => ({ route, path: route.url.replace(/:[a-z_]+/g, 'x') }))
      .filter(
        ({ route, path }) =>
          capabilityForCall(route.method, path) !== (route.auth as { capability: Capability }).capability
      )
      .map(({ route, path }) => `${route.key}: app sends ${capabilityForCall(route.method, path)}`);
    expect(disagreements).toEqual([]);
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
      // Issue 11's response routes, on a fresh open incident of the scope.
      case 'POST /api/v1/incidents/:id/acknowledge':
      case 'POST /api/v1/incidents/:id/assign':
      case 'POST /api/v1/incidents/:id/severity':
      case 'POST /api/v1/incidents/:id/signal': {
        const id = await seedIncident(testStore.store, fixtureScope === 'own' ? OWN : OTHER, { at: now });
        const bodies: Record<string, unknown> = {
          acknowledge: undefined,
          assign: { take: true },
          severity: { severity: 'sev4', reason: 'matrix check' },
          signal: { signal: null, reason: 'matrix check' },
        };
        return { url: url.replace(':id', id), body: bodies[key.split('/').pop()!], success: 200 };
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

  /** Runs every route × capability × persona × scope cell on `target`; returns the failures and the count. */
  async function runCells(
    target: FastifyInstance,
    personas: PersonaName[],
    rolesOf: (persona: PersonaName) => Record<ScopeName, Role | null>
  ): Promise<{ failures: string[]; cells: number }> {
    app = target;
    const failures: string[] = [];
    let cells = 0;
    for (const route of routes()) {
      const expectation = EXPECTED[route.key];
      for (const capability of CAPABILITY_CELLS) {
        for (const persona of personas) {
          for (const scope of Object.keys(SCOPES) as ScopeName[]) {
            const outcome = expectedOutcome(expectation, capability, rolesOf(persona), scope);
            const cell = `${route.key} with ${capability} as ${persona} in ${scope} project`;
            failures.push(
              ...(await checkCell(route, cell, outcome, headersOf(USERS[persona], capability, SCOPES[scope]), scope))
            );
            cells += 1;
          }
        }
      }
    }
    app = scoped;
    return { failures, cells };
  }

  async function checkCell(
    route: { method: string; url: string; key: string },
    cell: string,
    outcome: Outcome,
    headers: Record<string, string>,
    scope: ScopeName
  ): Promise<string[]> {
    const failures: string[] = [];
    // Build fixtures only for cells that get past authorization.
    const prepared =
      outcome === 'authorized' ? await requestFor(route.key, route.url, scope) : await requestFor('', route.url, scope);
    const response = await app.inject({
      method: route.method as 'GET' | 'POST',
      url: prepared.url,
      headers,
      ...(prepared.body === undefined ? {} : { payload: prepared.body as object }),
    });
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
        failures.push(`${cell}: a successful ${route.method} must write exactly one audit row`);
      }
      return failures;
    }
    if (response.statusCode !== outcome.status || body?.code !== outcome.code) {
      failures.push(`${cell}: expected ${outcome.status} ${outcome.code}, got ${response.statusCode} ${body?.code}`);
    }
    if ((await auditRowsOf(response)) !== 0) {
      failures.push(`${cell}: a refused request wrote an audit row`);
    }
    return failures;
  }

  it('answers every route × capability header × access.yaml persona × project cell as the policy says', async () => {
    const { failures, cells } = await runCells(scoped, PERSONA_NAMES, (persona) => ROLE_IN[persona]);
    expect(failures).toEqual([]);
    expect(cells).toBe(routes().length * CAPABILITY_CELLS.length * PERSONA_NAMES.length * 3);
  });

  it('without access.yaml lets Grafana’s grant alone decide, in every project', async () => {
    // A Reader-only user (vera) with each capability: what Grafana proved is all that counts.
    const { failures, cells } = await runCells(singleTenant, ['viewer', 'outsider'], () => SINGLE_TENANT);
    expect(failures).toEqual([]);
    expect(cells).toBe(routes().length * CAPABILITY_CELLS.length * 2 * 3);
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
      headers: { 'x-grafana-user': 'root', 'x-opsdeck-capability': 'catalog:admin', 'x-project-id': '*' },
    });
    expect(forged.statusCode).toBe(401);
    // An unknown capability is a malformed header, not a silent read.
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/v1/approvals',
      headers: { ...headersFor(PERSONAS.approver, ownScope), 'x-opsdeck-capability': 'approvals:everything' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details).toEqual({ header: 'X-Opsdeck-Capability' });
    // The Grafana-role header of the reqRole routes counts for nothing any more: a token-only call reads.
    const legacy = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/catalog/reload',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'x-grafana-user': 'root', 'x-opsdeck-grafana-role': 'Admin' },
    });
    expect(legacy.statusCode).toBe(403);
    expect(legacy.json().details).toMatchObject({
      required_capability: 'catalog:admin',
      capabilities: ['incidents:read'],
    });
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
