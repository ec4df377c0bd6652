import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { ErrorEnvelope } from '../../../contract/common';
import { RecommendationOverride, OverrideRequest, RecommendationList } from '../../../contract/recommendations';
import { listRecommendations, recordOverride } from '../../recommendations/service';
import { callerOf } from '../updates';

const IncidentParams = z.object({ id: z.string().min(1).max(64) });
const errors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope, 409: ErrorEnvelope };

/** Ranked catalog actions for an incident, and overrides of the top one. */
export async function recommendationsRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/incidents/:id/recommendations',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Catalog actions that fit the incident, ranked, with prefilled parameters and confidence from history',
        params: IncidentParams,
        response: { 200: RecommendationList, ...errors },
      },
    },
    async (request) => listRecommendations(app.store, callerOf(app, request), app.catalog.current(), request.params.id)
  );

  app.post(
    '/incidents/:id/recommendations/overrides',
    {
      config: { auth: { capability: 'approvals:request', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Record that another action than the top recommendation was chosen, or that it was rejected, and why',
        params: IncidentParams,
        body: OverrideRequest,
        response: { 201: RecommendationOverride, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await recordOverride(
            app.store,
            callerOf(app, request),
            app.catalog.current(),
            request.params.id,
            request.body
          )
        )
  );
}
