import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { ErrorEnvelope } from '../../../contract/common';
import { SloStatusList } from '../../../contract/slo';
import { sloStatusList } from '../../slo/service';

/** SLO status for the Opsdeck datasource (`slo_status`) and the app's SLO page. */
export async function slosRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/slos/status',
    {
      config: { auth: { capability: 'incidents:read' } },
      schema: {
        tags: ['slos'],
        summary:
          'Every SLO with its error budget left, burn rate per alert window, alert state, budget policy state and what the policy obliges now',
        querystring: z.object({ service: z.string().min(1).max(200).optional() }),
        response: { 200: SloStatusList, 503: ErrorEnvelope },
      },
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
