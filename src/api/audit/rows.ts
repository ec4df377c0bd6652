import type { AuditRow } from '../../contract/audit';
import type { Row } from '../store';

/** An audit_log row as both stores return it (timestamps as Date, BIGINT possibly as bigint) → the contract's shape. */
export function auditRowFrom(row: Row): AuditRow {
  const occurred = row.occurred_at instanceof Date ? row.occurred_at : new Date(String(row.occurred_at));
  return {
    id: Number(row.id),
    occurred_at: occurred.toISOString(),
    kind: row.kind === 'checkpoint' ? 'checkpoint' : 'event',
    actor: String(row.actor),
    role: String(row.role),
    tenant: (row.tenant as string | null) ?? null,
    project: (row.project as string | null) ?? null,
    action: String(row.action),
    target_type: String(row.target_type),
    target_id: String(row.target_id),
    before: row.before ?? null,
    after: row.after ?? null,
    correlation_id: String(row.correlation_id),
    source_ip: (row.source_ip as string | null) ?? null,
    prev_hash: String(row.prev_hash),
    hash: String(row.hash),
  };
}

export const AUDIT_COLUMNS =
  'id, occurred_at, kind, actor, role, tenant, project, action, target_type, target_id, before, after, correlation_id, source_ip, prev_hash, hash';
