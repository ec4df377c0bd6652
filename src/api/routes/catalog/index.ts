import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { catalogMetrics, reloadCatalog } from '../../catalog-reload';
import { ApiError, badRequest } from '../../errors';
import { auditContextOf } from '../../plugins/auth';
import { route } from '../register';

/** Catalog administration: reload from disk (also on SIGHUP, see server.ts). */
export async function catalogRoutes(app: FastifyInstance) {
  // Registered at start so the counters read 0 before the first reload.
  catalogMetrics(app);

  route(
    app,
    endpoints.reloadCatalog,
    {
      tags: ['catalog'],
      summary:
        'Reload the catalog from disk; an invalid catalog keeps the current one and answers 422 with every violation',
        errors: { 400: ErrorEnvelope, 422: ErrorEnvelope },
    },
    async (request) => {
      // The reload reads the catalog from disk and nothing else: a body means a confused or hostile
      // caller, and each accepted call would reload and write an audit row (issue 17 item 12).
      if (request.body !== undefined && request.body !== null) {
        throw badRequest('this route takes no body: it reloads the catalog from disk', { field: 'body' });
      }
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
