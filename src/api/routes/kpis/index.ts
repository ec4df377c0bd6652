import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { kpisFor } from '../../kpis/service';
import { route } from '../register';

/** Operating KPIs of the project over 7, 30 or 90 days, optionally for one owner team. */
export async function kpisRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.kpis,
    {
      tags: ['incidents'],
      summary:
        'MTTA/MTTR (assisted vs manual), SLA compliance, change failure, automation, overrides, noise; with targets',
      errors: { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope },
    },
    async (request) => kpisFor(app.store, request.identity.scope, request.query, app.now())
  );
}
