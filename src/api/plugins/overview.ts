import type { FastifyInstance } from 'fastify';

import { createProcessCounters, type ProcessCounters } from '../overview/counters';
import { createOverviewService, type OverviewService } from '../overview/service';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's own request counters: the overview's in_memory source. */
    processCounters: ProcessCounters;
    overview: OverviewService;
  }
}

const NOT_COUNTED = new Set(['/healthz', '/readyz', '/metrics']);

/** Counts every answered API request for the in_memory source mode, and provides the overview service. */
export function registerOverview(app: FastifyInstance) {
  const counters = createProcessCounters({ registry: app.metrics.registry, hostRole: app.config.hostRole });
  app.decorate('processCounters', counters);
  app.decorate('overview', createOverviewService(app, counters));
  app.addHook('onResponse', async (request, reply) => {
    if (!NOT_COUNTED.has(request.routeOptions.url ?? '')) {
      counters.record(reply.statusCode, reply.elapsedTime);
    }
  });
}
