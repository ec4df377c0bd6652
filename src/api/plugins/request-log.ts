import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { createRequestLog, type RequestLog } from '../correlation/request-log';

declare module 'fastify' {
  interface FastifyInstance {
    /** The bounded request log correlation lookups read (see request-log.ts). */
    requestLog: RequestLog;
  }
}

/** Probes and scrapes would only push real requests out of the bounded table. */
const NOT_RECORDED = new Set(['/healthz', '/readyz', '/metrics']);
const DURABLE_WAIT_MS = 1_000;

async function waitAtMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * Records every answered request (correlation ID, route template, status, error code, duration) in
 * the request log before the answer is sent; concurrent requests share one INSERT (request-log.ts).
 */
export function registerRequestLog(app: FastifyInstance) {
  const log = createRequestLog(app.store, {
    onError: (error) =>
      app.log.warn(
        { err: error },
        'request log write failed; the batch is retried at the next flush unless the database rejected it'
      ),
  });
  app.decorate('requestLog', log);
  const recorded = new WeakSet<object>();
  const entryOf = (request: FastifyRequest, reply: FastifyReply, route: string, errorCode: string | null) => ({
    at: new Date(),
    method: request.method,
    route,
    status: reply.statusCode,
    error_code: errorCode,
    correlation_id: request.id,
    duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
    // Set only once the caller was found to be a member of that project (see plugins/auth.ts): a
    // request refused before that stays outside every project, so no project's viewer learns of it.
    tenant: request.identity?.tenant ?? null,
    project: request.identity?.project ?? null,
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (NOT_RECORDED.has(route)) {
      return payload;
    }
    let errorCode: string | null = null;
    // Error answers are small envelopes; read their code for the record.
    if (reply.statusCode >= 400 && typeof payload === 'string' && payload.startsWith('{')) {
      try {
        const code = (JSON.parse(payload) as { code?: unknown }).code;
        errorCode = typeof code === 'string' ? code : null;
      } catch {
        // not an envelope: no code to record
      }
    }
    // In the table before the answer leaves (issue 13.7): a lookup on any replica that starts after
    // this answer finds it, and kill -9 after the answer loses nothing. Bounded: with the store in
    // trouble the answer goes out after DURABLE_WAIT_MS and the record follows when it can.
    recorded.add(request);
    await waitAtMost(log.recordDurably(entryOf(request, reply, route, errorCode)), DURABLE_WAIT_MS);
    return payload;
  });

  // Answers that bypass onSend here (the not-found handler's, aborted ones) are still recorded, buffered.
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (!recorded.has(request) && !NOT_RECORDED.has(route)) {
      log.record(entryOf(request, reply, route, reply.statusCode === 404 ? 'not_found' : null));
    }
  });

  app.addHook('onClose', async () => log.close());
}
