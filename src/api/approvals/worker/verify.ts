/**
 * The verify step: when an executed action's hold time has passed, run its verification query
 * against Prometheus and record passed, failed or skipped (no Prometheus configured) exactly once.
 */
import { appendAudit } from '../../audit/append';
import { queryAll } from '../../prometheus';
import type { Sql } from '../../store';
import { appendTimeline } from '../incidents';
import { findApproval } from '../repository';
import { BATCH, systemContext, type WorkerContext } from './context';

const PROMETHEUS_TIMEOUT_MS = 5_000;

type Outcome = { passed: boolean; detail: string } | { skipped: string };

/** Verifications whose hold time has passed at `now`, oldest first. */
export async function dueVerifications(sql: Sql, now: Date): Promise<Array<{ approval_id: string; promql: string }>> {
  const { rows } = await sql.query<{ approval_id: string; promql: string }>(
    "SELECT approval_id, promql FROM verifications WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT $2",
    [now.toISOString(), BATCH]
  );
  return rows;
}

/** Every sample must be a finite non-zero value; no samples means the condition does not hold. */
async function evaluate(ctx: WorkerContext, promql: string): Promise<Outcome> {
  const base = ctx.config.prometheusUrl;
  if (!base) {
    return { skipped: 'OPSDECK_PROMETHEUS_URL is not set; the verification query was not run' };
  }
  let values: number[];
  try {
    const [samples] = await queryAll(base, [promql], { timeoutMs: PROMETHEUS_TIMEOUT_MS, fetchImpl: ctx.fetch });
    values = samples.map((sample) => sample.value);
  } catch (error) {
    return { passed: false, detail: `Prometheus query failed: ${(error as Error).message}` };
  }
  const passed = values.length > 0 && values.every((v) => Number.isFinite(v) && v !== 0);
  return {
    passed,
    detail:
      values.length === 0
        ? 'the query returned no samples: the condition does not hold'
        : `${values.length} sample${values.length === 1 ? '' : 's'}: ${values.slice(0, 5).join(', ')}${passed ? '' : ' (a zero or non-finite value fails)'}`,
  };
}

/** Checks one verification; false when another worker recorded it first. */
export async function verify(ctx: WorkerContext, approvalId: string, promql: string): Promise<boolean> {
  const outcome = await evaluate(ctx, promql);
  const now = ctx.now();
  const status = 'skipped' in outcome ? 'skipped' : outcome.passed ? 'passed' : 'failed';
  const detail = 'skipped' in outcome ? outcome.skipped : outcome.detail;
  return ctx.store.transaction(async (tx) => {
    const updated = await tx.query(
      `UPDATE verifications SET status = $2, checked_at = $3, detail = $4 WHERE approval_id = $1 AND status = 'pending' RETURNING approval_id`,
      [approvalId, status, now.toISOString(), detail]
    );
    if (updated.rows.length === 0) {
      return false;
    }
    const approval = (await findApproval(tx, approvalId, { kind: 'all' }))!;
    if (status !== 'skipped') {
      await appendTimeline(tx, {
        incident_id: approval.incident_id,
        at: now,
        kind: status === 'passed' ? 'verification_passed' : 'verification_failed',
        actor: 'opsdeck',
        summary: `${approval.action_title}: verification ${status} — ${detail}`,
        data: { approval_id: approvalId, promql, status },
        correlation_id: approval.correlation_id,
      });
    }
    await appendAudit(
      tx,
      systemContext(approval),
      {
        action: `verification.${status}`,
        target_type: 'approval',
        target_id: approvalId,
        before: { status: 'pending' },
        after: { status, detail },
      },
      now
    );
    return true;
  });
}
