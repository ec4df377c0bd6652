import type { FastifyInstance } from 'fastify';

import { healthRoutes } from './health';

/**
 * Every route of the API. Operational endpoints sit at the root; the product API under /api/v1,
 * one folder per resource.
 */
export async function registerRoutes(app: FastifyInstance) {
  await app.register(healthRoutes);
}
