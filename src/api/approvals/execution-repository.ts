/**
 * The SQL of an approval's execution and verification (tables `executions`, `verifications`) and of
 * the status moves the remediation worker makes on `approvals`: what worker/{execute,verify,expire}.ts
 * and the service's execution intent read and write. Every move is conditional, so two workers (or a
 * worker and a decision) racing on one row get one winner; each function says what its result means.
 */
import type { ExecutorResult } from './executor';
import type { Sql } from '../store';

export const idempotencyKeyOf = (approvalId: string) => `opsdeck-approval-${approvalId}`;

/** The execution intent, written in the transaction that approved the request (never twice). */
export async function writeExecutionIntent(tx: Sql, approvalId: string, now: Date) {
  await tx.query(
    `INSERT INTO executions (approval_id, idempotency_key, status, created_at) VALUES ($1, $2, 'pending', $3)
     ON CONFLICT (approval_id) DO NOTHING`,
    [approvalId, idempotencyKeyOf(approvalId), now.toISOString()]
  );
}

/** Executions due at `now`: never started, or started by a worker whose lease ran out. */
export async function runnableExecutions(sql: Sql, now: Date, limit: number): Promise<string[]> {
  const { rows } = await sql.query<{ approval_id: string }>(
    `SELECT approval_id FROM executions
      WHERE status = 'pending' OR (status = 'running' AND lease_until < $1)
      ORDER BY created_at LIMIT $2`,
    [now.toISOString(), limit]
  );
  return rows.map((row) => row.approval_id);
}

/**
 * Claims the execution (pending, or running with an expired lease → running until `leaseUntil`) and
 * marks its approval executing. Null when another worker holds it or it is done.
 */
export async function claimExecution(
  tx: Sql,
  approvalId: string,
  leaseUntil: Date,
  now: Date
): Promise<{ key: string; attempt: number } | null> {
  const claimed = await tx.query<{ idempotency_key: string; attempts: number }>(
    `UPDATE executions
        SET status = 'running', attempts = attempts + 1, lease_until = $2, started_at = COALESCE(started_at, $3)
      WHERE approval_id = $1 AND (status = 'pending' OR (status = 'running' AND lease_until < $3))
  RETURNING idempotency_key, attempts`,
    [approvalId, leaseUntil.toISOString(), now.toISOString()]
  );
  if (claimed.rows.length === 0) {
    return null;
  }
  await tx.query(
    "UPDATE approvals SET status = 'executing', updated_at = $2 WHERE id = $1 AND status IN ('approved', 'executing')",
    [approvalId, now.toISOString()]
  );
  return { key: claimed.rows[0].idempotency_key, attempt: Number(claimed.rows[0].attempts) };
}

/** Who approved the request, in decision order (sent to the executor). */
export async function approversOf(sql: Sql, approvalId: string): Promise<string[]> {
  const { rows } = await sql.query<{ decided_by: string }>(
    "SELECT decided_by FROM approval_decisions WHERE approval_id = $1 AND decision = 'approve' ORDER BY id",
    [approvalId]
  );
  return rows.map((row) => row.decided_by);
}

/**
 * Records the executor's result if claim `attempt` is still the current one, and moves the approval
 * to the same status. False: another worker took the claim over after this one's lease ran out.
 */
export async function recordExecutionResult(
  tx: Sql,
  approvalId: string,
  attempt: number,
  result: ExecutorResult,
  now: Date
): Promise<boolean> {
  const status = result.ok ? 'succeeded' : 'failed';
  const recorded = await tx.query(
    `UPDATE executions
        SET status = $3, http_status = $4, output_excerpt = $5, duration_ms = $6, finished_at = $7, lease_until = NULL
      WHERE approval_id = $1 AND status = 'running' AND attempts = $2
  RETURNING approval_id`,
    [approvalId, attempt, status, result.http_status, result.output_excerpt, result.duration_ms, now.toISOString()]
  );
  if (recorded.rows.length === 0) {
    return false;
  }
  await tx.query('UPDATE approvals SET status = $2, updated_at = $3 WHERE id = $1', [
    approvalId,
    status,
    now.toISOString(),
  ]);
  return true;
}

/** The verification of a succeeded execution, due at `dueAt` (never scheduled twice). */
export async function scheduleVerification(tx: Sql, approvalId: string, promql: string, dueAt: Date) {
  await tx.query(
    `INSERT INTO verifications (approval_id, promql, status, due_at) VALUES ($1, $2, 'pending', $3) ON CONFLICT (approval_id) DO NOTHING`,
    [approvalId, promql, dueAt.toISOString()]
  );
}

/** Verifications whose hold time has passed at `now`, oldest first. */
export async function dueVerifications(
  sql: Sql,
  now: Date,
  limit: number
): Promise<Array<{ approval_id: string; promql: string }>> {
  const { rows } = await sql.query<{ approval_id: string; promql: string }>(
    "SELECT approval_id, promql FROM verifications WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT $2",
    [now.toISOString(), limit]
  );
  return rows;
}

/** Records a verification's outcome; false when another worker recorded it first. */
export async function recordVerification(
  tx: Sql,
  approvalId: string,
  outcome: { status: string; detail: string },
  now: Date
): Promise<boolean> {
  const updated = await tx.query(
    `UPDATE verifications SET status = $2, checked_at = $3, detail = $4 WHERE approval_id = $1 AND status = 'pending' RETURNING approval_id`,
    [approvalId, outcome.status, now.toISOString(), outcome.detail]
  );
  return updated.rows.length > 0;
}

/** Requests still pending past their expiry at `now`, up to `limit`. */
export async function dueExpiries(sql: Sql, now: Date, limit: number): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    "SELECT id FROM approvals WHERE status = 'pending' AND expires_at <= $1 ORDER BY id LIMIT $2",
    [now.toISOString(), limit]
  );
  return rows.map((row) => row.id);
}

/** Moves a request to expired if it is still pending past its expiry; false when a decision won. */
export async function expireApproval(tx: Sql, id: string, now: Date): Promise<boolean> {
  const moved = await tx.query(
    "UPDATE approvals SET status = 'expired', updated_at = $2 WHERE id = $1 AND status = 'pending' AND expires_at <= $2 RETURNING id",
    [id, now.toISOString()]
  );
  return moved.rows.length > 0;
}

/** After a restore: every pending or running execution → needs_reconciliation; their approval ids, sorted. */
export async function holdInFlightForReconciliation(tx: Sql): Promise<string[]> {
  const { rows } = await tx.query<{ approval_id: string; previous: string }>(
    `WITH caught AS (
       SELECT approval_id, status FROM executions WHERE status IN ('pending', 'running') ORDER BY approval_id FOR UPDATE)
     UPDATE executions e SET status = 'needs_reconciliation', lease_until = NULL
       FROM caught WHERE e.approval_id = caught.approval_id
     RETURNING e.approval_id, caught.status AS previous`
  );
  return rows.map((row) => row.approval_id).sort();
}

/**
 * An admin's reconciliation of a needs_reconciliation execution: `resend` puts it (and its approval)
 * back to pending/approved for the worker; succeeded/failed records that outcome with `note` as the
 * output. False when the execution is not waiting for reconciliation.
 */
export async function reconcileHeldExecution(
  tx: Sql,
  approvalId: string,
  outcome: 'resend' | 'succeeded' | 'failed',
  note: string,
  now: Date
): Promise<boolean> {
  const resend = outcome === 'resend';
  const moved = await tx.query(
    `UPDATE executions
        SET status = $2, finished_at = CASE WHEN $3 THEN NULL ELSE $4::timestamptz END,
            output_excerpt = CASE WHEN $3 THEN output_excerpt ELSE $5 END
      WHERE approval_id = $1 AND status = 'needs_reconciliation'
  RETURNING approval_id`,
    [approvalId, resend ? 'pending' : outcome, resend, now.toISOString(), note]
  );
  if (moved.rows.length === 0) {
    return false;
  }
  await tx.query('UPDATE approvals SET status = $2, updated_at = $3 WHERE id = $1', [
    approvalId,
    resend ? 'approved' : outcome,
    now.toISOString(),
  ]);
  return true;
}
