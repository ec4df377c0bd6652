import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';

import type { z } from 'zod';

import { capabilityForCall, PROXY_ROUTE, type Capability } from '../../contract/capabilities';
import { buildPath, type Endpoint, type PathParams } from '../../contract/endpoints';

import { PLUGIN_PROXY_BASE } from '../constants';
import { toOpsApiError } from './errors';

export type QueryParams = Record<string, string | number | boolean | undefined | null>;

export interface ApiCall {
  method?: 'GET' | 'POST' | 'PUT';
  /** Path under the API root, e.g. `/api/v1/incidents` or `/readyz`. */
  path: string;
  params?: QueryParams;
  body?: unknown;
  /** Sent as X-Project-ID: a project id, `tenant/project`, or `*`. */
  projectId?: string | null;
  /** The proxy route to go through; by default the one of the capability the call needs. */
  capability?: Capability;
}

/**
 * The plugin.json route of a capability: Grafana lets the call through only when the signed-in user
 * has the route's `reqAction`, and tells the API which capability that proved.
 */
export function proxyUrl(capability: Capability, path: string): string {
  return `${PLUGIN_PROXY_BASE}/${PROXY_ROUTE[capability]}${path.startsWith('/') ? path : `/${path}`}`;
}

function cleanParams(params: QueryParams | undefined): Record<string, string | number | boolean> | undefined {
  if (!params) {
    return undefined;
  }
  const entries = Object.entries(params).filter(
    (entry): entry is [string, string | number | boolean] =>
      entry[1] !== undefined && entry[1] !== null && entry[1] !== ''
  );
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/**
 * One call to the companion API through Grafana's plugin proxy. Resolves with the body; rejects with an
 * OpsApiError carrying the envelope's message and correlation ID. Grafana's own error toasts are off:
 * every page shows errors in place.
 */
export async function callApi<T>(call: ApiCall): Promise<T> {
  const headers: Record<string, string> = {};
  if (call.projectId) {
    headers['X-Project-ID'] = call.projectId;
  }
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        url: proxyUrl(call.capability ?? capabilityForCall(call.method ?? 'GET', call.path), call.path),
        method: call.method ?? 'GET',
        params: cleanParams(call.params),
        data: call.body,
        headers,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    return response.data;
  } catch (thrown) {
    throw toOpsApiError(thrown);
  }
}

/** The JSON answer an endpoint of the contract declares (its 200, else its 201 schema). */
export type AnswerOf<E extends Endpoint> = E['responses'] extends { 200: infer S extends z.ZodType }
  ? z.infer<S>
  : E['responses'] extends { 201: infer S extends z.ZodType }
    ? z.infer<S>
    : unknown;

export interface EndpointCall {
  params?: QueryParams;
  body?: unknown;
  projectId?: string | null;
  /** The proxy route to go through, when not the one of the endpoint's capability (see ApiCall). */
  capability?: Capability;
}

/**
 * A call to one endpoint of src/contract/endpoints.ts: the method and path come from the contract (so
 * the app never writes a path), `:params` are filled and encoded by `buildPath`, and the answer is typed
 * by the endpoint's response schema.
 */
export function callEndpoint<E extends Endpoint>(
  entry: E,
  pathParams: PathParams<E>,
  call: EndpointCall = {}
): Promise<AnswerOf<E>> {
  return callApi<AnswerOf<E>>({ method: entry.method, path: buildPath(entry, pathParams), ...call });
}
