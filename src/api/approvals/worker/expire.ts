/**
 * The expire step: a request nobody decided before its `expires_at` becomes `expired`, with a
 * timeline entry and an audit row. Each one moves in its own transaction, conditional on still being
 * pending, so a decision that lands at the same moment wins or loses cleanly.
 */
import { appendAudit } from '../../audit/append';
import { appendTimeline } from '../incidents';
import { dueExpiries, expireApproval } from '../execution-repository';
import { findApproval } from '../repository';
import { BATCH, MINUTE, systemContext, type WorkerContext } from './context';

/** Expires up to BATCH undecided requests due at `now`; returns how many this worker moved. */
export async function expireUndecided(ctx: WorkerContext, now: Date): Promise<number> {
  let count = 0;
  for (const id of await dueExpiries(ctx.store, now, BATCH)) {
    count += (await expireOne(ctx, id, now)) ? 1 : 0;
  }
  return count;
}

async function expireOne(ctx: WorkerContext, id: string, now: Date): Promise<boolean> {
  return ctx.store.transaction(async (tx) => {
    if (!(await expireApproval(tx, id, now))) {
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
