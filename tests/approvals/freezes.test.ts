/**
 * Error budget freezes enforced by approvals (catalog/error-budget-policy.yaml `freezes`), on both
 * stores: a change to a service whose SLO is depleted needs one more approver and a reliability reason;
 * in critical it is refused with 409 change_frozen naming the SLO, except the policy's reliability
 * actions; break-glass needs two approvers including an admin and is audited. The budget state the
 * requester met is kept with the request. Budgets come from a Prometheus stub (backend mode) or, without
 * one, from the policy's depleted alert Alertmanager delivered (in_memory mode).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';

import { Approval, type ApprovalRequestBody } from '../../src/contract/approvals';
import { ErrorEnvelope } from '../../src/contract/common';
import { buildTestApp, REPO_CATALOG_DIR, type TestApp } from '../support/app';
import {
  completeEvidence,
  headersFor,
  makeRemediationCatalog,
  OWN,
  ownScope,
  PERSONAS,
  seedIncident,
  startTestExecutor,
  type Persona,
  type TestExecutor,
} from '../support/remediation';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';

jest.setTimeout(60_000);

// Wednesday 12:00 in London: inside business hours, so the R2 rule that applies is "production".
const START = new Date('2026-07-15T11:00:00.000Z');
const DISPATCHER_SLO = 'provisioning-dispatcher-requests-success';
const GATEWAY_SLO = 'api-gateway-requests-availability';

/** Two SLOs over the minimal catalog's runbook: one per service the tested actions touch. */
const sloSpec = (service: string, name: string) => `version: prometheus/v1
service: ${service}
labels: { owner: ${service === 'api-gateway' ? 'core-api' : 'provisioning'} }
slos:
  - name: ${name}
    objective: 99
    sli:
      events:
        error_query: sum(rate(requests_total{service="${service}",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(requests_total{service="${service}"}[{{.window}}]))
    alerting:
      name: ${service.replace(/-/g, '')}Burn
      annotations: { runbook_id: ops.outbox.relay }
`;

type State = 'remaining' | 'depleted' | 'critical';

/** Answers the SLO status queries like Prometheus, with the policy state set per SLO. */
async function prometheusStub(states: Map<string, State>): Promise<{ url: string; server: Server }> {
  const remaining: Record<State, number> = { remaining: 0.6, depleted: -0.3, critical: -2.5 };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const query =
        new URLSearchParams(body).get('query') ??
        new URL(request.url ?? '/', 'http://x').searchParams.get('query') ??
        '';
      const entries = [...states];
      const result =
        query === 'slo:period_error_budget_remaining:ratio'
          ? entries.map(([id, state]) => ({ metric: { sloth_id: id }, value: [0, String(remaining[state])] }))
          : query === 'slo:error_budget_policy_state == 1'
            ? entries.map(([id, state]) => ({ metric: { sloth_id: id, state }, value: [0, '1'] }))
            : [];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const scale = (incidentId: string, extra: Partial<ApprovalRequestBody> = {}): ApprovalRequestBody => ({
  incident_id: incidentId,
  action_id: 'provisioning.dispatcher.scale',
  parameters: { replicas: 8, reason: 'feature rollout needs capacity' },
  evidence: completeEvidence(),
  ...extra,
});
const rollback = (incidentId: string): ApprovalRequestBody => ({
  incident_id: incidentId,
  action_id: 'deploy.rollout.undo',
  parameters: { namespace: 'edge', service: 'api-gateway', rejected_version: '2026.07.15-1' },
  evidence: completeEvidence({ risk_level: 'high' }),
});
const promote = (incidentId: string): ApprovalRequestBody => ({
  incident_id: incidentId,
  action_id: 'deploy.rollout.promote',
  parameters: { namespace: 'edge', service: 'api-gateway', version: '2026.07.15-2' },
  evidence: completeEvidence({ risk_level: 'high' }),
});

describe.each(storeKinds('error budget freezes'))('error budget freezes on %s', (kind) => {
  let testStore: TestStore;
  let executor: TestExecutor;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  const states = new Map<string, State>();
  let prometheus: { url: string; server: Server };
  const apps: TestApp[] = [];
  let backend: TestApp;

  const build = async (prometheusUrl: string | null) => {
    const built = await buildTestApp(testStore.store, {
      catalogDir: catalog.dir,
      now: () => START,
      env: {
        OPSDECK_EXECUTOR_BASE_URL: executor.url,
        OPSDECK_EXECUTOR_TOKEN: 'executor-secret-token',
        ...(prometheusUrl ? { OPSDECK_PROMETHEUS_URL: prometheusUrl } : {}),
        OPSDECK_REMEDIATION_INTERVAL_MS: '0',
      },
      extra: { remediation: { paused: true } },
    });
    apps.push(built);
    return built;
  };

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    executor = await startTestExecutor();
    catalog = makeRemediationCatalog();
    copyFileSync(
      path.join(REPO_CATALOG_DIR, 'error-budget-policy.yaml'),
      path.join(catalog.dir, 'error-budget-policy.yaml')
    );
    mkdirSync(path.join(catalog.dir, 'slos'));
    writeFileSync(path.join(catalog.dir, 'slos', 'api-gateway.yaml'), sloSpec('api-gateway', 'requests-availability'));
    writeFileSync(
      path.join(catalog.dir, 'slos', 'provisioning-dispatcher.yaml'),
      sloSpec('provisioning-dispatcher', 'requests-success')
    );
    prometheus = await prometheusStub(states);
    backend = await build(prometheus.url);
  });
  afterAll(async () => {
    await Promise.all(apps.map((t) => t.app.close()));
    await new Promise((resolve) => prometheus.server.close(resolve));
    await executor.close();
    await testStore.dispose();
    catalog.remove();
  });
  beforeEach(() => {
    states.set(DISPATCHER_SLO, 'remaining');
    states.set(GATEWAY_SLO, 'remaining');
  });

  const call = (t: TestApp, persona: Persona, url: string, payload?: object) =>
    t.app.inject({
      method: payload ? 'POST' : 'GET',
      url,
      headers: headersFor(persona, ownScope),
      ...(payload ? { payload } : {}),
    });
  const request = async (body: ApprovalRequestBody, t: TestApp = backend) => {
    const response = await call(t, PERSONAS.operator, '/api/v1/approvals', body);
    return { response, approval: response.statusCode === 201 ? Approval.parse(response.json()) : null };
  };
  const decide = (persona: Persona, id: string) =>
    call(backend, persona, `/api/v1/approvals/${id}/decision`, {
      decision: 'approve',
      comment: 'checked the budget and the reason',
    });
  const envelope = (response: LightMyRequestResponse) => ErrorEnvelope.parse(response.json());
  const auditOf = async (approvalId: string) =>
    (
      await testStore.store.query<{ action: string; actor: string; after: Record<string, unknown> }>(
        "SELECT action, actor, after FROM audit_log WHERE target_type = 'approval' AND target_id = $1 AND role <> 'system' ORDER BY id",
        [approvalId]
      )
    ).rows.map((row) => ({ ...row, after: typeof row.after === 'string' ? JSON.parse(row.after) : row.after }));

  it('with budget left, a change needs what the approval policy says and records the budget it met', async () => {
    const incident = await seedIncident(testStore.store, OWN, { at: START });
    const { response, approval } = await request(scale(incident));
    expect(response.statusCode).toBe(201);
    expect(approval).toMatchObject({ status: 'pending', min_approvals: 1 });
    expect(approval!.budget_at_request).toEqual({
      service: 'provisioning-dispatcher',
      source_mode: 'backend',
      degraded: false,
      slos: [{ id: DISPATCHER_SLO, budget_policy_state: 'remaining', error_budget_remaining: 0.6 }],
      freeze: null,
      unknown: null,
    });
  });

  it('depleted: a change needs a reliability reason and one more approver', async () => {
    states.set(DISPATCHER_SLO, 'depleted');
    const incident = await seedIncident(testStore.store, OWN, { at: START });
    const withoutReason = await request(scale(incident));
    expect(withoutReason.response.statusCode).toBe(400);
    expect(envelope(withoutReason.response)).toMatchObject({
      code: 'invalid_request',
      details: { missing: ['reliability_reason'], slo_ids: [DISPATCHER_SLO], state: 'depleted' },
    });

    const { response, approval } = await request(
      scale(incident, { reliability_reason: 'the backlog is what burns the budget: more replicas drain it' })
    );
    expect(response.statusCode).toBe(201);
    // the approval policy asks 1 for R2 in production; the freeze adds one
    expect(approval).toMatchObject({ status: 'pending', min_approvals: 2 });
    expect(approval!.policy_reason).toContain(`${DISPATCHER_SLO} is depleted`);
    expect(approval!.budget_at_request?.freeze).toMatchObject({
      state: 'depleted',
      mode: 'extra_approval',
      outcome: 'extra_approval',
      slo_ids: [DISPATCHER_SLO],
      reliability_reason: 'the backlog is what burns the budget: more replicas drain it',
    });
    expect((await decide(PERSONAS.approver, approval!.id)).json()).toMatchObject({ status: 'pending' });
    expect((await decide(PERSONAS.approver2, approval!.id)).json()).toMatchObject({ status: 'approved' });
    const [requested] = await auditOf(approval!.id);
    expect(requested).toMatchObject({ action: 'approval.request', after: { budget_freeze: { state: 'depleted' } } });
  });

  it('critical: a change is refused with 409 change_frozen naming the SLO, and nothing is written', async () => {
    states.set(DISPATCHER_SLO, 'critical');
    const incident = await seedIncident(testStore.store, OWN, { at: START });
    const { response } = await request(
      scale(incident, { reliability_reason: 'we believe it helps the backlog drain' })
    );
    expect(response.statusCode).toBe(409);
    const error = envelope(response);
    expect(error.code).toBe('change_frozen');
    expect(error.message).toContain(DISPATCHER_SLO);
    expect(error.message).toContain('critical');
    expect(error.details).toMatchObject({ slo_ids: [DISPATCHER_SLO], break_glass: { approvers: 2, admins: 1 } });
    const { rows } = await testStore.store.query('SELECT id FROM approvals WHERE incident_id = $1', [incident]);
    expect(rows).toEqual([]);
  });

  it('critical: a reliability action the policy lists (a rollback) still goes through, marked exempt', async () => {
    states.set(GATEWAY_SLO, 'critical');
    const incident = await seedIncident(testStore.store, OWN, { at: START });
    const refused = await request(promote(incident));
    expect(refused.response.statusCode).toBe(409);
    expect(envelope(refused.response).message).toContain(GATEWAY_SLO);

    const { response, approval } = await request(rollback(incident));
    expect(response.statusCode).toBe(201);
    expect(approval).toMatchObject({ status: 'pending', min_approvals: 2 });
    expect(approval!.budget_at_request).toMatchObject({
      service: 'api-gateway',
      freeze: { state: 'critical', outcome: 'exempt', slo_ids: [GATEWAY_SLO] },
    });
  });

  it('critical: break-glass needs two approvers including an admin, and is audited', async () => {
    states.set(DISPATCHER_SLO, 'critical');
    const incident = await seedIncident(testStore.store, OWN, { at: START });
    const { response, approval } = await request(
      scale(incident, { break_glass: { reason: 'customer launch in 1 hour; capacity is the outage' } })
    );
    expect(response.statusCode).toBe(201);
    expect(approval).toMatchObject({ status: 'pending', min_approvals: 2 });
    expect(approval!.budget_at_request?.freeze).toMatchObject({
      outcome: 'break_glass',
      admin_approvals_required: 1,
      break_glass_reason: 'customer launch in 1 hour; capacity is the outage',
    });
    expect((await auditOf(approval!.id))[0]).toMatchObject({ action: 'approval.request_break_glass', actor: 'otto' });

    expect((await decide(PERSONAS.approver, approval!.id)).json()).toMatchObject({ status: 'pending' });
    // the second approval must be an admin's: another approver is refused, and told so before clicking
    const view = Approval.parse((await call(backend, PERSONAS.approver2, `/api/v1/approvals/${approval!.id}`)).json());
    expect(view.can_decide).toEqual({ allowed: false, reason: expect.stringContaining('must come from an admin') });
    const second = await decide(PERSONAS.approver2, approval!.id);
    expect(second.statusCode).toBe(403);
    expect(envelope(second).code).toBe('admin_approval_required');
    const admin = await decide(PERSONAS.admin, approval!.id);
    expect(admin.json()).toMatchObject({ status: 'approved' });

    expect((await auditOf(approval!.id)).map((row) => [row.action, row.actor, row.after.as_admin ?? null])).toEqual([
      ['approval.request_break_glass', 'otto', null],
      ['approval.approve', 'ana', false],
      ['approval.approve', 'adele', true],
    ]);
  });

  it('in_memory: a delivered depleted alert freezes like the backend; a state nobody knows freezes nothing and says so', async () => {
    const memory = await build(null);
    const incident = await seedIncident(testStore.store, OWN, { at: START });
    const unknown = await request(scale(incident), memory);
    expect(unknown.response.statusCode).toBe(201);
    expect(unknown.approval!.budget_at_request).toMatchObject({
      source_mode: 'in_memory',
      slos: [{ id: DISPATCHER_SLO, budget_policy_state: null }],
      freeze: null,
      unknown: expect.stringContaining('unknown'),
    });

    await testStore.store.query(
      `INSERT INTO alerts (incident_id, fingerprint, source, alertname, status, severity, labels, annotations, starts_at,
                           missing_runbook, first_received_at, last_received_at, delivery_correlation_id)
       VALUES ($1, $2, 'alertmanager', 'ErrorBudgetDepleted', 'firing', 'sev1', $3, '{}', $4, false, $4, $4, 'req-freeze-01')`,
      [
        incident,
        `fp-depleted-${kind}`,
        JSON.stringify({
          alertname: 'ErrorBudgetDepleted',
          sloth_id: DISPATCHER_SLO,
          opsdeck_budget_alert: 'depleted',
        }),
        START.toISOString(),
      ]
    );
    const refused = await request(scale(incident), memory);
    expect(refused.response.statusCode).toBe(400);
    const { approval } = await request(
      scale(incident, { reliability_reason: 'draining the backlog is the fix' }),
      memory
    );
    expect(approval).toMatchObject({ min_approvals: 2 });
    expect(approval!.budget_at_request).toMatchObject({ source_mode: 'in_memory', freeze: { state: 'depleted' } });
  });
});
