import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

import { createRequestLog, type RequestLog } from './request-log';

declare module 'fastify' {
  interface FastifyInstance {
    /** The bounded request log correlation lookups read (see request-log.ts). */
    requestLog: RequestLog;
  }
}

/** Probes and scrapes would only push real requests out of the bounded table. */
const NOT_RECORDED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Records every answered request (correlation ID, route template, status, error code, duration) in
 * the request log, off the hot path: the hook appends to a buffer that is written in batches.
 */
export const requestLogPlugin = fp(
  async (app: FastifyInstance) => {
    const log = createRequestLog(app.store, {
      onError: (error) =>
        app.log.warn(
          { err: error },
          'request log write failed; the batch is retried at the next flush unless the database rejected it'
        ),
    });
    app.decorate('requestLog', log);
    const errorCodes = new WeakMap<FastifyRequest, string>();

    app.addHook('onSend', async (request, reply, payload) => {
      // Error answers are small envelopes; read their code for the record.
      if (reply.statusCode >= 400 && typeof payload === 'string' && payload.startsWith('{')) {
        try {
          const code = (JSON.parse(payload) as { code?: unknown }).code;
          if (typeof code === 'string') {
            errorCodes.set(request, code);
          }
        } catch {
          // not an envelope: no code to record
        }
      }
      return payload;
    });

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      if (NOT_RECORDED.has(route)) {
        return;
      }
      log.record({
        at: new Date(),
        method: request.method,
        route,
        status: reply.statusCode,
        error_code: errorCodes.get(request) ?? null,
        correlation_id: request.id,
        duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
      });
    });

    app.addHook('onClose', async () => log.close());
  },
  { name: 'opsdeck-request-log' }
);
