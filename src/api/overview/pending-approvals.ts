import type { RequestScope } from '../plugins/auth';
import { scopeSql } from '../incidents/repository';
import type { Sql } from '../store';

/**
 * Approval requests waiting for a decision in the scope: `pending` and not yet past their expiry
 * (a pending request past its expiry reads as expired even before the worker marks it). Reads the
 * `approvals` table of migration 0003 (issue 5 owns it; change this function if its meaning changes).
 */
export async function countPendingApprovals(sql: Sql, scope: RequestScope | null, now: Date): Promise<number> {
  const params: unknown[] = [now.toISOString()];
  const where = scopeSql(scope, params);
  const { rows } = await sql.query<{ pending: number }>(
    `SELECT count(*)::int AS pending FROM approvals WHERE status = 'pending' AND expires_at > $1 AND ${where}`,
    params
  );
  return Number(rows[0]?.pending ?? 0);
}
