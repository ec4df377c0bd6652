import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { ErrorEnvelope } from '../../../contract/common';
import { SloStatusList, type ErrorBudgetPolicyFile } from '../../../contract/slo';
import type { Catalog } from '../../../catalog/model';
import { loadSlos, readErrorBudgetPolicy, SloSpecError, type SloDefinition } from '../../../catalog/slo/spec';
import { ApiError } from '../../errors';
import { BackendError } from '../../prometheus';
import { firingSloAlerts, readBackend, statusFromBackend, statusInMemory } from '../../slo/status';

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

/** SLO status for the Opsdeck datasource (`slo_status`) and the app. */
export async function slosRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/slos/status',
    {
      config: { auth: { role: 'viewer' } },
      schema: {
        tags: ['slos'],
        summary:
          'Every SLO with its error budget left, burn rate per alert window, alert state and budget policy state',
        querystring: z.object({ service: z.string().min(1).max(200).optional() }),
        response: { 200: SloStatusList, 503: ErrorEnvelope },
      },
    },
    async (request) => {
      let set: SloSet;
      try {
        set = await slosOf(app.catalog.current());
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
      // Statuses are built for every SLO (dashboard panel IDs follow the SLO's position among all) and filtered after.
      const slos = set.slos;
      const wanted = (item: { service: string }) =>
        request.query.service === undefined || item.service === request.query.service;
      const generatedAt = app.now().toISOString();
      const prometheusUrl = app.config.prometheusUrl;
      if (prometheusUrl) {
        try {
          const items = statusFromBackend(slos, await readBackend(prometheusUrl), set.policy).filter(wanted);
          return {
            items,
            source_mode: 'backend' as const,
            degraded: false,
            guidance: GUIDANCE.backend,
            generated_at: generatedAt,
          };
        } catch (error) {
          if (!(error instanceof BackendError)) {
            throw error;
          }
          request.log.warn(
            { reason: error.reason, err: error.message },
            'SLO status: metrics backend failed, answering from in_memory'
          );
          const items = statusInMemory(slos, await firingSloAlerts(app.store), set.policy).filter(wanted);
          return {
            items,
            source_mode: 'in_memory' as const,
            degraded: true,
            guidance: GUIDANCE.degraded(error.message),
            generated_at: generatedAt,
          };
        }
      }
      const items = statusInMemory(slos, await firingSloAlerts(app.store), set.policy).filter(wanted);
      return {
        items,
        source_mode: 'in_memory' as const,
        degraded: false,
        guidance: GUIDANCE.inMemory,
        generated_at: generatedAt,
      };
    }
  );
}
