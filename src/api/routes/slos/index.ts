import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { sloStatusList } from '../../slo/service';
import { route } from '../register';

/** SLO status for the Opsdeck datasource (`slo_status`) and the app's SLO page. */
export async function slosRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.sloStatus,
    {
      tags: ['slos'],
      summary:
        'Every SLO with its error budget left, burn rate per alert window, alert state, budget policy state and what the policy obliges now',
      errors: { 503: ErrorEnvelope },
    },
    async (request) =>
      sloStatusList(
        {
          catalog: app.catalog.current(),
          store: app.store,
          prometheusUrl: app.config.prometheusUrl ?? null,
          now: app.now(),
          onBackendFailure: (error) =>
            request.log.warn(
              { reason: error.reason, err: error.message },
              'SLO status: metrics backend failed, answering from in_memory'
            ),
        },
        { service: request.query.service }
      )
  );
}
