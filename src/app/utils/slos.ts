/**
 * Pure helpers of the SLO page: filters, ordering (worst budget first), the SLI now, and which open
 * incident belongs to an SLO. Tested in slos.test.ts.
 */
import type { IncidentSummary } from '../../contract/incidents';
import type { BudgetPolicyState, SloStatus } from '../../contract/slo';

export interface SloFilters {
  service: string;
  team: string;
  /** `frozen`: critical or depleted (the Decision Header's link). */
  state: string;
}

/** Worst first: critical, depleted, then unknown (null), then remaining. */
const STATE_RANK: Record<BudgetPolicyState | 'unknown', number> = {
  critical: 0,
  depleted: 1,
  unknown: 2,
  remaining: 3,
};

export const isFrozenState = (state: BudgetPolicyState | null): state is 'critical' | 'depleted' =>
  state === 'critical' || state === 'depleted';

export function filterSlos(items: readonly SloStatus[], filters: SloFilters): SloStatus[] {
  return items
    .filter((slo) => !filters.service || slo.service === filters.service)
    .filter((slo) => !filters.team || slo.owner === filters.team)
    .filter((slo) =>
      !filters.state
        ? true
        : filters.state === 'frozen'
          ? isFrozenState(slo.budget_policy_state)
          : slo.budget_policy_state === filters.state
    )
    .sort(
      (a, b) =>
        STATE_RANK[a.budget_policy_state ?? 'unknown'] - STATE_RANK[b.budget_policy_state ?? 'unknown'] ||
        (a.error_budget_remaining ?? Infinity) - (b.error_budget_remaining ?? Infinity) ||
        a.id.localeCompare(b.id)
    );
}

export const distinct = (values: ReadonlyArray<string | null>) =>
  [...new Set(values.filter((v): v is string => Boolean(v)))].sort();

/**
 * The SLI over the last 5 minutes, from the 5m burn rate: error ratio = burn × budget, SLI = 1 − that.
 * Null when the burn rate is unknown (no Prometheus, or no traffic).
 */
export function sliNow(slo: Pick<SloStatus, 'objective' | 'burn_rates'>): number | null {
  const burn = slo.burn_rates['5m'];
  if (burn === null || burn === undefined) {
    return null;
  }
  const budget = (100 - slo.objective) / 100;
  return Math.max(0, 1 - burn * budget);
}

/** The newest open incident of the SLO's signal in the current project, if any. */
export function openIncidentOf(slo: SloStatus, incidents: readonly IncidentSummary[]): IncidentSummary | null {
  if (!slo.signal_key) {
    return null;
  }
  const mine = incidents.filter((incident) => incident.signal_key === slo.signal_key);
  return mine.sort((a, b) => b.opened_at.localeCompare(a.opened_at))[0] ?? null;
}

/** Budget left as a bar: the fill is clamped to 0–100%, the label keeps the real (possibly negative) value. */
export function budgetBar(remaining: number | null): { fill: number; label: string } {
  if (remaining === null) {
    return { fill: 0, label: 'unknown' };
  }
  return { fill: Math.min(100, Math.max(0, remaining * 100)), label: `${Number((remaining * 100).toFixed(1))}%` };
}
