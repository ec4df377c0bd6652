// The slice of Grafana's BackendSrv that plugins use: fetch() as an Observable, errors as FetchError.
import { Observable, throwError } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';

function urlOf(options: BackendSrvRequest): string {
  const params = options.params
    ? new URLSearchParams(Object.entries(options.params).map(([key, value]) => [key, String(value)])).toString()
    : '';
  return params ? `${options.url}${options.url.includes('?') ? '&' : '?'}${params}` : options.url;
}

async function send<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: BodyInit | undefined;
  if (options.data !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.data);
  }
  const response = await fetch(urlOf(options), {
    method: options.method ?? 'GET',
    headers,
    body,
    credentials: 'same-origin',
  });
  const text = await response.text();
  let data: unknown = text;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    // Not JSON: keep the text, as Grafana does.
  }
  const result = {
    data: data as T,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    redirected: response.redirected,
    type: response.type,
    url: response.url,
    config: options,
  };
  if (!response.ok) {
    throw { status: response.status, statusText: response.statusText, data, config: options };
  }
  return result;
}

export class HostBackendSrv implements BackendSrv {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable((subscriber) => {
      send<T>(options).then(
        (response) => {
          subscriber.next(response);
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error)
      );
    });
  }

  async request<T>(options: BackendSrvRequest): Promise<T> {
    return (await send<T>(options)).data;
  }

  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return send<T>(options);
  }

  get<T>(url: string, params?: BackendSrvRequest['params']): Promise<T> {
    return this.request<T>({ url, params });
  }

  post<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, method: 'POST', data });
  }

  put<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, method: 'PUT', data });
  }

  patch<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, method: 'PATCH', data });
  }

  delete<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, method: 'DELETE', data });
  }

  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    return throwError(() => new Error('chunked responses are not part of the Opsdeck host'));
  }
}
