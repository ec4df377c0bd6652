import type { AuditContext } from '../access/identity';
import type { Sql } from '../store';
import { auditHash, continuationHash, GENESIS_HASH, storableAuditFields, type AuditFields } from './chain';

/** Serialises appends (and retention purges) so that each row's prev_hash is the hash of the row before it. */
export const AUDIT_CHAIN_LOCK_KEY = 0x61756474; // "audt"

/** Who did it, from where (access/identity.ts; re-exported for the modules that import it from here). */
export type { AuditContext };

export interface AuditChange {
  action: string;
  target_type: string;
  target_id: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one audit row inside the caller's transaction, so the row and the change it records
 * commit or roll back together. Call it last in the transaction: the chain lock is held until COMMIT.
 */
export async function appendAudit(tx: Sql, context: AuditContext, change: AuditChange, now: Date = new Date()) {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_KEY]);
  const last = await tx.query<{ kind: 'event' | 'checkpoint'; hash: string; prev_hash: string }>(
    'SELECT kind, hash, prev_hash FROM audit_log ORDER BY id DESC LIMIT 1'
  );
  const prevHash = last.rows[0] ? continuationHash(last.rows[0]) : GENESIS_HASH;
  const { rows } = await tx.query<{ id: number }>("SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id");
  const fields: AuditFields = {
    id: Number(rows[0].id),
    occurred_at: now.toISOString(),
    kind: 'event',
    ...context,
    action: change.action,
    target_type: change.target_type,
    target_id: change.target_id,
    before: change.before ?? null,
    after: change.after ?? null,
  };
  const hash = await insertAuditRow(tx, fields, prevHash);
  return { id: fields.id, hash };
}

/**
 * Writes one chained row: its hash is sha256 over prev_hash and the row (chain.ts). Both kinds use it:
 * events (appendAudit) and retention checkpoints (purge.ts), so a row is always stored the way the
 * verifier recomputes it. Returns the row's hash.
 */
export async function insertAuditRow(tx: Sql, given: AuditFields, prevHash: string): Promise<string> {
  const fields = storableAuditFields(given);
  const hash = auditHash(prevHash, fields);
  await tx.query(
    `INSERT INTO audit_log (id, occurred_at, kind, actor, role, tenant, project, action, target_type, target_id,
       before, after, correlation_id, source_ip, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      fields.id,
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
      prevHash,
      hash,
    ]
  );
  return hash;
}
