/** The audit log as the API reads it: one page of the caller's scope, the cursor checked first. */
import type { AuditQuery } from '../../contract/audit';
import type { RequestScope } from '../access/identity';
import { badRequest } from '../errors';
import type { Sql } from '../store';
import { decodeCursor } from '../store/cursor';
import { listAuditRows } from './repository';

export async function listAudit(sql: Sql, scope: RequestScope | null, query: AuditQuery) {
  let beforeId: number | null = null;
  if (query.cursor) {
    const before = decodeCursor(query.cursor);
    if (before === null || !/^\d+$/.test(before)) {
      throw badRequest('cursor is not one this API issued', { cursor: query.cursor });
    }
    beforeId = Number(before);
  }
  return listAuditRows(sql, scope, query, beforeId);
}
