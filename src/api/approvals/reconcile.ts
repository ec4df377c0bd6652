/**
 * After a restore (issue 13.5): an execution the backup caught as pending or running may already have
 * been sent — and recorded as succeeded — by the source after the backup was taken. Re-sending it from
 * the restored copy would repeat a real remediation, so such rows move to needs_reconciliation, which
 * the worker never picks up, until an admin decides: `resend` (back to pending: the worker sends it
 * again with the same Idempotency-Key, which a well-behaved executor recognises), or record it as
 * `succeeded` / `failed` after checking the target system.
 *
 * The project has no outbound notification queue yet; when one exists, its undelivered rows belong here
 * too.
 */
import { appendAudit, type AuditContext } from '../audit/append';
import type { Store } from '../store';
import { holdInFlightForReconciliation, reconcileHeldExecution } from './execution-repository';

export type ReconcileOutcome = 'resend' | 'succeeded' | 'failed';

/** Marks every pending or running execution; returns their approval ids. Audited as `store.restored`. */
export async function markRestoredInFlight(
  store: Store,
  context: AuditContext,
  now: Date,
  source: string
): Promise<string[]> {
  return store.transaction(async (tx) => {
    const ids = await holdInFlightForReconciliation(tx);
    await appendAudit(
      tx,
      context,
      {
        action: 'store.restored',
        target_type: 'store',
        target_id: source.slice(0, 512),
        after: { needs_reconciliation: ids.slice(0, 200), count: ids.length },
      },
      now
    );
    return ids;
  });
}

/** An admin's decision on one needs_reconciliation execution; false when it is not in that state. */
export async function reconcileExecution(
  store: Store,
  approvalId: string,
  decision: { outcome: ReconcileOutcome; comment: string },
  context: AuditContext,
  now: Date
): Promise<boolean> {
  return store.transaction(async (tx) => {
    const note = `reconciled by ${context.actor}: ${decision.comment}`.slice(0, 2000);
    if (!(await reconcileHeldExecution(tx, approvalId, decision.outcome, note, now))) {
      return false;
    }
    await appendAudit(
      tx,
      context,
      {
        action: 'execution.reconciled',
        target_type: 'approval',
        target_id: approvalId,
        before: { status: 'needs_reconciliation' },
        after: { outcome: decision.outcome, comment: decision.comment },
      },
      now
    );
    return true;
  });
}
