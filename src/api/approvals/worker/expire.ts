/**
 * The expire step: a request nobody decided before its `expires_at` becomes `expired`, with a
 * timeline entry and an audit row. Each one moves in its own transaction, conditional on still being
 * pending, so a decision that lands at the same moment wins or loses cleanly.
 */
import { appendAudit } from '../../audit/append';
import { appendTimeline } from '../incidents';
import { findApproval } from '../repository';
import { BATCH, MINUTE, systemContext, type WorkerContext } from './context';

/** Expires up to BATCH undecided requests due at `now`; returns how many this worker moved. */
export async function expireUndecided(ctx: WorkerContext, now: Date): Promise<number> {
  const due = await ctx.store.query<{ id: string }>(
    "SELECT id FROM approvals WHERE status = 'pending' AND expires_at <= $1 ORDER BY id LIMIT $2",
    [now.toISOString(), BATCH]
  );
  let count = 0;
  for (const { id } of due.rows) {
    count += (await expireOne(ctx, id, now)) ? 1 : 0;
  }
  return count;
}

async function expireOne(ctx: WorkerContext, id: string, now: Date): Promise<boolean> {
  return ctx.store.transaction(async (tx) => {
    const moved = await tx.query(
      "UPDATE approvals SET status = 'expired', updated_at = $2 WHERE id = $1 AND status = 'pending' AND expires_at <= $2 RETURNING id",
      [id, now.toISOString()]
    );
    if (moved.rows.length === 0) {
      return false;
    }
    const approval = (await findApproval(tx, id, { kind: 'all' }))!;
    await appendTimeline(tx, {
      incident_id: approval.incident_id,
      at: now,
      kind: 'approval_decided',
      actor: 'opsdeck',
      summary: `${approval.action_title} expired undecided after ${Math.round((approval.expires_at.getTime() - approval.requested_at.getTime()) / MINUTE)} min`,
      data: { approval_id: id, status: 'expired' },
      correlation_id: approval.correlation_id,
    });
    await appendAudit(
      tx,
      systemContext(approval),
      {
        action: 'approval.expired',
        target_type: 'approval',
        target_id: id,
        before: { status: 'pending' },
        after: { status: 'expired' },
      },
      now
    );
    return true;
  });
}
