import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../contract/common';
import { endpoints } from '../../contract/endpoints';
import { ApiError } from '../errors';
import { LATEST_SCHEMA_VERSION, schemaVersion } from '../store/migrator';
import { route } from './register';

const READY_TIMEOUT_MS = 2_000;

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
