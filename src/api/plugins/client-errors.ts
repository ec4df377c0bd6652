/**
 * Connections that never become a request Fastify can route: bodies that trickle in, headers too
 * large, bytes that are not HTTP (issue 17 item 8). Node's HTTP parser refuses them before any route
 * runs; these answers still carry the error envelope `{code, message, correlation_id, details}`.
 *
 * Deadlines: the whole request (headers and body) must arrive within OPSDECK_REQUEST_TIMEOUT_MS, the
 * headers within 10 s of it. Node checks them every second, so a slow-loris body is cut with a 408.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

import type { ErrorEnvelope } from '../../contract/common';

const HEADERS_TIMEOUT_MS = 10_000;

/** Options for http.createServer and Fastify's requestTimeout from the configured request deadline. */
export function serverTimeouts(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(requestTimeoutMs / 4))),
    },
  };
}

function answerFor(error: NodeJS.ErrnoException): { status: number; envelope: Omit<ErrorEnvelope, 'correlation_id'> } {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        envelope: { code: 'request_timeout', message: 'the request did not arrive in time', details: {} },
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        envelope: {
          code: 'headers_too_large',
          message: 'request headers are larger than the server accepts',
          details: {},
        },
      };
    default:
      return {
        status: 400,
        envelope: {
          code: 'invalid_request',
          message: 'the request is not valid HTTP',
          details: { parser: error.code ?? null },
        },
      };
  }
}

export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, envelope } = answerFor(error);
  const correlationId = `opsdeck-${randomUUID()}`;
  const body = JSON.stringify({ ...envelope, correlation_id: correlationId });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Correlation-ID: ${correlationId}\r\n` +
      'Connection: close\r\n\r\n' +
      body
  );
}
