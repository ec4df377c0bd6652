/**
 * The SLO status list as the API answers it (GET /api/v1/slos/status) and as approvals read it at
 * request time (change freezes): the SLO specs and error budget policy of the loaded catalog, read
 * once per catalog, then the backend (Prometheus) or the in-memory view of the alerts the intake stored.
 */
import type { ErrorBudgetPolicyFile, SloStatusList } from '../../contract/slo';
import type { Catalog } from '../../catalog/model';
import { loadSlos, readErrorBudgetPolicy, SloSpecError, type SloDefinition } from '../../catalog/slo/spec';
import { ApiError } from '../errors';
import { BackendError } from '../prometheus';
import type { Store } from '../store';
import { firingSloAlerts, readBackend, statusFromBackend, statusInMemory } from './status';

interface SloSet {
  slos: SloDefinition[];
  policy: ErrorBudgetPolicyFile;
}

// One read of catalog/slos/ per loaded catalog: a reload swaps the Catalog object, so the next request
// reads the specs of the new catalog and never mixes the two.
const slosByCatalog = new WeakMap<Catalog, Promise<SloSet>>();

function slosOf(catalog: Catalog): Promise<SloSet> {
  let pending = slosByCatalog.get(catalog);
  if (!pending) {
    const refs = {
      runbooks: new Set(catalog.runbooks.keys()),
      queries: new Set(catalog.queries.keys()),
      signals: new Set(catalog.signals.keys()),
    };
    pending = Promise.all([loadSlos(catalog.dir, refs), readErrorBudgetPolicy(catalog.dir)]).then(([slos, policy]) => ({
      slos,
      policy,
    }));
    slosByCatalog.set(catalog, pending);
  }
  return pending;
}

const GUIDANCE = {
  backend: 'Read from the SLO recording rules in Prometheus (OPSDECK_PROMETHEUS_URL).',
  inMemory:
    "No metrics backend is configured (OPSDECK_PROMETHEUS_URL): error budgets and burn rates are unknown; alert_state and policy_alerts show the SLO alerts Alertmanager delivered that are still firing, otherwise unknown; budget_policy_state is depleted while the policy's depleted alert fires and unknown otherwise (critical needs Prometheus).",
  degraded: (reason: string) =>
    `The metrics backend failed (${reason}): this answer falls back to in_memory — budgets and burn rates are unknown. Check that Prometheus answers at OPSDECK_PROMETHEUS_URL and loads alerts/prometheus/.`,
};

export interface SloStatusDeps {
  catalog: Catalog;
  store: Store;
  prometheusUrl: string | null;
  now: Date;
  /** Told when the backend failed and the answer fell back to in_memory. */
  onBackendFailure?: (error: BackendError) => void;
}

async function sloSet(catalog: Catalog): Promise<SloSet> {
  try {
    return await slosOf(catalog);
  } catch (error) {
    if (error instanceof SloSpecError) {
      throw new ApiError(
        503,
        'catalog_invalid',
        'the SLO specs of the catalog are invalid; run `opsdeck generate --check`',
        {
          violations: error.violations,
        }
      );
    }
    throw error;
  }
}

/** Every SLO's status (or those of one service). Statuses are built for all SLOs, so panel IDs stay right. */
export async function sloStatusList(deps: SloStatusDeps, filter: { service?: string } = {}): Promise<SloStatusList> {
  const set = await sloSet(deps.catalog);
  const wanted = (item: { service: string }) => filter.service === undefined || item.service === filter.service;
  const generated_at = deps.now.toISOString();
  if (deps.prometheusUrl) {
    try {
      const items = statusFromBackend(set.slos, await readBackend(deps.prometheusUrl), set.policy).filter(wanted);
      return { items, source_mode: 'backend', degraded: false, guidance: GUIDANCE.backend, generated_at };
    } catch (error) {
      if (!(error instanceof BackendError)) {
        throw error;
      }
      deps.onBackendFailure?.(error);
      const items = statusInMemory(set.slos, await firingSloAlerts(deps.store), set.policy).filter(wanted);
      return {
        items,
        source_mode: 'in_memory',
        degraded: true,
        guidance: GUIDANCE.degraded(error.message),
        generated_at,
      };
    }
  }
  const items = statusInMemory(set.slos, await firingSloAlerts(deps.store), set.policy).filter(wanted);
  return { items, source_mode: 'in_memory', degraded: false, guidance: GUIDANCE.inMemory, generated_at };
}
