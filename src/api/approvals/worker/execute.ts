/**
 * The execute step: claim an approved execution, call its executor once, record the result.
 *
 * Exactly once: the decision's transaction wrote the execution intent (status pending) before anyone
 * called the executor. A worker claims it with a conditional UPDATE (pending → running, with a lease),
 * calls the executor with the intent's Idempotency-Key, and records the result only if its claim is
 * still the current one. A crash before the call leaves `pending` (resumed, called once); a crash
 * during the call leaves `running` until the lease runs out, then the call is re-sent with the same
 * key, which the executor uses to recognise the repeat.
 */
import type { ActionDefinition } from '../../../contract/approvals';
import { appendAudit } from '../../audit/append';
import type { Sql } from '../../store';
import { isStoreUnavailable } from '../../store/errors';
import { fillPromql, runExecutor, type ExecutorResult } from '../executor';
import { appendTimeline } from '../incidents';
import { findApproval, type ApprovalRecord } from '../repository';
import { BATCH, MINUTE, systemContext, type WorkerContext } from './context';

/** A claim outlives the executor's timeout by this much before another worker may take it over. */
const LEASE_MARGIN_MS = 60_000;
/** 8 attempts with doubling backoff from 250 ms: about a minute, inside the lease margin. */
const RESULT_WRITE_ATTEMPTS = 8;
const RESULT_WRITE_BACKOFF_MS = 250;

interface Claim {
  key: string;
  attempt: number;
  approvedBy: string[];
}

/** Executions due at `now`: never started, or started by a worker whose lease ran out. */
export async function runnableExecutions(sql: Sql, now: Date): Promise<string[]> {
  const { rows } = await sql.query<{ approval_id: string }>(
    `SELECT approval_id FROM executions
      WHERE status = 'pending' OR (status = 'running' AND lease_until < $1)
      ORDER BY created_at LIMIT $2`,
    [now.toISOString(), BATCH]
  );
  return rows.map((row) => row.approval_id);
}

async function claim(ctx: WorkerContext, approvalId: string, action: ActionDefinition | undefined) {
  const now = ctx.now();
  const leaseMs = (action?.executor.type === 'http' ? action.executor.timeout_ms : 0) + LEASE_MARGIN_MS;
  return ctx.store.transaction(async (tx): Promise<Claim | null> => {
    const claimed = await tx.query<{ idempotency_key: string; attempts: number }>(
      `UPDATE executions
          SET status = 'running', attempts = attempts + 1, lease_until = $2, started_at = COALESCE(started_at, $3)
        WHERE approval_id = $1 AND (status = 'pending' OR (status = 'running' AND lease_until < $3))
    RETURNING idempotency_key, attempts`,
      [approvalId, new Date(now.getTime() + leaseMs).toISOString(), now.toISOString()]
    );
    if (claimed.rows.length === 0) {
      return null;
    }
    await tx.query(
      "UPDATE approvals SET status = 'executing', updated_at = $2 WHERE id = $1 AND status IN ('approved', 'executing')",
      [approvalId, now.toISOString()]
    );
    const approvers = await tx.query<{ decided_by: string }>(
      "SELECT decided_by FROM approval_decisions WHERE approval_id = $1 AND decision = 'approve' ORDER BY id",
      [approvalId]
    );
    return {
      key: claimed.rows[0].idempotency_key,
      attempt: Number(claimed.rows[0].attempts),
      approvedBy: approvers.rows.map((r) => r.decided_by),
    };
  });
}

/** Runs one execution if this worker wins its claim; false when there was nothing to run. */
export async function execute(ctx: WorkerContext, approvalId: string): Promise<boolean> {
  const approval = await findApproval(ctx.store, approvalId, { kind: 'all' });
  if (!approval) {
    return false;
  }
  const action = ctx.catalog().actions.get(approval.action_id);
  const claimed = await claim(ctx, approvalId, action);
  if (!claimed) {
    return false;
  }
  const result = await callExecutor(ctx, approval, action, claimed);
  await withStoreRetries(ctx, () => finish(ctx, approval, action, claimed.attempt, result));
  return true;
}

function callExecutor(
  ctx: WorkerContext,
  approval: ApprovalRecord,
  action: ActionDefinition | undefined,
  claimed: Claim
): Promise<ExecutorResult> {
  if (!action) {
    // Removed from the catalog after it was approved: recorded as a failure, never guessed at.
    return Promise.resolve({
      ok: false,
      http_status: null,
      output_excerpt: `action ${approval.action_id} is no longer in the catalog`,
      duration_ms: 0,
    });
  }
  return runExecutor(
    action,
    {
      approval_id: approval.id,
      incident_id: approval.incident_id,
      tenant: approval.tenant,
      project: approval.project,
      action_id: approval.action_id,
      parameters: approval.parameters,
      requested_by: approval.requested_by,
      approved_by: claimed.approvedBy,
      correlation_id: approval.correlation_id,
    },
    claimed.key,
    { baseUrl: ctx.config.executorBaseUrl, token: ctx.config.executorToken, fetch: ctx.fetch }
  );
}

/**
 * The executor has acted: its result must be recorded, or after the lease the call is sent again.
 * A store that is briefly away (a failover, a restart, a full pool) is waited for instead, with
 * backoff; `finish` is conditional on the claim's attempt number, so a retry never records twice.
 */
async function withStoreRetries(ctx: WorkerContext, work: () => Promise<void>) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await work();
      return;
    } catch (error) {
      if (!isStoreUnavailable(error) || attempt >= RESULT_WRITE_ATTEMPTS || ctx.closing()) {
        throw error;
      }
      ctx.log().warn({ err: error, attempt }, 'recording an execution result failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, RESULT_WRITE_BACKOFF_MS * 2 ** (attempt - 1)));
    }
  }
}

/** Records the result if this worker's claim (attempt number) is still the current one. */
async function finish(
  ctx: WorkerContext,
  approval: ApprovalRecord,
  action: ActionDefinition | undefined,
  attempt: number,
  result: ExecutorResult
) {
  const now = ctx.now();
  await ctx.store.transaction(async (tx) => {
    const status = result.ok ? 'succeeded' : 'failed';
    const recorded = await tx.query(
      `UPDATE executions
          SET status = $3, http_status = $4, output_excerpt = $5, duration_ms = $6, finished_at = $7, lease_until = NULL
        WHERE approval_id = $1 AND status = 'running' AND attempts = $2
    RETURNING approval_id`,
      [approval.id, attempt, status, result.http_status, result.output_excerpt, result.duration_ms, now.toISOString()]
    );
    if (recorded.rows.length === 0) {
      // Another worker took the claim over after our lease ran out; its result counts.
      return;
    }
    await tx.query('UPDATE approvals SET status = $2, updated_at = $3 WHERE id = $1', [
      approval.id,
      status,
      now.toISOString(),
    ]);
    const verification = result.ok ? action?.verification : undefined;
    if (verification) {
      await tx.query(
        `INSERT INTO verifications (approval_id, promql, status, due_at) VALUES ($1, $2, 'pending', $3) ON CONFLICT (approval_id) DO NOTHING`,
        [
          approval.id,
          fillPromql(verification.promql, approval.parameters),
          new Date(now.getTime() + verification.hold_minutes * MINUTE).toISOString(),
        ]
      );
    }
    await recordOutcome(tx, approval, result, { attempt, now, holdMinutes: verification?.hold_minutes });
  });
}

/** The timeline entry and the audit row of an execution's result. */
async function recordOutcome(
  tx: Sql,
  approval: ApprovalRecord,
  result: ExecutorResult,
  { attempt, now, holdMinutes }: { attempt: number; now: Date; holdMinutes: number | undefined }
) {
  const status = result.ok ? 'succeeded' : 'failed';
  const http = result.http_status === null ? '' : ` (HTTP ${result.http_status})`;
  await appendTimeline(tx, {
    incident_id: approval.incident_id,
    at: now,
    kind: result.ok ? 'action_executed' : 'action_failed',
    actor: 'opsdeck',
    summary: result.ok
      ? `${approval.action_title} ran${http} in ${Math.round(result.duration_ms)} ms${holdMinutes !== undefined ? `; verification due in ${holdMinutes} min` : ''}`
      : `${approval.action_title} failed${http}: ${result.output_excerpt.slice(0, 200)}`,
    data: { approval_id: approval.id, http_status: result.http_status, duration_ms: result.duration_ms, attempt },
    correlation_id: approval.correlation_id,
  });
  await appendAudit(
    tx,
    systemContext(approval),
    {
      action: result.ok ? 'execution.succeeded' : 'execution.failed',
      target_type: 'approval',
      target_id: approval.id,
      before: { status: 'executing' },
      after: { status, http_status: result.http_status, duration_ms: result.duration_ms, attempt },
    },
    now
  );
}
