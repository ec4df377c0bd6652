import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { listRecommendations, recordOverride } from '../../recommendations/service';
import { actorAt } from '../../plugins/auth';
import { route } from '../register';

const errors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope, 409: ErrorEnvelope };

/** Ranked catalog actions for an incident, and overrides of the top one. */
export async function recommendationsRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.listRecommendations,
    {
      tags: ['incidents'],
      summary: 'Catalog actions that fit the incident, ranked, with prefilled parameters and confidence from history',
      errors,
    },
    async (request) =>
      listRecommendations(app.store, actorAt(request, app.now()), app.catalog.current(), request.params.id)
  );

  route(
    app,
    endpoints.overrideRecommendation,
    {
      tags: ['incidents'],
      summary: 'Record that another action than the top recommendation was chosen, or that it was rejected, and why',
      errors,
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await recordOverride(
            app.store,
            actorAt(request, app.now()),
            app.catalog.current(),
            request.params.id,
            request.body
          )
        )
  );
}
