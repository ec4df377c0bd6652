/**
 * The three mutating steps of an approval, each one transaction with its timeline entry and exactly
 * one audit row: request (with the evidence bundle and the policy's verdict; R1 and policy-free R2
 * also write the execution intent), decide (one final decision, enforced by the database), feedback.
 */
import canonicalize from 'canonicalize';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

import type {
  ActionDefinition,
  Approval,
  ApprovalRequestBody,
  BudgetAtRequest,
  DecisionBody,
  FeedbackBody,
} from '../../contract/approvals';
import type { Catalog } from '../../catalog/model';
import { appendAudit } from '../audit/append';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { hasRole } from '../access/resolve';
import { auditContextOf } from '../plugins/auth';
import type { Sql } from '../store';
import { sloStatusList } from '../slo/service';
import { evaluateFreeze, serviceOf, type FreezeInput, type FreezeVerdict } from './freeze';
import { evidenceLink, evidenceQueryValues } from './evidence-links';
import { appendTimeline, findIncident, newIdAt, type IncidentRef } from './incidents';
import { parameterValidator } from './parameters';
import {
  checkEvidence,
  evaluatePolicy,
  identityKey,
  nonAdminSlotOpen,
  sameIdentity,
  separationOfDutiesApplies,
  type PolicyOutcome,
} from './policy';
import {
  applyDecision,
  decidersOf,
  findApproval,
  findIdempotencyKey,
  insertDecision,
  insertApproval,
  insertIdempotencyKey,
  similarOutcomes,
  toApprovals,
  type ApprovalRecord,
} from './repository';

const MINUTE = 60_000;
const UNIQUE_VIOLATION = '23505';
/** Incident statuses in which nothing is remediated any more. */
const FINISHED_INCIDENT_STATUSES = ['closed'];

export const idempotencyKeyOf = (approvalId: string) => `opsdeck-approval-${approvalId}`;

/** The request's audit context, filed under the approval's own project (also when the caller used `X-Project-ID: *`). */
const auditContextIn = (request: FastifyRequest, where: { tenant: string; project: string }) => ({
  ...auditContextOf(request),
  tenant: where.tenant,
  project: where.project,
});

// The caller's access.yaml role in the project, not the route's: a read of a request answers whether
// Opsdeck's own rules let them decide it (can_decide); whether Grafana grants deciding the app knows.
const callerOf = (app: FastifyInstance, request: FastifyRequest) => ({
  user: request.identity.user,
  role: request.identity.scopeRole ?? 'viewer',
  now: app.now(),
});

async function approvalView(
  app: FastifyInstance,
  request: FastifyRequest,
  sql: Sql,
  record: ApprovalRecord
): Promise<Approval> {
  const [approval] = await toApprovals(sql, [record], callerOf(app, request));
  return approval;
}

export async function writeExecutionIntent(tx: Sql, approvalId: string, now: Date) {
  await tx.query(
    `INSERT INTO executions (approval_id, idempotency_key, status, created_at) VALUES ($1, $2, 'pending', $3)
     ON CONFLICT (approval_id) DO NOTHING`,
    [approvalId, idempotencyKeyOf(approvalId), now.toISOString()]
  );
}

/** What the freeze needs to know: the action's service's SLO statuses now (skipped when no freeze can apply). */
async function freezeInputOf(
  app: FastifyInstance,
  request: FastifyRequest,
  action: ActionDefinition,
  parameters: Record<string, unknown>,
  body: ApprovalRequestBody
): Promise<FreezeInput> {
  const catalog = app.catalog.current();
  const policy = catalog.errorBudgetPolicy;
  const service = serviceOf(action, parameters);
  const status =
    policy && service
      ? await sloStatusList(
          {
            catalog,
            store: app.store,
            prometheusUrl: app.config.prometheusUrl ?? null,
            now: app.now(),
            onBackendFailure: (error) =>
              request.log.warn({ err: error.message }, 'approval: SLO budget read fell back to in_memory'),
          },
          { service }
        )
      : null;
  return {
    action,
    parameters,
    policy,
    status,
    reliabilityReason: body.reliability_reason,
    breakGlassReason: body.break_glass?.reason,
  };
}

/**
 * The approval policy's verdict with the freeze applied: a refused change is 409 `change_frozen`
 * naming the SLOs; a depleted budget without a reliability reason is 400; otherwise the freeze adds
 * approvers (and admins, for break-glass) and says why in `policy_reason`.
 */
function withFreeze(verdict: PolicyOutcome, freeze: FreezeVerdict) {
  if (freeze.kind === 'refused') {
    const breakGlass = freeze.breakGlass
      ? ` Break-glass: send break_glass.reason; it needs ${freeze.breakGlass.approvers} approvers, ${freeze.breakGlass.admins} of them admin.`
      : '';
    throw conflict(
      'change_frozen',
      `changes to ${freeze.service} are frozen: SLO ${freeze.sloIds.join(', ')} ${freeze.sloIds.length === 1 ? 'is' : 'are'} ${freeze.state} (error budget policy).${breakGlass}`,
      {
        service: freeze.service,
        state: freeze.state,
        slo_ids: freeze.sloIds,
        break_glass: freeze.breakGlass,
        budget_at_request: freeze.budget,
      }
    );
  }
  if (freeze.kind === 'reason_required') {
    throw badRequest(
      `SLO ${freeze.sloIds.join(', ')} of ${freeze.service} ${freeze.sloIds.length === 1 ? 'is' : 'are'} ${freeze.state}: a change needs reliability_reason (why it is reliability work)`,
      { service: freeze.service, state: freeze.state, slo_ids: freeze.sloIds, missing: ['reliability_reason'] }
    );
  }
  if (freeze.kind === 'none' || (freeze.extraApprovals === 0 && freeze.budget.freeze?.outcome === 'exempt')) {
    return { verdict, freeze: { budget: freeze.budget, adminApprovals: 0 } };
  }
  const explanation = freeze.budget.freeze?.explanation ?? 'error budget freeze';
  return {
    verdict: {
      requires_approval: true,
      min_approvals: freeze.minApprovals,
      reason: verdict.requires_approval ? `${verdict.reason}; ${explanation}` : explanation,
    },
    freeze: { budget: freeze.budget, adminApprovals: freeze.adminApprovals },
  };
}

/** An Idempotency-Key header as clients send it (a UUID, a ULID, a hash): anything else is 400. */
const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function idempotencyKeyFrom(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) {
    return null;
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw badRequest('Idempotency-Key must be 1 to 128 letters, digits, or . _ : -', { header: 'Idempotency-Key' });
  }
  return value;
}

interface IdempotentRequest {
  key: string;
  hash: string;
}

/** The approval an earlier request with this key made (null: none), or 409 when the key was used for another request. */
async function replayOf(
  tx: Sql,
  where: { tenant: string; project: string; user: string },
  idempotency: IdempotentRequest
): Promise<ApprovalRecord | null> {
  const earlier = await findIdempotencyKey(
    tx,
    { tenant: where.tenant, project: where.project, requestedBy: identityKey(where.user) },
    idempotency.key
  );
  if (!earlier) {
    return null;
  }
  if (earlier.request_hash !== idempotency.hash) {
    throw conflict(
      'idempotency_key_reused',
      `Idempotency-Key ${idempotency.key} was used for a different request; use a new key for a new request`,
      { approval_id: earlier.approval_id }
    );
  }
  return findApproval(tx, earlier.approval_id, { kind: 'all' });
}

export interface RequestOutcome {
  approval: Approval;
  /** True when the Idempotency-Key named a request made before: nothing new was written. */
  replayed: boolean;
}

/**
 * Requests an action. The answer is built inside the transaction (issue 17 item 4: built after COMMIT
 * on a fresh connection, it could fail after the action was committed, and a retrying client then
 * requested it again). With an Idempotency-Key, a retry gets the same approval back.
 */
export async function requestApproval(
  app: FastifyInstance,
  request: FastifyRequest,
  body: ApprovalRequestBody,
  idempotencyKey: string | null = null
): Promise<RequestOutcome> {
  const idempotency: IdempotentRequest | null = idempotencyKey
    ? {
        key: idempotencyKey,
        hash: createHash('sha256')
          .update(canonicalize(body) ?? '')
          .digest('hex'),
      }
    : null;
  try {
    return await requestApprovalOnce(app, request, body, idempotency);
  } catch (error) {
    // Two retries with one key raced: the loser's INSERT met the winner's key. Answer with the winner's.
    if (idempotency && (error as { code?: string }).code === UNIQUE_VIOLATION) {
      return requestApprovalOnce(app, request, body, idempotency);
    }
    throw error;
  }
}

/** The request's action, its schema-checked parameters and its evidence bundle, or 400/404. */
function validatedRequest(catalog: Catalog, body: ApprovalRequestBody) {
  const action = catalog.actions.get(body.action_id);
  if (!action) {
    throw notFound('action_not_found', `no action ${body.action_id} in the catalog (GET /api/v1/actions lists them)`, {
      action_id: body.action_id,
    });
  }
  const validate = parameterValidator(action);
  const parameters = structuredClone(body.parameters);
  if (!validate(parameters)) {
    const issues = (validate.errors ?? []).map((e) => ({
      path: `parameters${e.instancePath.replace(/\//g, '.')}`,
      message: e.message ?? 'invalid',
    }));
    throw badRequest(
      `parameters do not match ${action.id}'s schema: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      { issues }
    );
  }
  const evidenceCheck = checkEvidence(action.risk_class, body.evidence, action);
  if (!evidenceCheck.ok) {
    const missing = evidenceCheck.missing.length > 0 ? `; missing: ${evidenceCheck.missing.join(', ')}` : '';
    throw badRequest(`${action.risk_class} requests need the complete evidence bundle${missing}`, {
      missing: evidenceCheck.missing,
      issues: evidenceCheck.issues,
    });
  }
  const evidence = evidenceCheck.evidence;
  const unknownQueries = evidence.saved_query_ids.filter((id) => !catalog.queries.has(id));
  if (unknownQueries.length > 0) {
    throw badRequest(`unknown saved queries: ${unknownQueries.join(', ')}`, { saved_query_ids: unknownQueries });
  }
  return { action, parameters, evidence };
}

type ValidatedRequest = ReturnType<typeof validatedRequest>;

/** Everything a new request is built from, read and checked before its rows are written. */
interface RequestPlan extends ValidatedRequest {
  catalog: Catalog;
  incident: IncidentRef;
  now: Date;
  verdict: PolicyOutcome;
  freeze: { budget: BudgetAtRequest | null; adminApprovals: number };
}

async function requestApprovalOnce(
  app: FastifyInstance,
  request: FastifyRequest,
  body: ApprovalRequestBody,
  idempotency: IdempotentRequest | null
): Promise<RequestOutcome> {
  const catalog = app.catalog.current();
  const validated = validatedRequest(catalog, body);
  const now = app.now();
  const scope = request.identity.scope;
  if (!scope) {
    throw badRequest('X-Project-ID header is required for this route', { header: 'X-Project-ID' });
  }
  // Read before the transaction: the budget may come from Prometheus (network, 2 s deadline).
  const freezeInput = await freezeInputOf(app, request, validated.action, validated.parameters, body);

  const outcome = await app.store.transaction(async (tx) => {
    const incident = await findIncident(tx, body.incident_id, scope);
    if (!incident) {
      throw notFound('incident_not_found', `no incident ${body.incident_id} in this project`, {
        incident_id: body.incident_id,
      });
    }
    const where = { tenant: incident.tenant, project: incident.project, user: request.identity.user };
    const earlier = idempotency ? await replayOf(tx, where, idempotency) : null;
    if (earlier) {
      return { record: earlier, approval: await approvalView(app, request, tx, earlier), replayed: true };
    }
    if (FINISHED_INCIDENT_STATUSES.includes(incident.status)) {
      throw conflict(
        'invalid_transition',
        `incident ${incident.id} is ${incident.status}; reopen it before requesting remediation`,
        {
          incident_status: incident.status,
        }
      );
    }
    const { evidence, action } = validated;
    const policyVerdict = evaluatePolicy(catalog.approvalPolicy, action.risk_class, {
      environment: evidence.environment,
      impactCount: Math.max(evidence.impact_radius.count, evidence.impact_radius.resources.length),
      at: now,
    });
    const { verdict, freeze } = withFreeze(
      policyVerdict,
      evaluateFreeze(freezeInput, policyVerdict.requires_approval ? policyVerdict.min_approvals : 0)
    );
    const plan: RequestPlan = { ...validated, catalog, incident, now, verdict, freeze };
    const approval = await approvalRecordOf(app, request, tx, plan);
    await writeRequest(tx, request, plan, approval, idempotency);
    return { record: approval, approval: await approvalView(app, request, tx, approval), replayed: false };
  });
  if (!outcome.replayed && outcome.record.status === 'approved') {
    app.remediation.kick(outcome.record.id);
  }
  return { approval: outcome.approval, replayed: outcome.replayed };
}

/** The new approval row: the policy's verdict, the evidence and its links, similar past outcomes. */
async function approvalRecordOf(
  app: FastifyInstance,
  request: FastifyRequest,
  tx: Sql,
  { catalog, incident, now, verdict, freeze, action, parameters, evidence }: RequestPlan
): Promise<ApprovalRecord> {
  const values = evidenceQueryValues(incident, now);
  const savedQueryLinks = evidence.saved_query_ids.map((id) =>
    evidenceLink(catalog.queries.get(id)!, values, {
      datasourceUids: app.config.exploreDatasources,
      grafanaBaseUrl: app.config.grafanaUrl,
    })
  );
  return {
    id: newIdAt(now),
    incident_id: incident.id,
    tenant: incident.tenant,
    project: incident.project,
    action_id: action.id,
    action_title: action.title,
    risk_class: action.risk_class,
    status: verdict.requires_approval ? 'pending' : 'approved',
    requires_approval: verdict.requires_approval,
    policy_reason: verdict.reason,
    min_approvals: verdict.min_approvals,
    approvals_received: 0,
    requested_by: request.identity.user,
    requested_at: now,
    expires_at: new Date(now.getTime() + catalog.approvalPolicy.request_ttl_minutes * MINUTE),
    decided_at: verdict.requires_approval ? null : now,
    parameters,
    evidence,
    similar_past_outcomes: await similarOutcomes(tx, {
      tenant: incident.tenant,
      project: incident.project,
      action_id: action.id,
    }),
    slo_burn_at_request: incident.slo_burn_rate,
    saved_query_links: savedQueryLinks,
    correlation_id: request.id,
    budget_at_request: freeze.budget,
    min_admin_approvals: freeze.adminApprovals,
    admin_approvals_received: 0,
  };
}

/** The request's rows: the approval, its idempotency key, the execution intent when no approval is needed, timeline, audit. */
async function writeRequest(
  tx: Sql,
  request: FastifyRequest,
  { incident, now, verdict, freeze, action, parameters }: RequestPlan,
  approval: ApprovalRecord,
  idempotency: IdempotentRequest | null
) {
  await insertApproval(tx, approval, now);
  if (idempotency) {
    await insertIdempotencyKey(
      tx,
      { tenant: approval.tenant, project: approval.project, requestedBy: identityKey(approval.requested_by) },
      { ...idempotency, approvalId: approval.id },
      now
    );
  }
  if (!verdict.requires_approval) {
    await writeExecutionIntent(tx, approval.id, now);
  }
  await appendTimeline(tx, {
    incident_id: incident.id,
    at: now,
    kind: 'approval_requested',
    actor: request.identity.user,
    summary: verdict.requires_approval
      ? `requested ${action.title} (${action.risk_class}); waits for ${verdict.min_approvals} approver${verdict.min_approvals === 1 ? '' : 's'}: ${verdict.reason}`
      : `requested ${action.title} (${action.risk_class}); runs without approval: ${verdict.reason}`,
    data: {
      approval_id: approval.id,
      action_id: action.id,
      risk_class: action.risk_class,
      requires_approval: verdict.requires_approval,
    },
    correlation_id: request.id,
  });
  await appendAudit(
    tx,
    auditContextIn(request, incident),
    {
      // Break-glass gets its own audit action, so that an auditor finds every one with one filter.
      action: freeze.budget?.freeze?.outcome === 'break_glass' ? 'approval.request_break_glass' : 'approval.request',
      target_type: 'approval',
      target_id: approval.id,
      before: null,
      after: {
        incident_id: incident.id,
        action_id: action.id,
        risk_class: action.risk_class,
        status: approval.status,
        min_approvals: approval.min_approvals,
        parameters,
        policy_reason: verdict.reason,
        ...(freeze.budget?.freeze
          ? { budget_freeze: freeze.budget.freeze, min_admin_approvals: freeze.adminApprovals }
          : {}),
      },
    },
    now
  );
}

/** 409 for a request that can no longer be decided, read again: a concurrent decision may have committed. */
async function refusal(tx: Sql, request: FastifyRequest, current: ApprovalRecord) {
  const latest = (await findApproval(tx, current.id, request.identity.scope)) ?? current;
  if (latest.status !== 'pending') {
    return conflict('already_decided', `approval ${current.id} is already ${latest.status}`, { status: latest.status });
  }
  return conflict('expired', `approval ${current.id} expired at ${latest.expires_at.toISOString()}`, {
    expires_at: latest.expires_at.toISOString(),
  });
}

const adminNeeded = (current: ApprovalRecord) =>
  forbidden(
    'admin_approval_required',
    `approval ${current.id} is a break-glass request: the remaining approval must come from an admin`,
    {
      min_admin_approvals: current.min_admin_approvals,
    }
  );

/** 403 for the requester of a separation-of-duties action (checked before anything else about the request). */
function checkSeparationOfDuties(current: ApprovalRecord, user: string) {
  if (separationOfDutiesApplies(current.risk_class) && sameIdentity(current.requested_by, user)) {
    throw forbidden(
      'separation_of_duties',
      `${user} requested this ${current.risk_class} action and cannot decide it; another approver must`,
      {
        requested_by: current.requested_by,
      }
    );
  }
}

/** 409 for an approver who decided this request already. */
async function checkFirstDecisionBy(tx: Sql, current: ApprovalRecord, user: string) {
  // Compared here, not in SQL: lower() depends on the database's locale, identityKey does not.
  const deciders = await decidersOf(tx, current.id);
  if (deciders.some((decidedBy) => sameIdentity(decidedBy, user))) {
    throw conflict('already_decided', `${user} already decided approval ${current.id}; it waits for another approver`, {
      decided_by: user,
    });
  }
}

// An admin here is a caller who proved Grafana's catalog:admin (Opsdeck Admin) besides the decide
// capability of this route, and whom access.yaml lets act as admin in this project: the decide route
// alone proves approvals:decide only (docs/error-budgets.md, break-glass).
const isAdminDecider = (request: FastifyRequest) =>
  request.identity.capabilities.includes('catalog:admin') &&
  request.identity.scopeRole !== null &&
  hasRole(request.identity.scopeRole, 'admin');

export async function decideApproval(
  app: FastifyInstance,
  request: FastifyRequest,
  id: string,
  body: DecisionBody
): Promise<Approval> {
  const now = app.now();
  const user = request.identity.user;
  const record = await app.store.transaction(async (tx) => {
    // FOR UPDATE: deciders of one request queue here, so "has this approver (in any letter case)
    // decided already" below cannot race with another spelling of the same login.
    const current = await findApproval(tx, id, request.identity.scope, { forUpdate: true });
    if (!current) {
      throw notFound('approval_not_found', `no approval ${id} in this project`, { approval_id: id });
    }
    checkSeparationOfDuties(current, user);
    if (current.status !== 'pending' || current.expires_at.getTime() <= now.getTime()) {
      throw await refusal(tx, request, current);
    }
    await checkFirstDecisionBy(tx, current, user);
    const isAdmin = isAdminDecider(request);
    if (body.decision === 'approve' && !isAdmin && !nonAdminSlotOpen(current)) {
      throw adminNeeded(current);
    }
    const moved = await applyDecision(tx, id, body.decision, { now, isAdmin });
    if (!moved) {
      const latest = await findApproval(tx, id, request.identity.scope);
      if (latest && latest.status === 'pending' && latest.expires_at > now && !nonAdminSlotOpen(latest)) {
        throw adminNeeded(current);
      }
      throw await refusal(tx, request, current);
    }
    await writeDecision(tx, request, current, body, { ...moved, now, isAdmin });
    const decided = (await findApproval(tx, id, request.identity.scope))!;
    // The answer is read inside the transaction: nothing can fail between COMMIT and the reply.
    return { decided, view: await approvalView(app, request, tx, decided) };
  });
  if (record.decided.status === 'approved') {
    app.remediation.kick(record.decided.id);
  }
  return record.view;
}

/** A decision's rows: the decision itself, the execution intent once approved, timeline, audit. */
async function writeDecision(
  tx: Sql,
  request: FastifyRequest,
  current: ApprovalRecord,
  body: DecisionBody,
  moved: { status: string; approvals_received: number; now: Date; isAdmin: boolean }
) {
  const { id } = current;
  const { status, now, isAdmin } = moved;
  const user = request.identity.user;
  const final = status !== 'pending';
  try {
    await insertDecision(tx, { id, user, decision: body.decision, comment: body.comment, now, final });
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
      throw conflict('already_decided', `${user} already decided approval ${id}`, { decided_by: user });
    }
    throw error;
  }
  if (status === 'approved') {
    await writeExecutionIntent(tx, id, now);
  }
  const waiting = Math.max(current.min_approvals, 1) - moved.approvals_received;
  await appendTimeline(tx, {
    incident_id: current.incident_id,
    at: now,
    kind: 'approval_decided',
    actor: user,
    summary:
      body.decision === 'reject'
        ? `rejected ${current.action_title}: ${body.comment}`
        : final
          ? `approved ${current.action_title}; it runs now: ${body.comment}`
          : `approved ${current.action_title}; waits for ${waiting} more approver${waiting === 1 ? '' : 's'}: ${body.comment}`,
    data: { approval_id: id, decision: body.decision, status, final },
    correlation_id: request.id,
  });
  await appendAudit(
    tx,
    auditContextIn(request, current),
    {
      action: `approval.${body.decision}`,
      target_type: 'approval',
      target_id: id,
      before: { status: current.status, approvals_received: current.approvals_received },
      after: {
        status,
        approvals_received: moved.approvals_received,
        comment: body.comment,
        ...(current.min_admin_approvals > 0 ? { break_glass: true, as_admin: isAdmin } : {}),
      },
    },
    now
  );
}

export async function recordFeedback(
  app: FastifyInstance,
  request: FastifyRequest,
  id: string,
  body: FeedbackBody
): Promise<Approval> {
  const now = app.now();
  return app.store.transaction(async (tx) => {
    const current = await findApproval(tx, id, request.identity.scope);
    if (!current) {
      throw notFound('approval_not_found', `no approval ${id} in this project`, { approval_id: id });
    }
    if (current.status !== 'succeeded' && current.status !== 'failed') {
      throw conflict(
        'invalid_transition',
        `feedback is recorded after the action ran; approval ${id} is ${current.status}`,
        { status: current.status }
      );
    }
    const before = await tx.query('SELECT outcome, comment FROM approval_feedback WHERE approval_id = $1', [id]);
    await tx.query(
      `INSERT INTO approval_feedback (approval_id, outcome, comment, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (approval_id) DO UPDATE SET outcome = EXCLUDED.outcome, comment = EXCLUDED.comment,
         recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at`,
      [id, body.outcome, body.comment ?? null, request.identity.user, now.toISOString()]
    );
    await appendTimeline(tx, {
      incident_id: current.incident_id,
      at: now,
      kind: 'feedback_recorded',
      actor: request.identity.user,
      summary: `${current.action_title}: ${body.outcome.replace(/_/g, ' ')}${body.comment ? ` — ${body.comment}` : ''}`,
      data: { approval_id: id, outcome: body.outcome },
      correlation_id: request.id,
    });
    await appendAudit(
      tx,
      auditContextIn(request, current),
      {
        action: 'approval.feedback',
        target_type: 'approval',
        target_id: id,
        before: before.rows[0] ?? null,
        after: { outcome: body.outcome, comment: body.comment ?? null },
      },
      now
    );
    return approvalView(app, request, tx, current);
  });
}
