import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

import { CatalogReloadResult } from '../../../contract/catalog';
import { ErrorEnvelope } from '../../../contract/common';
import { catalogMetrics, reloadCatalog } from '../../catalog-reload';
import { ApiError } from '../../errors';
import { auditContextOf } from '../../plugins/auth';

/** Catalog administration: reload from disk (also on SIGHUP, see server.ts). */
export async function catalogRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  // Registered at start so the counters read 0 before the first reload.
  catalogMetrics(app);

  app.post(
    '/admin/catalog/reload',
    {
      config: { auth: { capability: 'catalog:admin' } },
      schema: {
        tags: ['catalog'],
        summary:
          'Reload the catalog from disk; an invalid catalog keeps the current one and answers 422 with every violation',
        response: { 200: CatalogReloadResult, 422: ErrorEnvelope },
      },
    },
    async (request) => {
      const outcome = await reloadCatalog(app, auditContextOf(request));
      if (!outcome.ok) {
        request.log.warn(
          { violations: outcome.violations.length },
          'catalog reload rejected; serving the previous catalog'
        );
        throw new ApiError(
          422,
          'catalog_invalid',
          `the catalog on disk has ${outcome.violations.length} violation(s); still serving revision ${outcome.current.revision.slice(0, 12)}`,
          {
            violations: outcome.violations,
            revision: outcome.current.revision,
          }
        );
      }
      const { catalog, previous, warnings } = outcome;
      request.log.info(
        { revision: catalog.revision, previous: previous.revision, warnings: warnings.length },
        'catalog reloaded'
      );
      return {
        reloaded: true,
        loaded_at: catalog.loadedAt.toISOString(),
        revision: catalog.revision,
        previous_revision: previous.revision,
        runbooks: catalog.runbooks.size,
        signals: catalog.signals.size,
        queries: catalog.queries.size,
        alert_rules: catalog.alerts.rules.length,
        warnings,
      };
    }
  );
}
