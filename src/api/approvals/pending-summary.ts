/**
 * What other modules may know about approvals without reading the `approvals` table themselves
 * (the overview's "waiting for a decision" count). The reader's expiry rule lives here once, as SQL
 * next to its TypeScript twin `effectiveStatus` in policy.ts: a pending request past its expiry reads
 * as expired even before the worker marks it. approvals/store.ts's list filter is the same expression
 * (it moves here when store.ts is split; issue 14).
 */
import type { RequestScope } from '../access/identity';
import { scopeCondition } from '../access/scope';
import type { Sql } from '../store';

/** Reader's status as SQL: pending past its expiry reads as expired (the worker marks it later). */
export const EFFECTIVE_STATUS_SQL = (nowParam: string) =>
  `CASE WHEN status = 'pending' AND expires_at <= ${nowParam} THEN 'expired' ELSE status END`;

/** Approval requests in the scope still waiting for a decision at `now`. */
export async function countPendingApprovals(sql: Sql, scope: RequestScope | null, now: Date): Promise<number> {
  const params: unknown[] = [now.toISOString()];
  const where = scopeCondition(scope, params);
  const { rows } = await sql.query<{ pending: number }>(
    `SELECT count(*)::int AS pending FROM approvals
      WHERE status = 'pending' AND ${EFFECTIVE_STATUS_SQL('$1::timestamptz')} = 'pending' AND ${where}`,
    params
  );
  return Number(rows[0]?.pending ?? 0);
}
