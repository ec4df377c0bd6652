/**
 * GET /api/v1/slos/status: one SloStatus per SLO of catalog/slos/.
 * - backend (OPSDECK_PROMETHEUS_URL set): the recording rules `opsdeck generate` writes —
 *   slo:period_error_budget_remaining:ratio, slo:burn_rate:ratio{sloth_window}, slo:error_budget_policy_state
 *   — and Prometheus's ALERTS for the burn alerts.
 * - in_memory (no backend, or it failed): only what the API itself knows — the burn alerts Alertmanager
 *   delivered and that are still firing; budget and burn rates are unknown (null).
 * Assembly is pure (statusFromBackend, statusInMemory); the reads are the two functions at the bottom.
 */
import type { ErrorBudgetPolicyFile, SloStatus } from '../../contract/slo';
import { alertStateOf, policyState, SLI_WINDOWS } from '../../catalog/slo/burn';
import type { SloDefinition } from '../../catalog/slo/spec';
import type { Store } from '../store';
import { queryAll, type Sample } from '../prometheus';

/** The recording rules and alerts the backend mode reads, in this order. */
export const SLO_BACKEND_QUERIES = [
  'slo:period_error_budget_remaining:ratio',
  'slo:burn_rate:ratio',
  'slo:error_budget_policy_state == 1',
  'ALERTS{alertstate="firing", sloth_id!="", sloth_severity=~"page|ticket"}',
] as const;

export interface SloBackendSamples {
  remaining: Sample[];
  burnRates: Sample[];
  policyStates: Sample[];
  firingAlerts: Sample[];
}

const POLICY_STATES = new Set(['remaining', 'critical', 'depleted']);

function base(slo: SloDefinition): Pick<SloStatus, 'id' | 'service' | 'name' | 'objective' | 'runbook_id'> {
  return {
    id: slo.id,
    service: slo.service,
    name: slo.name,
    objective: slo.objective,
    runbook_id: slo.runbookId || null,
  };
}

const finite = (value: number) => (Number.isFinite(value) ? value : null);

/** Status from the recording rules. An SLO without series yet (new, or no traffic) reads as unknown. */
export function statusFromBackend(
  slos: readonly SloDefinition[],
  samples: SloBackendSamples,
  policy: ErrorBudgetPolicyFile
): SloStatus[] {
  const of = (list: Sample[], id: string) => list.filter((sample) => sample.labels.sloth_id === id);
  return slos.map((slo) => {
    // several series per SLO happen only when an SLI keeps labels (`sum by (x)`); report the worst
    const remainingValues = of(samples.remaining, slo.id)
      .map((s) => finite(s.value))
      .filter((v): v is number => v !== null);
    const remaining = remainingValues.length > 0 ? Math.min(...remainingValues) : null;
    const burnRates: Record<string, number | null> = Object.fromEntries(SLI_WINDOWS.map((w) => [w, null]));
    for (const sample of of(samples.burnRates, slo.id)) {
      const window = sample.labels.sloth_window;
      const value = finite(sample.value);
      if (window in burnRates && value !== null) {
        burnRates[window] = Math.max(burnRates[window] ?? value, value);
      }
    }
    const recordedState = of(samples.policyStates, slo.id)
      .map((s) => s.labels.state)
      .find((state) => POLICY_STATES.has(state)) as SloStatus['budget_policy_state'] | undefined;
    const haveData = remaining !== null || Object.values(burnRates).some((v) => v !== null);
    return {
      ...base(slo),
      error_budget_remaining: remaining,
      burn_rates: burnRates,
      alert_state: haveData
        ? alertStateOf(of(samples.firingAlerts, slo.id).map((s) => s.labels.sloth_severity))
        : 'unknown',
      budget_policy_state: recordedState ?? (remaining !== null ? policyState(remaining, policy) : null),
      source_mode: 'backend',
    };
  });
}

/** Status without a metrics backend: firing burn alerts the intake stored, everything else unknown. */
export function statusInMemory(
  slos: readonly SloDefinition[],
  firing: ReadonlyMap<string, readonly string[]>
): SloStatus[] {
  return slos.map((slo) => {
    const severities = firing.get(slo.id) ?? [];
    return {
      ...base(slo),
      error_budget_remaining: null,
      burn_rates: Object.fromEntries(SLI_WINDOWS.map((w) => [w, null])),
      alert_state: severities.length > 0 ? alertStateOf(severities) : 'unknown',
      budget_policy_state: null,
      source_mode: 'in_memory',
    };
  });
}

export async function readBackend(
  prometheusUrl: string,
  options: { timeoutMs?: number; fetchImpl?: typeof fetch } = {}
): Promise<SloBackendSamples> {
  const [remaining, burnRates, policyStates, firingAlerts] = await queryAll(
    prometheusUrl,
    SLO_BACKEND_QUERIES,
    options
  );
  return { remaining, burnRates, policyStates, firingAlerts };
}

/** sloth_id → severities (`page`/`ticket`) of the SLO burn alerts received and still firing. */
export async function firingBurnAlerts(store: Store): Promise<Map<string, string[]>> {
  const { rows } = await store.query<{ sloth_id: string; severity: string }>(
    `SELECT DISTINCT labels->>'sloth_id' AS sloth_id, labels->>'sloth_severity' AS severity
       FROM alerts
      WHERE status = 'firing' AND labels ? 'sloth_id' AND labels->>'sloth_severity' IN ('page', 'ticket')
      ORDER BY 1, 2`
  );
  const firing = new Map<string, string[]>();
  for (const row of rows) {
    firing.set(row.sloth_id, [...(firing.get(row.sloth_id) ?? []), row.severity]);
  }
  return firing;
}
