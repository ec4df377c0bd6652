/**
 * SQL for approvals and what hangs off them (decisions, execution, verification, feedback), and the
 * mapping to the contract's Approval. Every read takes the caller's scope; see access/scope.ts.
 */
import type {
  Approval,
  BudgetAtRequest,
  ApprovalListQuery,
  ApprovalStatus,
  Decision,
  Evidence,
  RiskClass,
  SimilarOutcomes,
} from '../../contract/approvals';
import { scopeCondition } from '../access/scope';
import { incidentTitles } from '../incidents/lookup';
import { decodeCursor, encodeCursor } from '../store/cursor';
import { EFFECTIVE_STATUS_SQL } from './pending-summary';

// The route still reads the cursor through this module (listed as debt in .dependency-cruiser.cjs).
export { decodeCursor };
import type { RequestScope } from '../access/identity';
import type { Row, Sql } from '../store';
import { canDecide, effectiveStatus, type DecisionContext } from './policy';

export interface ApprovalRecord {
  id: string;
  incident_id: string;
  tenant: string;
  project: string;
  action_id: string;
  action_title: string;
  risk_class: RiskClass;
  status: ApprovalStatus;
  requires_approval: boolean;
  policy_reason: string;
  min_approvals: number;
  approvals_received: number;
  requested_by: string;
  requested_at: Date;
  expires_at: Date;
  decided_at: Date | null;
  parameters: Record<string, unknown>;
  evidence: Evidence;
  similar_past_outcomes: SimilarOutcomes;
  slo_burn_at_request: number | null;
  saved_query_links: Approval['saved_query_links'];
  correlation_id: string;
  budget_at_request: BudgetAtRequest | null;
  min_admin_approvals: number;
  admin_approvals_received: number;
}

const asDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
const asDateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : asDate(value));
const asJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export const APPROVAL_COLUMNS = `id, incident_id, tenant, project, action_id, action_title, risk_class, status, requires_approval,
  policy_reason, min_approvals, approvals_received, requested_by, requested_at, expires_at, decided_at, parameters, evidence,
  similar_past_outcomes, slo_burn_at_request, saved_query_links, correlation_id, budget_at_request, min_admin_approvals,
  admin_approvals_received`;

export function approvalRecordFrom(row: Row): ApprovalRecord {
  return {
    id: String(row.id),
    incident_id: String(row.incident_id),
    tenant: String(row.tenant),
    project: String(row.project),
    action_id: String(row.action_id),
    action_title: String(row.action_title),
    risk_class: row.risk_class as RiskClass,
    status: row.status as ApprovalStatus,
    requires_approval: Boolean(row.requires_approval),
    policy_reason: String(row.policy_reason),
    min_approvals: Number(row.min_approvals),
    approvals_received: Number(row.approvals_received),
    requested_by: String(row.requested_by),
    requested_at: asDate(row.requested_at),
    expires_at: asDate(row.expires_at),
    decided_at: asDateOrNull(row.decided_at),
    parameters: asJson(row.parameters),
    evidence: asJson(row.evidence),
    similar_past_outcomes: asJson(row.similar_past_outcomes),
    slo_burn_at_request: numberOrNull(row.slo_burn_at_request),
    // Rows written before links named their missing variables read as "none named".
    saved_query_links: asJson<
      Array<
        Omit<ApprovalRecord['saved_query_links'][number], 'missing_variables'> & {
          missing_variables?: ApprovalRecord['saved_query_links'][number]['missing_variables'];
        }
      >
    >(row.saved_query_links).map((link) => ({
      ...link,
      missing_variables: link.missing_variables ?? [],
    })),
    correlation_id: String(row.correlation_id),
    budget_at_request:
      row.budget_at_request === null || row.budget_at_request === undefined ? null : asJson(row.budget_at_request),
    min_admin_approvals: Number(row.min_admin_approvals ?? 0),
    admin_approvals_received: Number(row.admin_approvals_received ?? 0),
  };
}

/** Everyone who decided this request so far (compared by the caller with identityKey, not SQL lower()). */
export async function decidersOf(tx: Sql, approvalId: string): Promise<string[]> {
  const { rows } = await tx.query<{ decided_by: string }>(
    'SELECT decided_by FROM approval_decisions WHERE approval_id = $1',
    [approvalId]
  );
  return rows.map((row) => row.decided_by);
}

/**
 * The one place a request leaves pending: the database picks the winner among concurrent deciders.
 * Null when the request was no longer pending, had expired, or (approve by a non-admin) has only
 * admin slots left.
 */
export async function applyDecision(
  tx: Sql,
  id: string,
  decision: 'approve' | 'reject',
  { now, isAdmin }: { now: Date; isAdmin: boolean }
): Promise<{ status: string; approvals_received: number } | null> {
  const moved = await tx.query<{ status: string; approvals_received: number }>(
    decision === 'approve'
      ? // $3: the decider is an admin. Approved once enough approvers AND enough admins among them;
        // a non-admin fills only the non-admin slots (checked here too, against concurrent deciders).
        `UPDATE approvals
            SET approvals_received = approvals_received + 1,
                admin_approvals_received = admin_approvals_received + CASE WHEN $3 THEN 1 ELSE 0 END,
                status = CASE WHEN approvals_received + 1 >= GREATEST(min_approvals, 1)
                               AND admin_approvals_received + CASE WHEN $3 THEN 1 ELSE 0 END >= min_admin_approvals
                              THEN 'approved' ELSE 'pending' END,
                decided_at = CASE WHEN approvals_received + 1 >= GREATEST(min_approvals, 1)
                                   AND admin_approvals_received + CASE WHEN $3 THEN 1 ELSE 0 END >= min_admin_approvals
                                  THEN $2::timestamptz ELSE NULL END,
                updated_at = $2
          WHERE id = $1 AND status = 'pending' AND expires_at > $2
            AND ($3 OR approvals_received - admin_approvals_received < GREATEST(min_approvals, 1) - min_admin_approvals)
      RETURNING status, approvals_received`
      : `UPDATE approvals SET status = 'rejected', decided_at = $2, updated_at = $2
          WHERE id = $1 AND status = 'pending' AND expires_at > $2 AND $3::boolean IS NOT NULL
      RETURNING status, approvals_received`,
    [id, now.toISOString(), isAdmin]
  );
  const row = moved.rows[0];
  return row ? { status: row.status, approvals_received: Number(row.approvals_received) } : null;
}

/** One approver's decision; the table's unique key rejects a second decision by the same approver. */
export async function insertDecision(
  tx: Sql,
  entry: { id: string; user: string; decision: string; comment: string; now: Date; final: boolean }
): Promise<void> {
  await tx.query(
    `INSERT INTO approval_decisions (approval_id, decided_by, decision, comment, decided_at, final) VALUES ($1, $2, $3, $4, $5, $6)`,
    [entry.id, entry.user, entry.decision, entry.comment, entry.now.toISOString(), entry.final]
  );
}

/** Whose Idempotency-Key it is: keys are per requester (identityKey) within one project. */
export interface IdempotencyOwner {
  tenant: string;
  project: string;
  requestedBy: string;
}

/** The approval an earlier request with this key made and that request's hash, or null. */
export async function findIdempotencyKey(
  tx: Sql,
  owner: IdempotencyOwner,
  key: string
): Promise<{ approval_id: string; request_hash: string } | null> {
  const { rows } = await tx.query<{ approval_id: string; request_hash: string }>(
    `SELECT approval_id, request_hash FROM approval_idempotency
      WHERE tenant = $1 AND project = $2 AND requested_by = $3 AND idempotency_key = $4`,
    [owner.tenant, owner.project, owner.requestedBy, key]
  );
  return rows[0] ?? null;
}

export async function insertIdempotencyKey(
  tx: Sql,
  owner: IdempotencyOwner,
  request: { key: string; hash: string; approvalId: string },
  now: Date
): Promise<void> {
  await tx.query(
    `INSERT INTO approval_idempotency (tenant, project, requested_by, idempotency_key, request_hash, approval_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [owner.tenant, owner.project, owner.requestedBy, request.key, request.hash, request.approvalId, now.toISOString()]
  );
}

export async function insertApproval(tx: Sql, record: ApprovalRecord, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO approvals (${APPROVAL_COLUMNS}, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)`,
    [
      record.id,
      record.incident_id,
      record.tenant,
      record.project,
      record.action_id,
      record.action_title,
      record.risk_class,
      record.status,
      record.requires_approval,
      record.policy_reason,
      record.min_approvals,
      record.approvals_received,
      record.requested_by,
      record.requested_at.toISOString(),
      record.expires_at.toISOString(),
      record.decided_at?.toISOString() ?? null,
      JSON.stringify(record.parameters),
      JSON.stringify(record.evidence),
      JSON.stringify(record.similar_past_outcomes),
      record.slo_burn_at_request,
      JSON.stringify(record.saved_query_links),
      record.correlation_id,
      record.budget_at_request === null ? null : JSON.stringify(record.budget_at_request),
      record.min_admin_approvals,
      record.admin_approvals_received,
      now.toISOString(),
    ]
  );
}

/** The approval with this id in the caller's scope (another project's approval is "not found"). */
export async function findApproval(
  sql: Sql,
  id: string,
  scope: RequestScope | null,
  options: { forUpdate?: boolean } = {}
) {
  const params: unknown[] = [id];
  const where = scopeCondition(scope, params);
  const { rows } = await sql.query(
    `SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE id = $1 AND ${where}${options.forUpdate ? ' FOR UPDATE' : ''}`,
    params
  );
  return rows[0] ? approvalRecordFrom(rows[0]) : null;
}

/** Newest first, filtered, one page; `next_cursor` when more rows exist. */
export async function listApprovalRecords(
  sql: Sql,
  scope: RequestScope | null,
  query: ApprovalListQuery,
  now: Date,
  afterId: string | null
) {
  const params: unknown[] = [];
  const conditions = [scopeCondition(scope, params)];
  if (query.status) {
    params.push(now.toISOString(), query.status);
    conditions.push(`${EFFECTIVE_STATUS_SQL(`$${params.length - 1}::timestamptz`)} = $${params.length}`);
  }
  if (query.risk_class) {
    params.push(query.risk_class);
    conditions.push(`risk_class = $${params.length}`);
  }
  if (query.incident_id) {
    params.push(query.incident_id);
    conditions.push(`incident_id = $${params.length}`);
  }
  if (afterId !== null) {
    params.push(afterId);
    conditions.push(`id < $${params.length}`);
  }
  params.push(query.limit + 1);
  const { rows } = await sql.query(
    `SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
    params
  );
  const records = rows.slice(0, query.limit).map(approvalRecordFrom);
  const next = rows.length > query.limit ? encodeCursor(records[records.length - 1].id) : null;
  return { records, next_cursor: next };
}

/** Rows of one table keyed by approval_id. */
function byApproval(rows: Row[]): Map<string, Row[]> {
  const byId = new Map<string, Row[]>();
  for (const row of rows) {
    const id = String(row.approval_id);
    byId.set(id, [...(byId.get(id) ?? []), row]);
  }
  return byId;
}

/** What hangs off a set of approvals (decisions, execution, verification, feedback), keyed by approval id. */
async function detailsOf(sql: Sql, ids: string[]) {
  const [decisions, executions, verifications, feedback] = await Promise.all([
    sql.query(
      'SELECT approval_id, decided_by, decision, comment, decided_at FROM approval_decisions WHERE approval_id = ANY($1::text[]) ORDER BY id',
      [ids]
    ),
    sql.query(
      `SELECT approval_id, status, idempotency_key, http_status, output_excerpt, duration_ms, started_at, finished_at
         FROM executions WHERE approval_id = ANY($1::text[])`,
      [ids]
    ),
    sql.query(
      'SELECT approval_id, status, due_at, checked_at, detail FROM verifications WHERE approval_id = ANY($1::text[])',
      [ids]
    ),
    sql.query(
      'SELECT approval_id, outcome, comment, recorded_by, recorded_at FROM approval_feedback WHERE approval_id = ANY($1::text[])',
      [ids]
    ),
  ]);
  return {
    decisions: byApproval(decisions.rows),
    executions: byApproval(executions.rows),
    verifications: byApproval(verifications.rows),
    feedback: byApproval(feedback.rows),
  };
}

type ApprovalDetails = Awaited<ReturnType<typeof detailsOf>>;

const decisionFrom = (row: Row): Decision => ({
  by: String(row.decided_by),
  decision: row.decision as Decision['decision'],
  comment: String(row.comment),
  at: asDate(row.decided_at).toISOString(),
});

const executionFrom = (row: Row): NonNullable<Approval['execution']> => ({
  status: row.status as NonNullable<Approval['execution']>['status'],
  idempotency_key: String(row.idempotency_key),
  http_status: numberOrNull(row.http_status),
  output_excerpt: (row.output_excerpt as string | null) ?? null,
  duration_ms: numberOrNull(row.duration_ms),
  started_at: asDateOrNull(row.started_at)?.toISOString() ?? null,
  finished_at: asDateOrNull(row.finished_at)?.toISOString() ?? null,
});

const verificationFrom = (row: Row): NonNullable<Approval['verification']> => ({
  status: row.status as NonNullable<Approval['verification']>['status'],
  due_at: asDateOrNull(row.due_at)?.toISOString() ?? null,
  checked_at: asDateOrNull(row.checked_at)?.toISOString() ?? null,
  detail: (row.detail as string | null) ?? null,
});

const feedbackFrom = (row: Row): NonNullable<Approval['feedback']> => ({
  outcome: row.outcome as NonNullable<Approval['feedback']>['outcome'],
  comment: (row.comment as string | null) ?? null,
  by: String(row.recorded_by),
  at: asDate(row.recorded_at).toISOString(),
});

function approvalFrom(
  record: ApprovalRecord,
  details: ApprovalDetails,
  incidentTitle: string,
  caller: DecisionContext
): Approval {
  const decided = (details.decisions.get(record.id) ?? []).map(decisionFrom);
  const execution = details.executions.get(record.id)?.[0];
  const verification = details.verifications.get(record.id)?.[0];
  const feedback = details.feedback.get(record.id)?.[0];
  return {
    id: record.id,
    incident_id: record.incident_id,
    incident_title: incidentTitle,
    tenant: record.tenant,
    project: record.project,
    action_id: record.action_id,
    action_title: record.action_title,
    risk_class: record.risk_class,
    status: effectiveStatus(record.status, record.expires_at, caller.now),
    requires_approval: record.requires_approval,
    policy_reason: record.policy_reason,
    min_approvals: record.min_approvals,
    requested_by: record.requested_by,
    requested_at: record.requested_at.toISOString(),
    expires_at: record.expires_at.toISOString(),
    parameters: record.parameters,
    evidence: record.evidence,
    similar_past_outcomes: record.similar_past_outcomes,
    slo_burn_at_request: record.slo_burn_at_request,
    budget_at_request: record.budget_at_request,
    saved_query_links: record.saved_query_links,
    decisions: decided,
    execution: execution ? executionFrom(execution) : null,
    verification: verification ? verificationFrom(verification) : null,
    feedback: feedback ? feedbackFrom(feedback) : null,
    can_decide: canDecide({ ...record, decided_by: decided.map((d) => d.by) }, caller),
  };
}

/** Decisions, execution, verification and feedback of several approvals, then the contract shape. */
export async function toApprovals(sql: Sql, records: ApprovalRecord[], caller: DecisionContext): Promise<Approval[]> {
  if (records.length === 0) {
    return [];
  }
  const [details, titles] = await Promise.all([
    detailsOf(
      sql,
      records.map((r) => r.id)
    ),
    // Read through to the incident so lists show its title, not a ULID (a title edit shows at once).
    incidentTitles(
      sql,
      records.map((r) => r.incident_id)
    ),
  ]);
  return records.map((record) =>
    approvalFrom(record, details, titles.get(record.incident_id) ?? record.incident_id, caller)
  );
}

const LAST_OUTCOMES = 5;

/**
 * "Similar past outcomes": how the same action went before in the same project (never another
 * project's history): executions that finished, and what operators said about them.
 */
export async function similarOutcomes(
  sql: Sql,
  where: { tenant: string; project: string; action_id: string }
): Promise<SimilarOutcomes> {
  const params = [where.tenant, where.project, where.action_id];
  const counts = await sql.query<Record<string, number>>(
    `SELECT count(*) FILTER (WHERE a.status IN ('succeeded', 'failed'))::int AS total,
            count(*) FILTER (WHERE a.status = 'succeeded')::int AS succeeded,
            count(*) FILTER (WHERE a.status = 'failed')::int AS failed,
            count(*) FILTER (WHERE f.outcome = 'helped')::int AS helped,
            count(*) FILTER (WHERE f.outcome = 'did_not_help')::int AS did_not_help,
            count(*) FILTER (WHERE f.outcome = 'made_worse')::int AS made_worse
       FROM approvals a LEFT JOIN approval_feedback f ON f.approval_id = a.id
      WHERE a.tenant = $1 AND a.project = $2 AND a.action_id = $3`,
    params
  );
  const last = await sql.query(
    `SELECT a.id, a.incident_id, a.status, f.outcome, COALESCE(f.recorded_at, e.finished_at) AS at
       FROM approvals a
       JOIN executions e ON e.approval_id = a.id
       LEFT JOIN approval_feedback f ON f.approval_id = a.id
      WHERE a.tenant = $1 AND a.project = $2 AND a.action_id = $3 AND a.status IN ('succeeded', 'failed')
      ORDER BY a.id DESC LIMIT ${LAST_OUTCOMES}`,
    params
  );
  const c = counts.rows[0];
  return {
    total: Number(c.total),
    succeeded: Number(c.succeeded),
    failed: Number(c.failed),
    helped: Number(c.helped),
    did_not_help: Number(c.did_not_help),
    made_worse: Number(c.made_worse),
    last: last.rows.map((row) => ({
      approval_id: String(row.id),
      incident_id: String(row.incident_id),
      outcome: row.outcome ? `${row.status}, ${row.outcome}` : String(row.status),
      at: asDate(row.at).toISOString(),
    })),
  };
}

export interface SimilarityCounts {
  action_id: string;
  basis: 'same_signal' | 'same_runbook';
  runs: number;
  succeeded: number;
  failed: number;
  helped: number;
  did_not_help: number;
  made_worse: number;
}

/**
 * Finished runs of `actionIds` on other incidents of the same project (issue 12's recommendations),
 * counted twice: on incidents of the same signal, and on incidents sharing one of `runbookIds`. Never
 * another project's history, like similarOutcomes.
 */
export async function outcomesOnSimilarIncidents(
  sql: Sql,
  where: { tenant: string; project: string; incident_id: string; signal_key: string | null; runbook_ids: string[] },
  actionIds: string[]
): Promise<SimilarityCounts[]> {
  if (actionIds.length === 0) {
    return [];
  }
  const { rows } = await sql.query<Row>(
    `WITH runs AS (
       SELECT a.action_id, a.status, f.outcome,
              ($5::text IS NOT NULL AND i.signal_key = $5) AS same_signal,
              (i.runbook_ids ?| $6::text[]) AS same_runbook
         FROM approvals a
         JOIN incidents i ON i.id = a.incident_id
         LEFT JOIN approval_feedback f ON f.approval_id = a.id
        WHERE a.tenant = $1 AND a.project = $2 AND a.incident_id <> $4 AND a.action_id = ANY($3::text[])
          AND a.status IN ('succeeded', 'failed'))
     SELECT action_id, basis, count(*)::int AS runs,
            count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE outcome = 'helped')::int AS helped,
            count(*) FILTER (WHERE outcome = 'did_not_help')::int AS did_not_help,
            count(*) FILTER (WHERE outcome = 'made_worse')::int AS made_worse
       FROM (SELECT *, 'same_signal' AS basis FROM runs WHERE same_signal
             UNION ALL SELECT *, 'same_runbook' AS basis FROM runs WHERE same_runbook) AS r
      GROUP BY action_id, basis`,
    [where.tenant, where.project, actionIds, where.incident_id, where.signal_key, where.runbook_ids]
  );
  return rows.map((row) => ({
    action_id: String(row.action_id),
    basis: row.basis === 'same_signal' ? 'same_signal' : 'same_runbook',
    runs: Number(row.runs),
    succeeded: Number(row.succeeded),
    failed: Number(row.failed),
    helped: Number(row.helped),
    did_not_help: Number(row.did_not_help),
    made_worse: Number(row.made_worse),
  }));
}
