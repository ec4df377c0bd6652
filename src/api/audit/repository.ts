/**
 * Reads of the audit log (writes go through append.ts, under the chain lock): rows of the caller's
 * scope, newest first, filtered, one keyset page at a time.
 */
import type { AuditQuery } from '../../contract/audit';
import type { RequestScope } from '../access/identity';
import { scopeCondition } from '../access/scope';
import type { Sql } from '../store';
import { encodeCursor } from '../store/cursor';
import { AUDIT_COLUMNS, auditRowFrom } from './rows';

/** One page of audit rows older than `beforeId` (the page cursor's id; null: the newest). */
export async function listAuditRows(sql: Sql, scope: RequestScope | null, query: AuditQuery, beforeId: number | null) {
  const params: unknown[] = [];
  const conditions = [scopeCondition(scope, params)];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    if (value !== undefined) {
      params.push(value);
      conditions.push(condition(`$${params.length}`));
    }
  };
  add((p) => `correlation_id = ${p}`, query.correlation_id);
  add((p) => `actor = ${p}`, query.actor);
  add((p) => `target_type = ${p}`, query.target_type);
  add((p) => `target_id = ${p}`, query.target_id);
  add((p) => `action = ${p}`, query.action);
  add((p) => `occurred_at >= ${p}`, query.from || undefined);
  add((p) => `occurred_at < ${p}`, query.to || undefined);
  add((p) => `id < ${p}`, beforeId ?? undefined);
  params.push(query.limit + 1);
  const { rows } = await sql.query(
    `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
    params
  );
  const items = rows.slice(0, query.limit).map(auditRowFrom);
  return {
    items,
    next_cursor: rows.length > query.limit ? encodeCursor(String(items[items.length - 1].id)) : null,
  };
}
