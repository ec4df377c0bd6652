/**
 * GET /api/v1/slos/status: one SloStatus per SLO of catalog/slos/.
 * - backend (OPSDECK_PROMETHEUS_URL set): the recording rules `opsdeck generate` writes —
 *   slo:period_error_budget_remaining:ratio, slo:burn_rate:ratio{sloth_window}, slo:error_budget_policy_state
 *   — and Prometheus's ALERTS for the burn alerts.
 * - in_memory (no backend, or it failed): only what the API itself knows — the burn alerts Alertmanager
 *   delivered and that are still firing; budget and burn rates are unknown (null).
 * Assembly is pure (statusFromBackend, statusInMemory); the reads are the two functions at the bottom.
 */
import {
  PolicyAlertKind,
  type BudgetPolicyState,
  type ErrorBudgetPolicyFile,
  type SloStatus,
} from '../../contract/slo';
import { DASHBOARD_UIDS, panelUrl } from '../../catalog/alerting/links';
import { alertStateOf, policyState, SLI_WINDOWS } from '../../catalog/slo/burn';
import { sloPanelId } from '../../catalog/slo/layout';
import { POLICY_ALERT_LABEL } from '../../catalog/slo/policy-alerts';
import type { SloDefinition } from '../../catalog/slo/spec';
import type { Store } from '../store';
import { queryAll, type Sample } from '../prometheus';

/** The recording rules and alerts the backend mode reads, in this order. */
export const SLO_BACKEND_QUERIES = [
  'slo:period_error_budget_remaining:ratio',
  'slo:burn_rate:ratio',
  'slo:error_budget_policy_state == 1',
  'ALERTS{alertstate="firing", sloth_id!=""}',
] as const;

export interface SloBackendSamples {
  remaining: Sample[];
  burnRates: Sample[];
  policyStates: Sample[];
  firingAlerts: Sample[];
}

const POLICY_STATES = new Set(['remaining', 'depleted', 'critical']);

/** What every SLO status carries regardless of the source mode. `index`: position among all SLOs (panel IDs). */
function base(slo: SloDefinition, index: number) {
  return {
    id: slo.id,
    service: slo.service,
    name: slo.name,
    objective: slo.objective,
    runbook_id: slo.runbookId || null,
    owner: slo.labels.owner ?? null,
    signal_key: slo.signalKey,
    dashboard_url: panelUrl(DASHBOARD_UIDS.sloBurn, sloPanelId(index, 'burnRates')),
  };
}

/** The firing alerts of one SLO: Sloth severities (page/ticket) and the policy alerts among them. */
export interface FiringSloAlerts {
  severities: string[];
  policyAlerts: PolicyAlertKind[];
}

function firingOf(labels: ReadonlyArray<Record<string, string | undefined>>): FiringSloAlerts {
  const severities = new Set<string>();
  const policyAlerts = new Set<PolicyAlertKind>();
  for (const label of labels) {
    if (label.sloth_severity === 'page' || label.sloth_severity === 'ticket') {
      severities.add(label.sloth_severity);
    }
    const kind = PolicyAlertKind.safeParse(label[POLICY_ALERT_LABEL]);
    if (kind.success) {
      policyAlerts.add(kind.data);
    }
  }
  return {
    severities: [...severities].sort(),
    policyAlerts: PolicyAlertKind.options.filter((k) => policyAlerts.has(k)),
  };
}

const obligationOf = (state: BudgetPolicyState | null, policy: ErrorBudgetPolicyFile) =>
  state ? policy.actions[state] : null;

const finite = (value: number) => (Number.isFinite(value) ? value : null);

/** Status from the recording rules. An SLO without series yet (new, or no traffic) reads as unknown. */
export function statusFromBackend(
  slos: readonly SloDefinition[],
  samples: SloBackendSamples,
  policy: ErrorBudgetPolicyFile
): SloStatus[] {
  const of = (list: Sample[], id: string) => list.filter((sample) => sample.labels.sloth_id === id);
  return slos.map((slo, index) => {
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
    const firing = firingOf(of(samples.firingAlerts, slo.id).map((s) => s.labels));
    const state = recordedState ?? (remaining !== null ? policyState(remaining, policy) : null);
    return {
      ...base(slo, index),
      error_budget_remaining: remaining,
      burn_rates: burnRates,
      alert_state: haveData ? alertStateOf(firing.severities) : 'unknown',
      budget_policy_state: state,
      source_mode: 'backend',
      policy_alerts: firing.policyAlerts,
      obligation: obligationOf(state, policy),
    };
  });
}

/**
 * Status without a metrics backend: the alerts the intake stored and that still fire; budgets and burn
 * rates unknown. The state is `depleted` only while the policy's depleted alert fires (Alertmanager
 * said so); otherwise it is unknown (null) — critical and remaining cannot be told without Prometheus.
 */
export function statusInMemory(
  slos: readonly SloDefinition[],
  firing: ReadonlyMap<string, FiringSloAlerts>,
  policy: ErrorBudgetPolicyFile
): SloStatus[] {
  return slos.map((slo, index) => {
    const alerts = firing.get(slo.id) ?? { severities: [], policyAlerts: [] };
    const state: BudgetPolicyState | null = alerts.policyAlerts.includes('depleted') ? 'depleted' : null;
    return {
      ...base(slo, index),
      error_budget_remaining: null,
      burn_rates: Object.fromEntries(SLI_WINDOWS.map((w) => [w, null])),
      alert_state: alerts.severities.length > 0 ? alertStateOf(alerts.severities) : 'unknown',
      budget_policy_state: state,
      source_mode: 'in_memory',
      policy_alerts: alerts.policyAlerts,
      obligation: obligationOf(state, policy),
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

/** sloth_id → the SLO alerts (Sloth burns and policy alerts) the intake received and that still fire. */
export async function firingSloAlerts(store: Store): Promise<Map<string, FiringSloAlerts>> {
  const { rows } = await store.query<{ sloth_id: string; severity: string | null; policy_alert: string | null }>(
    `SELECT DISTINCT labels->>'sloth_id' AS sloth_id, labels->>'sloth_severity' AS severity,
            labels->>'${POLICY_ALERT_LABEL}' AS policy_alert
       FROM alerts
      WHERE status = 'firing' AND labels ? 'sloth_id'
      ORDER BY 1, 2, 3`
  );
  const bySlo = new Map<string, Array<Record<string, string | undefined>>>();
  for (const row of rows) {
    const labels = { sloth_severity: row.severity ?? undefined, [POLICY_ALERT_LABEL]: row.policy_alert ?? undefined };
    bySlo.set(row.sloth_id, [...(bySlo.get(row.sloth_id) ?? []), labels]);
  }
  return new Map([...bySlo].map(([id, labels]) => [id, firingOf(labels)]));
}
