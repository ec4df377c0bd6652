import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

import { ErrorEnvelope } from '../../../contract/common';
import { OpsOverview } from '../../../contract/overview';

/**
 * The decision-first ops overview. Optional X-Project-ID narrows it to one project (`*` or none: every
 * project the caller may see). The answer is assembled, validated against OpsOverview and serialised
 * once per computation, then sent as is to every caller that computation serves (overview/service.ts).
 */
export async function overviewRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/admin/ops/overview',
    {
      config: { auth: { role: 'viewer', projectScoped: 'optional' } },
      schema: {
        tags: ['overview'],
        summary: 'Decision-first ops overview: header, action required, health, investigation tools, fleet',
        response: { 200: OpsOverview, 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope },
      },
    },
    async (request, reply) => {
      const json = await app.overview.json(request.identity.scope ?? { kind: 'all' });
      // Already validated and serialised (see above); a string is sent without re-serialising.
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(json);
    }
  );
}
