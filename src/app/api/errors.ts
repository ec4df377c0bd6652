import type { ErrorEnvelope } from '../../contract/common';

/**
 * What a failed call tells the user: the API's envelope (message, code, correlation ID) when the API
 * answered, or what Grafana's proxy / the network said when it did not.
 */
export class OpsApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly correlationId: string | null;
  readonly details: Record<string, unknown>;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    correlationId: string | null;
    details?: Record<string, unknown>;
  }) {
    super(init.message);
    this.name = 'OpsApiError';
    this.status = init.status;
    this.code = init.code;
    this.correlationId = init.correlationId;
    this.details = init.details ?? {};
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  return (
    isRecord(value) &&
    typeof value.code === 'string' &&
    typeof value.message === 'string' &&
    typeof value.correlation_id === 'string' &&
    isRecord(value.details)
  );
}

/** Turns whatever getBackendSrv().fetch threw (a FetchError, a network failure, a bug) into an OpsApiError. */
export function toOpsApiError(thrown: unknown): OpsApiError {
  if (thrown instanceof OpsApiError) {
    return thrown;
  }
  const status = isRecord(thrown) && typeof thrown.status === 'number' ? thrown.status : 0;
  const data = isRecord(thrown) ? thrown.data : undefined;
  if (isErrorEnvelope(data)) {
    return new OpsApiError({
      status,
      code: data.code,
      message: data.message,
      correlationId: data.correlation_id,
      details: data.details,
    });
  }
  // Grafana's proxy answers in its own shape ({message}) when it cannot reach the API or denies the route.
  const proxyMessage = isRecord(data) && typeof data.message === 'string' ? data.message : null;
  const statusText = isRecord(thrown) && typeof thrown.statusText === 'string' ? thrown.statusText : '';
  const fallback = thrown instanceof Error ? thrown.message : 'The request failed';
  const message = proxyMessage ?? (status ? `HTTP ${status}${statusText ? ` ${statusText}` : ''}` : fallback);
  return new OpsApiError({
    status,
    code: status === 0 ? 'network_error' : status === 403 ? 'insufficient_permissions' : 'proxy_error',
    message:
      status === 502 || status === 504
        ? `${message} — is the companion API running and its URL right in the app configuration?`
        : message,
    correlationId: null,
  });
}
