import { lastValueFrom } from 'rxjs';
import { config, getBackendSrv } from '@grafana/runtime';

import { PLUGIN_PROXY_BASE } from '../constants';
import { toOpsApiError } from './errors';

/** The plugin.json route a call goes through: the Grafana org role decides which one the proxy lets us use. */
export type ProxyPrefix = 'viewer' | 'editor' | 'admin';

/** Viewer → `viewer/*` (GET only), Editor → `editor/*`, Admin → `admin/*`; anything else reads as a viewer. */
export function proxyPrefixFor(orgRole: string | undefined | null): ProxyPrefix {
  switch (orgRole) {
    case 'Admin':
      return 'admin';
    case 'Editor':
      return 'editor';
    default:
      return 'viewer';
  }
}

/** The signed-in user's route prefix, read from Grafana's boot data. */
export function currentProxyPrefix(): ProxyPrefix {
  return proxyPrefixFor(config.bootData?.user?.orgRole);
}

export type QueryParams = Record<string, string | number | boolean | undefined | null>;

export interface ApiCall {
  method?: 'GET' | 'POST' | 'PUT';
  /** Path under the API root, e.g. `/api/v1/incidents` or `/readyz`. */
  path: string;
  params?: QueryParams;
  body?: unknown;
  /** Sent as X-Project-ID: a project id, `tenant/project`, or `*`. */
  projectId?: string | null;
  prefix?: ProxyPrefix;
}

export function proxyUrl(prefix: ProxyPrefix, path: string): string {
  return `${PLUGIN_PROXY_BASE}/${prefix}${path.startsWith('/') ? path : `/${path}`}`;
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
        url: proxyUrl(call.prefix ?? currentProxyPrefix(), call.path),
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
