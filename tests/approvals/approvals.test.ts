/**
 * Human-in-the-loop remediation end to end, on both stores: requests with the evidence bundle,
 * the policy, decisions (separation of duties, one final decision under 50 concurrent deciders,
 * expiry), execution exactly once with an idempotency key (also across a crash), verification driven by
 * app.now(), feedback into "similar past outcomes", the incident timeline and one audit row per change.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

import { Approval, ApprovalPage } from '../../src/contract/approvals';
import { SHIPPED_ROLES } from '../../src/contract/capabilities';
import { AuditPage } from '../../src/contract/audit';
import { ErrorEnvelope } from '../../src/contract/common';
import { buildTestApp, type TestApp } from '../support/app';
import {
  APPROVERS_50,
  headersFor,
  makeRemediationCatalog,
  otherScope,
  OTHER,
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

jest.setTimeout(60_000);

// Wednesday 12:00 in London (inside the policy's business hours).
const START = new Date('2026-07-15T11:00:00.000Z');
const MINUTE = 60_000;

describe.each(storeKinds('approvals suite'))('remediation approvals on %s', (kind) => {
  let testStore: TestStore;
  let executor: TestExecutor;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  let now: Date;
  let t: TestApp;
  let app: FastifyInstance;

  const build = (options: { paused?: boolean } = {}) =>
    buildTestApp(testStore.store, {
      catalogDir: catalog.dir,
      now: () => now,
      env: {
        OPSDECK_EXECUTOR_BASE_URL: executor.url,
        OPSDECK_EXECUTOR_TOKEN: 'executor-secret-token',
        OPSDECK_PROMETHEUS_URL: executor.url,
        OPSDECK_REMEDIATION_INTERVAL_MS: '0',
      },
      extra: { remediation: { paused: options.paused } },
    });

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    executor = await startTestExecutor();
    catalog = makeRemediationCatalog();
    now = START;
    t = await build();
    app = t.app;
    await app.remediation.idle();
  });
  afterAll(async () => {
    await app.close();
    await executor.close();
    await testStore.dispose();
    catalog.remove();
  });

  const call = (
    persona: Persona,
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    scope: string | null = ownScope
  ) =>
    app.inject({
      method,
      url,
      headers: headersFor(persona, scope),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  const request = async (persona: Persona, body: unknown, scope: string = ownScope) => {
    const response = await call(persona, 'POST', '/api/v1/approvals', body, scope);
    return { response, approval: response.statusCode === 201 ? Approval.parse(response.json()) : null };
  };
  const decide = (persona: Persona, id: string, decision: 'approve' | 'reject', comment = 'checked the evidence') =>
    call(persona, 'POST', `/api/v1/approvals/${id}/decision`, { decision, comment });
  const get = async (persona: Persona, id: string) =>
    Approval.parse((await call(persona, 'GET', `/api/v1/approvals/${id}`)).json());
  const errorCode = (response: LightMyRequestResponse) => ErrorEnvelope.parse(response.json()).code;

  /** Audit rows a request wrote (the worker's own rows carry role `system`). */
  const auditRowsOf = async (response: LightMyRequestResponse) => {
    const { rows } = await testStore.store.query(
      "SELECT action, actor FROM audit_log WHERE correlation_id = $1 AND role <> 'system'",
      [response.headers['x-correlation-id']]
    );
    return rows;
  };
  const callsFor = (approvalId: string) =>
    executor.calls.filter((c) => c.idempotencyKey === `opsdeck-approval-${approvalId}`);
  const timelineOf = async (incidentId: string) =>
    (
      await testStore.store.query<{ kind: string; actor: string; data: { approval_id?: string } }>(
        'SELECT kind, actor, data FROM incident_timeline WHERE incident_id = $1 ORDER BY id',
        [incidentId]
      )
    ).rows;

  it('lists the catalog actions to a project member', async () => {
    const response = await call(PERSONAS.viewer, 'GET', '/api/v1/actions');
    expect(response.statusCode).toBe(200);
    const ids = (response.json() as { items: Array<{ id: string; risk_class: string }> }).items.map(
      (a) => `${a.id}:${a.risk_class}`
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        'outbox.relay.restart:R1',
        'provisioning.dispatcher.scale:R2',
        'database.primary.failover:R3',
      ])
    );
  });

  it('runs an R1 request at once, exactly once, with the idempotency key, then verifies it when due', async () => {
    const incidentId = await seedIncident(testStore.store, OWN, { slo_burn_rate: 14.4, at: now });
    const { response, approval } = await request(PERSONAS.operator, requestBodies.r1(incidentId));
    expect(response.statusCode).toBe(201);
    expect(approval).toMatchObject({
      status: 'approved',
      requires_approval: false,
      min_approvals: 0,
      slo_burn_at_request: 14.4,
    });
    expect(await auditRowsOf(response)).toEqual([{ action: 'approval.request', actor: 'otto' }]);

    await app.remediation.idle();
    const calls = callsFor(approval!.id);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/v1/kubernetes/namespaces/messaging/deployments/outbox-relay/restart?reset_lease=true',
      authorization: 'Bearer executor-secret-token',
      body: {
        approval_id: approval!.id,
        action_id: 'outbox.relay.restart',
        incident_id: incidentId,
        parameters: { reset_lease: true },
      },
    });
    const done = await get(PERSONAS.viewer, approval!.id);
    expect(done.status).toBe('succeeded');
    expect(done.execution).toMatchObject({
      status: 'succeeded',
      http_status: 200,
      idempotency_key: `opsdeck-approval-${approval!.id}`,
    });
    expect(done.execution!.output_excerpt).toContain('"done":true');
    expect(done.execution!.duration_ms).toBeGreaterThanOrEqual(0);
    expect(done.verification).toMatchObject({
      status: 'pending',
      due_at: new Date(now.getTime() + 10 * MINUTE).toISOString(),
    });

    // Not due yet: a tick leaves it pending. Ten minutes later it runs the query and records the result.
    await app.remediation.tick();
    expect((await get(PERSONAS.viewer, approval!.id)).verification!.status).toBe('pending');
    now = new Date(now.getTime() + 10 * MINUTE);
    executor.prometheusValue = '1';
    expect((await app.remediation.tick()).verified).toBe(1);
    const verified = await get(PERSONAS.viewer, approval!.id);
    expect(verified.verification).toMatchObject({ status: 'passed', checked_at: now.toISOString() });
    expect(executor.prometheusQueries).toContain('max(outbox_oldest_pending_age_seconds) < 300');

    expect((await timelineOf(incidentId)).map((e) => e.kind)).toEqual([
      'approval_requested',
      'action_executed',
      'verification_passed',
    ]);
    const { rows } = await testStore.store.query<{ action: string; role: string }>(
      "SELECT action, role FROM audit_log WHERE target_type = 'approval' AND target_id = $1 ORDER BY id",
      [approval!.id]
    );
    expect(rows).toEqual([
      { action: 'approval.request', role: 'operator' },
      { action: 'execution.succeeded', role: 'system' },
      { action: 'verification.passed', role: 'system' },
    ]);
  });

  it('fills evidence queries from the incident (its service) and names the variable it cannot fill', async () => {
    const withService = await seedIncident(testStore.store, OWN, { service: 'outbox-relay', at: now });
    const filled = await request(PERSONAS.operator, {
      ...requestBodies.r1(withService),
      evidence: { saved_query_ids: ['outbox_relay_lag'] },
    });
    expect(filled.response.statusCode).toBe(201);
    const [link] = filled.approval!.saved_query_links;
    expect(link).toMatchObject({ id: 'outbox_relay_lag', missing_variables: [] });
    expect(decodeURIComponent(link.explore_url!)).toContain('service=\\"outbox-relay\\"');

    const withoutService = await seedIncident(testStore.store, OWN, { at: now });
    const unfilled = await request(PERSONAS.operator, {
      ...requestBodies.r1(withoutService),
      evidence: { saved_query_ids: ['outbox_relay_lag'] },
    });
    expect(unfilled.approval!.saved_query_links).toEqual([
      { id: 'outbox_relay_lag', title: expect.any(String), explore_url: null, missing_variables: ['service'] },
    ]);
  });

  it('carries the incident title so the approvals list need not show a raw ULID', async () => {
    const incidentId = await seedIncident(testStore.store, OWN, { at: now });
    const { approval } = await request(PERSONAS.operator, requestBodies.r1(incidentId));
    expect(approval!.incident_title).toBe('Outbox relay degraded');
    const page = ApprovalPage.parse((await call(PERSONAS.viewer, 'GET', '/api/v1/approvals')).json());
    expect(page.items.find((item) => item.id === approval!.id)?.incident_title).toBe('Outbox relay degraded');
  });

  it('records a failed verification when the query returns nothing', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r1(incidentId));
    await app.remediation.idle();
    executor.prometheusValue = null;
    now = new Date(now.getTime() + 11 * MINUTE);
    await app.remediation.tick();
    const result = await get(PERSONAS.viewer, approval!.id);
    expect(result.verification).toMatchObject({ status: 'failed', detail: expect.stringMatching(/no samples/) });
    executor.prometheusValue = '1';
    expect((await timelineOf(incidentId)).map((e) => e.kind)).toContain('verification_failed');
  });

  it('records an executor failure with its HTTP status', async () => {
    executor.failWith.set('/v1/kubernetes/namespaces/provisioning', 502);
    const incidentId = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r2(incidentId));
    expect((await decide(PERSONAS.approver, approval!.id, 'approve')).statusCode).toBe(200);
    await app.remediation.idle();
    const failed = await get(PERSONAS.viewer, approval!.id);
    expect(failed.status).toBe('failed');
    expect(failed.execution).toMatchObject({ status: 'failed', http_status: 502 });
    expect(failed.verification).toBeNull();
    expect((await timelineOf(incidentId)).map((e) => e.kind)).toEqual([
      'approval_requested',
      'approval_decided',
      'action_failed',
    ]);
    executor.failWith.clear();
  });

  it('refuses R2/R3 requests without the complete evidence bundle, and bad parameters, writing nothing', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    const before = await testStore.store.query<{ n: number }>('SELECT count(*)::int AS n FROM approvals');
    const partial = await request(
      PERSONAS.operator,
      requestBodies.r3(incidentId, { reasoning: 'db is slow', confidence: 0.4 })
    );
    expect(partial.response.statusCode).toBe(400);
    expect(partial.response.json()).toMatchObject({
      code: 'invalid_request',
      details: { missing: ['risk_level', 'impact_radius', 'rollback_strategy'] },
    });
    const none = await request(PERSONAS.operator, { ...requestBodies.r2(incidentId), evidence: undefined });
    expect(none.response.statusCode).toBe(400);
    const badParameters = await request(PERSONAS.operator, {
      ...requestBodies.r2(incidentId),
      parameters: { replicas: 500 },
    });
    expect(badParameters.response.statusCode).toBe(400);
    expect(JSON.stringify(badParameters.response.json().details)).toContain('parameters.replicas');
    const unknownAction = await request(PERSONAS.operator, {
      ...requestBodies.r1(incidentId),
      action_id: 'no.such.action',
    });
    expect(unknownAction.response.statusCode).toBe(404);
    expect(errorCode(unknownAction.response)).toBe('action_not_found');
    for (const response of [partial.response, none.response, badParameters.response, unknownAction.response]) {
      expect(await auditRowsOf(response)).toEqual([]);
    }
    const after = await testStore.store.query<{ n: number }>('SELECT count(*)::int AS n FROM approvals');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('never finds another project’s incident or approval', async () => {
    const foreignIncident = await seedIncident(testStore.store, OTHER);
    const { response } = await request(PERSONAS.operator, requestBodies.r1(foreignIncident));
    expect(response.statusCode).toBe(404);
    expect(errorCode(response)).toBe('incident_not_found');

    const ownIncident = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r2(ownIncident));
    const fromOther = await call(
      PERSONAS.otherOperator,
      'GET',
      `/api/v1/approvals/${approval!.id}`,
      undefined,
      otherScope
    );
    expect(fromOther.statusCode).toBe(404);
    const list = ApprovalPage.parse(
      (await call(PERSONAS.otherOperator, 'GET', '/api/v1/approvals', undefined, otherScope)).json()
    );
    expect(list.items.every((a) => a.project === OTHER.project)).toBe(true);
    expect(list.items.map((a) => a.id)).not.toContain(approval!.id);
    // A global admin asking for every project sees it.
    const all = ApprovalPage.parse(
      (await call(PERSONAS.globalAdmin, 'GET', '/api/v1/approvals?limit=500', undefined, '*')).json()
    );
    expect(all.items.map((a) => a.id)).toContain(approval!.id);
  });

  it('holds every approval to an existing incident in the database too, not only in the route', async () => {
    const incident = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r2(incident));
    await expect(
      testStore.store.query("UPDATE approvals SET incident_id = 'INC-does-not-exist' WHERE id = $1", [approval!.id])
    ).rejects.toThrow(/approvals_incident_fk/);
    expect((await get(PERSONAS.operator, approval!.id)).incident_id).toBe(incident);
  });

  it('keeps the requester from deciding their own R2/R3 request (separation of duties)', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    // An approver may request too; they still cannot approve what they asked for.
    const { approval } = await request(PERSONAS.approver, requestBodies.r2(incidentId));
    expect(approval).toMatchObject({
      status: 'pending',
      requires_approval: true,
      min_approvals: 1,
      policy_reason: 'R2 actions in production need one approver',
    });
    expect(approval!.can_decide).toEqual({ allowed: false, reason: expect.stringMatching(/separation of duties/) });
    for (const decision of ['approve', 'reject'] as const) {
      const response = await decide(PERSONAS.approver, approval!.id, decision);
      expect(response.statusCode).toBe(403);
      expect(errorCode(response)).toBe('separation_of_duties');
      expect(await auditRowsOf(response)).toEqual([]);
    }
    const byOther = await decide(PERSONAS.approver2, approval!.id, 'approve');
    expect(byOther.statusCode).toBe(200);
    expect(await auditRowsOf(byOther)).toEqual([{ action: 'approval.approve', actor: 'amir' }]);
  });

  it('refuses decisions from operators and viewers with 403 insufficient_permissions', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r2(incidentId));
    for (const persona of [PERSONAS.viewer, PERSONAS.operator]) {
      const response = await decide(persona, approval!.id, 'approve');
      expect(response.statusCode).toBe(403);
      expect(errorCode(response)).toBe('insufficient_permissions');
    }
    expect((await get(PERSONAS.viewer, approval!.id)).can_decide.reason).toMatch(/approver role/);
  });

  it('needs two distinct approvers for R3 and then runs it once', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r3(incidentId));
    expect(approval).toMatchObject({
      status: 'pending',
      min_approvals: 2,
      policy_reason: 'R3 actions always need 2 approvers',
    });
    const first = await decide(PERSONAS.approver, approval!.id, 'approve');
    expect(Approval.parse(first.json())).toMatchObject({
      status: 'pending',
      can_decide: { allowed: false, reason: 'you already approved; waiting for 1 more approver' },
    });
    const again = await decide(PERSONAS.approver, approval!.id, 'approve');
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('already_decided');
    await app.remediation.idle();
    expect(callsFor(approval!.id)).toHaveLength(0);

    const second = await decide(PERSONAS.approver2, approval!.id, 'approve');
    expect(Approval.parse(second.json()).status).toBe('approved');
    await app.remediation.idle();
    expect(callsFor(approval!.id)).toHaveLength(1);
    expect(callsFor(approval!.id)[0].body).toMatchObject({ approved_by: ['ana', 'amir'] });
    const detail = await get(PERSONAS.viewer, approval!.id);
    expect(detail.decisions.map((d) => d.by)).toEqual(['ana', 'amir']);
    expect(detail.status).toBe('succeeded');
  });

  it('makes a rejection final', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r3(incidentId));
    expect(
      (await decide(PERSONAS.approver, approval!.id, 'reject', 'failover during the billing run is too risky'))
        .statusCode
    ).toBe(200);
    const late = await decide(PERSONAS.approver2, approval!.id, 'approve');
    expect(late.statusCode).toBe(409);
    expect(errorCode(late)).toBe('already_decided');
    await app.remediation.idle();
    expect(callsFor(approval!.id)).toHaveLength(0);
    expect((await get(PERSONAS.viewer, approval!.id)).status).toBe('rejected');
  });

  it('lets exactly one of 50 simultaneous approvers win (min_approvals 1); the others get 409 already_decided', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r2(incidentId));
    const responses = await Promise.all(
      APPROVERS_50.map((user) => decide({ user, capabilities: SHIPPED_ROLES.Approver }, approval!.id, 'approve'))
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(responses.filter((r) => r.statusCode === 409).every((r) => errorCode(r) === 'already_decided')).toBe(true);
    const decisions = await testStore.store.query<{ final: boolean }>(
      'SELECT final FROM approval_decisions WHERE approval_id = $1',
      [approval!.id]
    );
    expect(decisions.rows).toEqual([{ final: true }]);
    await app.remediation.idle();
    await app.remediation.tick();
    expect(callsFor(approval!.id)).toHaveLength(1);
    const audit = await testStore.store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'approval.approve'",
      [approval!.id]
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('with min_approvals 2, lets exactly two of 50 simultaneous approvers in, with one final transition', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r3(incidentId));
    const responses = await Promise.all(
      APPROVERS_50.map((user) => decide({ user, capabilities: SHIPPED_ROLES.Approver }, approval!.id, 'approve'))
    );
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(2);
    expect(responses.filter((r) => r.statusCode === 409 && errorCode(r) === 'already_decided')).toHaveLength(48);
    const decisions = await testStore.store.query<{ decided_by: string; final: boolean }>(
      'SELECT decided_by, final FROM approval_decisions WHERE approval_id = $1 ORDER BY id',
      [approval!.id]
    );
    expect(decisions.rows.map((d) => d.final)).toEqual([false, true]);
    expect(new Set(decisions.rows.map((d) => d.decided_by)).size).toBe(2);
    await app.remediation.idle();
    expect(callsFor(approval!.id)).toHaveLength(1);
  });

  it('lets one approver count once even when they click twice at the same time', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r3(incidentId));
    const responses = await Promise.all([
      decide(PERSONAS.approver, approval!.id, 'approve'),
      decide(PERSONAS.approver, approval!.id, 'approve'),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await get(PERSONAS.viewer, approval!.id)).status).toBe('pending');
  });

  it('answers 409 expired after the TTL, shows the request expired, and the worker records it', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r2(incidentId));
    expect(approval!.expires_at).toBe(new Date(now.getTime() + 60 * MINUTE).toISOString());
    now = new Date(now.getTime() + 60 * MINUTE);
    const late = await decide(PERSONAS.approver, approval!.id, 'approve');
    expect(late.statusCode).toBe(409);
    expect(errorCode(late)).toBe('expired');
    expect(await auditRowsOf(late)).toEqual([]);
    const seen = await get(PERSONAS.approver, approval!.id);
    expect(seen.status).toBe('expired');
    expect(seen.can_decide.reason).toMatch(/expired/);
    const list = ApprovalPage.parse(
      (await call(PERSONAS.viewer, 'GET', `/api/v1/approvals?status=expired&incident_id=${incidentId}`)).json()
    );
    expect(list.items.map((a) => a.id)).toEqual([approval!.id]);

    expect((await app.remediation.tick()).expired).toBeGreaterThanOrEqual(1);
    const stored = await testStore.store.query<{ status: string }>('SELECT status FROM approvals WHERE id = $1', [
      approval!.id,
    ]);
    expect(stored.rows[0].status).toBe('expired');
    const audit = await testStore.store.query<{ action: string; actor: string }>(
      "SELECT action, actor FROM audit_log WHERE target_id = $1 AND action = 'approval.expired'",
      [approval!.id]
    );
    expect(audit.rows).toEqual([{ action: 'approval.expired', actor: 'opsdeck' }]);
    expect((await timelineOf(incidentId)).map((e) => e.kind)).toEqual(['approval_requested', 'approval_decided']);
  });

  it('takes feedback after the run and feeds it into the next request’s similar past outcomes', async () => {
    const incidentId = await seedIncident(testStore.store, OWN);
    const { approval } = await request(PERSONAS.operator, requestBodies.r3(incidentId));
    const early = await call(PERSONAS.operator, 'POST', `/api/v1/approvals/${approval!.id}/feedback`, {
      outcome: 'helped',
    });
    expect(early.statusCode).toBe(409);
    expect(errorCode(early)).toBe('invalid_transition');
    await decide(PERSONAS.approver, approval!.id, 'approve');
    await decide(PERSONAS.approver2, approval!.id, 'approve');
    await app.remediation.idle();

    const feedback = await call(PERSONAS.operator, 'POST', `/api/v1/approvals/${approval!.id}/feedback`, {
      outcome: 'helped',
      comment: 'p95 back under 100 ms within 2 minutes',
    });
    expect(feedback.statusCode).toBe(200);
    expect(Approval.parse(feedback.json()).feedback).toMatchObject({ outcome: 'helped', by: 'otto' });
    expect(await auditRowsOf(feedback)).toEqual([{ action: 'approval.feedback', actor: 'otto' }]);
    expect((await timelineOf(incidentId)).map((e) => e.kind)).toContain('feedback_recorded');

    const next = await request(PERSONAS.operator, requestBodies.r3(await seedIncident(testStore.store, OWN)));
    const outcomes = next.approval!.similar_past_outcomes;
    expect(outcomes.helped).toBeGreaterThanOrEqual(1);
    expect(outcomes.total).toBe(outcomes.succeeded + outcomes.failed);
    expect(outcomes.last[0]).toMatchObject({
      approval_id: approval!.id,
      incident_id: incidentId,
      outcome: 'succeeded, helped',
    });
    // Another project's history never shows up.
    const foreign = await request(
      PERSONAS.otherOperator,
      requestBodies.r3(await seedIncident(testStore.store, OTHER)),
      otherScope
    );
    expect(foreign.response.statusCode).toBe(201);
    expect(foreign.approval!.similar_past_outcomes).toMatchObject({ total: 0, helped: 0, last: [] });
    // A member of one project is not a member of another.
    const outsider = await request(
      PERSONAS.otherOperator,
      requestBodies.r3(await seedIncident(testStore.store, OWN)),
      ownScope
    );
    expect(outsider.response.statusCode).toBe(403);
    expect(errorCode(outsider.response)).toBe('insufficient_permissions');
  });

  it('pages the approvals list with a cursor and filters by risk class', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const url = `/api/v1/approvals?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = ApprovalPage.parse((await call(PERSONAS.viewer, 'GET', url)).json());
      page.items.forEach((a) => seen.add(a.id));
      cursor = page.next_cursor;
    } while (cursor);
    const { rows } = await testStore.store.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM approvals WHERE tenant = $1 AND project = $2',
      [OWN.tenant, OWN.project]
    );
    expect(seen.size).toBe(rows[0].n);
    const r3 = ApprovalPage.parse(
      (await call(PERSONAS.viewer, 'GET', '/api/v1/approvals?risk_class=R3&limit=500')).json()
    );
    expect(r3.items.length).toBeGreaterThan(0);
    expect(r3.items.every((a) => a.risk_class === 'R3')).toBe(true);
    expect((await call(PERSONAS.viewer, 'GET', '/api/v1/approvals?cursor=not-a-cursor')).statusCode).toBe(400);
  });

  it('serves the project’s audit rows with filters and a cursor, and every row to a global `*`', async () => {
    const own = AuditPage.parse((await call(PERSONAS.viewer, 'GET', '/api/v1/audit?limit=500')).json());
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((row) => row.project === OWN.project && row.tenant === OWN.tenant)).toBe(true);
    expect(own.items.map((row) => row.id)).toEqual([...own.items.map((row) => row.id)].sort((a, b) => b - a));

    const byActor = AuditPage.parse(
      (await call(PERSONAS.viewer, 'GET', '/api/v1/audit?actor=amir&action=approval.approve')).json()
    );
    expect(byActor.items.length).toBeGreaterThan(0);
    expect(byActor.items.every((row) => row.actor === 'amir' && row.action === 'approval.approve')).toBe(true);

    const first = AuditPage.parse((await call(PERSONAS.viewer, 'GET', '/api/v1/audit?limit=2')).json());
    const second = AuditPage.parse(
      (await call(PERSONAS.viewer, 'GET', `/api/v1/audit?limit=2&cursor=${first.next_cursor}`)).json()
    );
    expect(second.items[0].id).toBeLessThan(first.items[1].id);

    const other = AuditPage.parse(
      (await call(PERSONAS.otherOperator, 'GET', '/api/v1/audit?limit=500', undefined, otherScope)).json()
    );
    expect(other.items.every((row) => row.project === OTHER.project)).toBe(true);
    const everything = AuditPage.parse(
      (await call(PERSONAS.globalAdmin, 'GET', '/api/v1/audit?limit=500', undefined, '*')).json()
    );
    expect(everything.items.length).toBeGreaterThan(own.items.length);

    const range = AuditPage.parse(
      (
        await call(
          PERSONAS.viewer,
          'GET',
          `/api/v1/audit?from=${encodeURIComponent(new Date(now.getTime() + MINUTE).toISOString())}`
        )
      ).json()
    );
    expect(range.items).toEqual([]);
  });

  it('keeps the audit chain intact through all of it', async () => {
    const response = await call(PERSONAS.globalAdmin, 'GET', '/api/v1/audit/verify', undefined, null);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, first_broken_id: null });
  });

  describe('crash between decision and execution', () => {
    it('resumes a committed approval on restart and calls the executor exactly once', async () => {
      // Process A approves but dies before its worker calls the executor (paused = never runs).
      await app.close();
      const a = await build({ paused: true });
      const incidentId = await seedIncident(testStore.store, OWN);
      const requested = await a.app.inject({
        method: 'POST',
        url: '/api/v1/approvals',
        headers: headersFor(PERSONAS.operator, ownScope),
        payload: requestBodies.r2(incidentId),
      });
      const id = Approval.parse(requested.json()).id;
      await a.app.inject({
        method: 'POST',
        url: `/api/v1/approvals/${id}/decision`,
        headers: headersFor(PERSONAS.approver, ownScope),
        payload: { decision: 'approve', comment: 'go' },
      });
      await a.app.close();
      const intent = await testStore.store.query<{ status: string; idempotency_key: string }>(
        'SELECT status, idempotency_key FROM executions WHERE approval_id = $1',
        [id]
      );
      expect(intent.rows).toEqual([{ status: 'pending', idempotency_key: `opsdeck-approval-${id}` }]);
      expect(callsFor(id)).toHaveLength(0);

      // Process B starts: its recovery pass runs the intent once.
      const b = await build();
      await b.app.remediation.idle();
      expect(callsFor(id)).toHaveLength(1);
      expect(callsFor(id)[0].idempotencyKey).toBe(`opsdeck-approval-${id}`);
      await b.app.close();

      // Process C starts: nothing left to run.
      t = await build();
      app = t.app;
      await app.remediation.idle();
      await app.remediation.tick();
      expect(callsFor(id)).toHaveLength(1);
      expect((await get(PERSONAS.viewer, id)).status).toBe('succeeded');
    });

    it('re-sends a call cut off mid-flight with the same key once its lease ran out; the executor does the work once', async () => {
      await app.close();
      const a = await build({ paused: true });
      const incidentId = await seedIncident(testStore.store, OWN);
      const requested = await a.app.inject({
        method: 'POST',
        url: '/api/v1/approvals',
        headers: headersFor(PERSONAS.operator, ownScope),
        payload: requestBodies.r1(incidentId),
      });
      const id = Approval.parse(requested.json()).id;
      await a.app.close();
      // The state a crash during the executor call leaves: claimed (running) with a lease, no result.
      await testStore.store.query(
        "UPDATE executions SET status = 'running', attempts = 1, started_at = $2, lease_until = $3 WHERE approval_id = $1",
        [id, now.toISOString(), new Date(now.getTime() + 90_000).toISOString()]
      );
      await testStore.store.query("UPDATE approvals SET status = 'executing' WHERE id = $1", [id]);

      // Restarted while the lease still holds: nobody takes it over.
      t = await build();
      app = t.app;
      await app.remediation.idle();
      expect(callsFor(id)).toHaveLength(0);
      // Lease over: re-sent once, with the same key.
      now = new Date(now.getTime() + 2 * MINUTE);
      await app.remediation.tick();
      await app.remediation.tick();
      expect(callsFor(id)).toHaveLength(1);
      expect(executor.effects.filter((key) => key === `opsdeck-approval-${id}`)).toHaveLength(1);
      const detail = await get(PERSONAS.viewer, id);
      expect(detail.status).toBe('succeeded');
      const attempts = await testStore.store.query<{ attempts: number }>(
        'SELECT attempts FROM executions WHERE approval_id = $1',
        [id]
      );
      expect(attempts.rows[0].attempts).toBe(2);
    });
  });

  it('answers GET /api/v1/me with the role here, globally and per project', async () => {
    const me = (await call(PERSONAS.approver, 'GET', '/api/v1/me')).json();
    expect(me).toEqual({
      user: 'ana',
      access_file: true,
      role: 'approver',
      global_role: null,
      projects: [{ tenant: OWN.tenant, project: OWN.project, role: 'approver' }],
    });
    const noProject = (await call(PERSONAS.approver, 'GET', '/api/v1/me', undefined, null)).json();
    expect(noProject.role).toBeNull();
    const root = (await call(PERSONAS.globalAdmin, 'GET', '/api/v1/me', undefined, null)).json();
    expect(root).toMatchObject({ role: 'admin', global_role: 'admin' });
  });
});
