import type { FastifyInstance, FastifyReply } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { route } from '../register';

/**
 * The decision-first ops overview. Optional X-Project-ID narrows it to one project; `*` or no header
 * means every project, which only a caller with a global grant gets (the auth plugin answers 400 to a
 * member of named projects without the header, and 403 to `*`). The answer is assembled, validated against OpsOverview, serialised and
 * gzipped once per computation, then sent as is to every caller that computation serves
 * (overview/service.ts).
 */
export async function overviewRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.opsOverview,
    {
      tags: ['overview'],
      summary: 'Decision-first ops overview: header, action required, health, investigation tools, fleet',
      errors: { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope },
    },
    async (request, reply) => {
      const answer = await app.overview.answer(request.identity.scope);
      // Already validated and serialised (see above): a Buffer is sent as is. Browsers reach us through
      // Grafana's proxy with Accept-Encoding: gzip, and get the copy compressed once per computation.
      const raw = reply as FastifyReply;
      raw.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
      if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
        return raw.header('content-encoding', 'gzip').send(answer.gzip);
      }
      return raw.send(answer.json);
    }
  );
}
