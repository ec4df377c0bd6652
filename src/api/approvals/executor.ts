/**
 * Calling an action's executor. `executorRequest` builds the HTTP request (pure, tested directly);
 * `runExecutor` sends it with the execution's Idempotency-Key, so that a call re-sent after a crash
 * is recognised by the executor as the same call, and records status, an output excerpt and duration.
 */
import type { ActionDefinition } from '../../contract/approvals';
import { PLACEHOLDER_PATTERN } from '../../catalog/actions';

export const OUTPUT_EXCERPT_CHARS = 2_000;

export interface ExecutionSubject {
  approval_id: string;
  incident_id: string;
  tenant: string;
  project: string;
  action_id: string;
  parameters: Record<string, unknown>;
  requested_by: string;
  approved_by: string[];
  correlation_id: string;
}

export interface ExecutorRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface ExecutorResult {
  ok: boolean;
  http_status: number | null;
  output_excerpt: string;
  duration_ms: number;
}

const parameterText = (value: unknown) =>
  value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** Fills `{{name}}` with the URL-encoded parameter (so a value can never add a path segment or a query key). */
export function fillUrlTemplate(template: string, parameters: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER_PATTERN, (_placeholder, name: string) =>
    encodeURIComponent(parameterText(parameters[name]))
  );
}

/** Fills `{{name}}` in PromQL with the parameter escaped for a double-quoted string literal. */
export function fillPromql(template: string, parameters: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER_PATTERN, (_placeholder, name: string) =>
    parameterText(parameters[name]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
  );
}

export class ExecutorConfigError extends Error {}

export function executorRequest(
  action: ActionDefinition,
  subject: ExecutionSubject,
  idempotencyKey: string,
  options: { baseUrl: string | null; token: string | null }
): ExecutorRequest | null {
  if (action.executor.type === 'dry_run') {
    return null;
  }
  const path = fillUrlTemplate(action.executor.url_template, subject.parameters);
  let url: string;
  if (path.startsWith('/')) {
    if (!options.baseUrl) {
      throw new ExecutorConfigError(
        `action ${action.id} has a relative url_template but OPSDECK_EXECUTOR_BASE_URL is not set`
      );
    }
    url = `${options.baseUrl}${path}`;
  } else {
    url = path;
  }
  const headers: Record<string, string> = {
    ...action.executor.headers,
    'content-type': 'application/json',
    'idempotency-key': idempotencyKey,
    'x-correlation-id': subject.correlation_id,
    'user-agent': 'opsdeck-remediation',
  };
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  return {
    method: action.executor.method,
    url,
    headers,
    body: JSON.stringify({
      approval_id: subject.approval_id,
      action_id: subject.action_id,
      incident_id: subject.incident_id,
      tenant: subject.tenant,
      project: subject.project,
      parameters: subject.parameters,
      requested_by: subject.requested_by,
      approved_by: subject.approved_by,
    }),
    timeoutMs: action.executor.timeout_ms,
  };
}

export type Fetch = typeof fetch;

export async function runExecutor(
  action: ActionDefinition,
  subject: ExecutionSubject,
  idempotencyKey: string,
  options: { baseUrl: string | null; token: string | null; fetch?: Fetch }
): Promise<ExecutorResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let request: ExecutorRequest | null;
  try {
    request = executorRequest(action, subject, idempotencyKey, options);
  } catch (error) {
    return { ok: false, http_status: null, output_excerpt: (error as Error).message, duration_ms: elapsed() };
  }
  if (request === null) {
    return {
      ok: true,
      http_status: null,
      output_excerpt: `dry run: nothing was called; ${action.id} with ${JSON.stringify(subject.parameters)} is recorded as done`,
      duration_ms: elapsed(),
    };
  }
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'error',
    });
    const text = await response.text();
    return {
      ok: response.ok,
      http_status: response.status,
      output_excerpt: text.slice(0, OUTPUT_EXCERPT_CHARS),
      duration_ms: elapsed(),
    };
  } catch (error) {
    const reason =
      (error as Error).name === 'TimeoutError' ? `no answer within ${request.timeoutMs} ms` : (error as Error).message;
    return {
      ok: false,
      http_status: null,
      output_excerpt: `${request.method} ${request.url} failed: ${reason}`,
      duration_ms: elapsed(),
    };
  }
}
