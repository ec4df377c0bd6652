import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

import { ErrorEnvelope } from '../../../contract/common';
import { KpiQuery, Kpis } from '../../../contract/kpis';
import { kpisFor } from '../../kpis/service';

/** Operating KPIs of the project over 7, 30 or 90 days, optionally for one owner team. */
export async function kpisRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/kpis',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary:
          'MTTA/MTTR (assisted vs manual), SLA compliance, change failure, automation, overrides, noise; with targets',
        querystring: KpiQuery,
        response: { 200: Kpis, 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope },
      },
    },
    async (request) => kpisFor(app.store, request.identity.scope, request.query, app.now())
  );
}
