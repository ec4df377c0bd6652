import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

import type { ErrorCode, ErrorEnvelope } from '../../contract/common';
import { ApiError } from '../errors';
import { isStoreUnavailable, STORE_RETRY_AFTER_SECONDS } from '../store/errors';

const HTTP_METHODS: HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Framework error codes that are the caller's fault, with the envelope code and status they map to. */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: ErrorCode; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'request body is larger than 1 MiB' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'invalid_request',
    message: 'request body is empty; send a JSON document',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_request', message: 'request body is not valid JSON' },
  FST_ERR_VALIDATION: { status: 400, code: 'invalid_request' },
};

export function sendEnvelope(
  reply: FastifyReply,
  status: number,
  envelope: Omit<ErrorEnvelope, 'correlation_id'>,
  headers: Record<string, string> = {}
) {
  const body: ErrorEnvelope = { ...envelope, correlation_id: reply.request.id };
  return reply.status(status).headers(headers).type('application/json; charset=utf-8').send(body);
}

/**
 * One error handler and one not-found handler: every non-2xx answer is the envelope
 * `{code, message, correlation_id, details}`. 4xx messages pass through; a 5xx keeps its details in
 * the log (with the correlation ID) and tells the caller only what to quote.
 */
export function registerErrorHandling(app: FastifyInstance) {
  // Our own index of routes, so that a known path with the wrong method answers 405, not 404.
  const knownRoutes = FindMyWay({ ignoreTrailingSlash: true });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (HTTP_METHODS.includes(method as HTTPMethod) && !knownRoutes.hasRoute(method as HTTPMethod, route.url)) {
        knownRoutes.on(method as HTTPMethod, route.url, () => undefined);
      }
    }
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    const allowed = HTTP_METHODS.filter((method) => knownRoutes.find(method, path) !== null);
    if (allowed.length > 0) {
      return sendEnvelope(
        reply,
        405,
        { code: 'method_not_allowed', message: `${request.method} is not allowed on ${path}`, details: { allowed } },
        { allow: allowed.join(', ') }
      );
    }
    return sendEnvelope(reply, 404, {
      code: 'not_found',
      message: `no route for ${request.method} ${path}`,
      details: {},
    });
  });

  app.setErrorHandler(answerError);
}

/** Any thrown error → its envelope: ours as they are, validation and framework errors as 4xx, a lost store as 503, the rest 500. */
function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError) {
    if (error.status >= 500) {
      request.log.error({ err: error }, error.message);
    }
    return sendEnvelope(
      reply,
      error.status,
      { code: error.code, message: error.message, details: error.details },
      error.headers
    );
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      path: [error.validationContext ?? 'request', ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'invalid',
      code:
        issue.params?.issue && typeof issue.params.issue === 'object'
          ? (issue.params.issue as { code?: string }).code
          : issue.keyword,
    }));
    return sendEnvelope(reply, 400, {
      code: 'invalid_request',
      message: `request ${error.validationContext ?? 'input'} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      details: { issues },
    });
  }
  const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
  if (known) {
    return sendEnvelope(reply, known.status, {
      code: known.code,
      message: known.message ?? error.message,
      details: {},
    });
  }
  if (!isResponseSerializationError(error) && error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendEnvelope(reply, error.statusCode, { code: 'invalid_request', message: error.message, details: {} });
  }
  if (isStoreUnavailable(error)) {
    // A lost or saturated store is not the caller's fault and not a bug: ask them to come back.
    request.log.warn({ err: error }, 'store unavailable');
    return sendEnvelope(
      reply,
      503,
      {
        code: 'store_unavailable',
        message: `the store is unreachable or saturated; retry after ${STORE_RETRY_AFTER_SECONDS} s`,
        details: { retry_after_seconds: STORE_RETRY_AFTER_SECONDS },
      },
      { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) }
    );
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendEnvelope(reply, 500, {
    code: 'internal_error',
    message: 'internal error; quote the correlation ID when reporting it',
    details: {},
  });
}
