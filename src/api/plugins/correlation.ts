import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { CORRELATION_ID_PATTERN } from '../../contract/common';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Fastify's `genReqId`: the request ID *is* the correlation ID, so pino puts it on every log line of
 * the request (`requestIdLogLabel: 'correlation_id'`). A caller's ID is kept when it is 8–128 chars of
 * [A-Za-z0-9._:-]; anything else (missing, too long, injected newlines) is replaced by a fresh one.
 */
export function correlationIdOf(req: IncomingMessage): string {
  const header = req.headers[CORRELATION_HEADER];
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate && CORRELATION_ID_PATTERN.test(candidate) ? candidate : `opsdeck-${randomUUID()}`;
}
