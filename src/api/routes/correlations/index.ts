import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { CorrelationId, ErrorEnvelope } from '../../../contract/common';
import { CorrelationLookup } from '../../../contract/correlation';
import { lookupCorrelation } from '../../correlation/lookup';

/** Correlation-ID lookup, scoped to X-Project-ID (`*` = every project the caller may see). */
export async function correlationsRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/correlations/:correlation_id',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['correlation'],
        summary: 'Incidents, alerts, audit rows, API requests and Explore links under one correlation ID',
        params: z.object({ correlation_id: CorrelationId }),
        response: { 200: CorrelationLookup, 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope },
      },
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
