import type { ErrorCode } from '../contract/common';

/**
 * An error the API answers with on purpose. The error handler turns it into the envelope
 * `{code, message, correlation_id, details}` with `status`; anything that is not an ApiError
 * (or a framework 4xx) becomes a 500 whose details stay in the log.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (code: ErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new ApiError(404, code, message, details);

export const badRequest = (message: string, details: Record<string, unknown> = {}) =>
  new ApiError(400, 'invalid_request', message, details);

export const conflict = (code: ErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new ApiError(409, code, message, details);

export const forbidden = (code: ErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new ApiError(403, code, message, details);
