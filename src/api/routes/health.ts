import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../contract/common';
import { endpoints } from '../../contract/endpoints';
import { readiness } from '../readiness';
import { route } from './register';

/** Liveness, readiness, metrics and the OpenAPI document: public, cheap, no tenant data. */
export async function healthRoutes(app: FastifyInstance) {
  route(app, endpoints.healthz, { tags: ['operations'], summary: 'The process is up' }, async () => ({
    status: 'ok' as const,
  }));

  route(
    app,
    endpoints.readyz,
    {
      tags: ['operations'],
      summary: 'The store is reachable and fully migrated',
      errors: { 503: ErrorEnvelope },
    },
    async () => readiness(app.store)
  );

  route(
    app,
    endpoints.metrics,
    {
      tags: ['operations'],
      summary: 'Prometheus metrics of this process',
      produces: ['text/plain'],
    },
    async (_request, reply) => {
      reply.type(app.metrics.registry.contentType);
      return app.metrics.registry.metrics();
    }
  );

  route(app, endpoints.openapi, { tags: ['operations'], summary: 'This document', hide: true }, async () =>
    app.swagger()
  );
}
