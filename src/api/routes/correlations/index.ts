import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { lookupCorrelation } from '../../correlation/lookup';
import { route } from '../register';

/** Correlation-ID lookup, scoped to X-Project-ID (`*` = every project the caller may see). */
export async function correlationsRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.correlation,
    {
      tags: ['correlation'],
      summary: 'Incidents, alerts, audit rows, API requests and Explore links under one correlation ID',
      errors: { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope },
    },
    async (request) => {
      // Requests answered before this one are in the table once their batch is written.
      await app.requestLog.flush();
      return lookupCorrelation(app.store, request.params.correlation_id, request.identity.scope, {
        catalog: app.catalog.current(),
        explore: { datasourceUids: app.config.exploreDatasources, grafanaUrl: app.config.grafanaUrl },
      });
    }
  );
}
