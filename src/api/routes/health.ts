import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { ErrorEnvelope, HealthStatus, ReadyStatus } from '../../contract/common';
import { ApiError } from '../errors';
import { LATEST_SCHEMA_VERSION, schemaVersion } from '../store/migrator';

const READY_TIMEOUT_MS = 2_000;

/** Liveness, readiness, metrics and the OpenAPI document: public, cheap, no tenant data. */
export async function healthRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/healthz',
    {
      config: { auth: { public: true } },
      schema: { tags: ['operations'], summary: 'The process is up', response: { 200: HealthStatus } },
    },
    async () => ({ status: 'ok' as const })
  );

  app.get(
    '/readyz',
    {
      config: { auth: { public: true } },
      schema: {
        tags: ['operations'],
        summary: 'The store is reachable and fully migrated',
        response: { 200: ReadyStatus, 503: ErrorEnvelope },
      },
    },
    async () => {
      let version: number;
      try {
        version = await withTimeout(
          (async () => {
            await app.store.ping();
            return schemaVersion(app.store.health);
          })(),
          READY_TIMEOUT_MS
        );
      } catch (error) {
        throw new ApiError(503, 'not_ready', `store is not reachable: ${(error as Error).message}`, {
          store: app.store.kind,
        });
      }
      if (version < LATEST_SCHEMA_VERSION) {
        throw new ApiError(
          503,
          'not_ready',
          `store schema is at version ${version}, expected ${LATEST_SCHEMA_VERSION}`,
          {
            store: app.store.kind,
            schema_version: version,
            expected_version: LATEST_SCHEMA_VERSION,
          }
        );
      }
      return { status: 'ready' as const, store: app.store.kind, schema_version: version };
    }
  );

  app.get(
    '/metrics',
    {
      config: { auth: { public: true } },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics of this process',
        produces: ['text/plain'],
        response: { 200: z.string() },
      },
    },
    async (_request, reply) => {
      reply.type(app.metrics.registry.contentType);
      return app.metrics.registry.metrics();
    }
  );

  app.get('/openapi.json', { config: { auth: { public: true } }, schema: { hide: true } }, async () => app.swagger());
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
