import type { AuditContext } from '../access/identity';
import type { Sql } from '../store';
import { auditHash, storableAuditFields, type AuditFields } from './chain';
import { chainAudit } from './sequencer';

export { AUDIT_CHAIN_LOCK_KEY } from './sequencer';

/** Who did it, from where (access/identity.ts; re-exported for the modules that import it from here). */
export type { AuditContext };

export interface AuditChange {
  action: string;
  target_type: string;
  target_id: string;
  before?: unknown;
  after?: unknown;
}

/** What a row holds besides its id and its place in the chain, in the order of contentValues. */
const CONTENT_COLUMNS =
  'occurred_at, kind, actor, role, tenant, project, action, target_type, target_id, before, after, correlation_id, source_ip';

function contentValues(fields: AuditFields): unknown[] {
  return [
    fields.occurred_at,
    fields.kind,
    fields.actor,
    fields.role,
    fields.tenant,
    fields.project,
    fields.action,
    fields.target_type,
    fields.target_id,
    JSON.stringify(fields.before),
    JSON.stringify(fields.after),
    fields.correlation_id,
    fields.source_ip,
  ];
}

/**
 * Appends one audit row inside the caller's transaction, so the row and the change it records commit
 * or roll back together. The row is written unchained and takes no global lock (issue 13 item 4: the
 * chain lock held to COMMIT serialised every write of every replica); once the transaction committed,
 * the sequencer (sequencer.ts) chains it — in commit order, in a batch with whatever else committed
 * meanwhile — before the caller's `transaction()` resolves. A crash in between leaves it unchained
 * until the next sequencer run, which chains it then: nothing is lost and the chain never breaks.
 */
export async function appendAudit(tx: Sql, context: AuditContext, change: AuditChange, now: Date = new Date()) {
  const fields = storableAuditFields({
    id: 0,
    occurred_at: now.toISOString(),
    kind: 'event',
    ...context,
    action: change.action,
    target_type: change.target_type,
    target_id: change.target_id,
    before: change.before ?? null,
    after: change.after ?? null,
  });
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO audit_log (${CONTENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    contentValues(fields)
  );
  tx.afterCommit?.(chainAudit);
  return { id: Number(rows[0].id) };
}

/**
 * Writes one chained row: its hash is sha256 over prev_hash and the row (chain.ts). Both kinds use it:
 * events (appendAudit) and retention checkpoints (purge.ts), so a row is always stored the way the
 * verifier recomputes it, at chain position `seq`. Returns the row's hash. Call it under the chain lock.
 */
export async function insertAuditRow(tx: Sql, given: AuditFields, prevHash: string, seq: number): Promise<string> {
  const fields = storableAuditFields(given);
  const hash = auditHash(prevHash, fields);
  await tx.query(
    `INSERT INTO audit_log (id, ${CONTENT_COLUMNS}, prev_hash, hash, seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [fields.id, ...contentValues(fields), prevHash, hash, seq]
  );
  return hash;
}
