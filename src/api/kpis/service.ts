import type { Kpis, KpiQuery } from '../../contract/kpis';
import type { RequestScope } from '../access/identity';
import type { Sql } from '../store';
import { computeKpis } from './compute';
import { kpiIncidents, kpiOverrides, kpiRemediations } from './repository';

const DAY_MS = 24 * 3600 * 1000;
const WINDOW_DAYS = { '7d': 7, '30d': 30, '90d': 90 } as const;

/** KPIs of the incidents opened (and requests, overrides made) in the window ending now, in scope. */
export async function kpisFor(sql: Sql, scope: RequestScope | null, query: KpiQuery, now: Date): Promise<Kpis> {
  const from = new Date(now.getTime() - WINDOW_DAYS[query.window] * DAY_MS);
  const windowQuery = { scope, from, to: now, team: query.team ?? null };
  const [incidents, remediations, overrides] = await Promise.all([
    kpiIncidents(sql, windowQuery),
    kpiRemediations(sql, windowQuery),
    kpiOverrides(sql, windowQuery),
  ]);
  return {
    window: query.window,
    from: from.toISOString(),
    to: now.toISOString(),
    team: query.team ?? null,
    ...computeKpis({ incidents, remediations, overrides, now }),
  };
}
