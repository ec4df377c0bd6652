/**
 * Shared fakes for @grafana/runtime in the plugin unit tests: a backendSrv whose `fetch` answers from
 * routes the test declares (and records every call), the signed-in user's Grafana permissions (what
 * `hasPermission` answers: by default the Opsdeck role granted to their basic role), and a PluginPage that renders its header actions and children like Grafana's does.
 *
 * Use in a test file:  jest.mock('@grafana/runtime', () => jest.requireActual('../test/fakeRuntime').runtimeMock());
 * (jest's resetMocks would clear jest.fn implementations, so these fakes are plain functions.)
 */
import React from 'react';
import { Observable } from 'rxjs';

import { actionOf, SHIPPED_ROLES } from '../../contract/capabilities';
import type { ErrorEnvelope } from '../../contract/common';

export interface RecordedCall {
  method: string;
  /** The plugin.json proxy route the call went through (`read`, `write`, `request`, `decide`, `admin`). */
  route: string;
  path: string;
  params: Record<string, unknown>;
  body: unknown;
  headers: Record<string, string>;
  routeParams: Record<string, string>;
}

interface Failure {
  failure: true;
  status: number;
  data: unknown;
}
type Reply = unknown;
/** A fixed answer (a body, or apiError/proxyError), or a function of the call. */
type Handler = ((call: RecordedCall) => Reply | Promise<Reply>) | object | string | number | boolean | null;

/** An API error envelope as the companion API sends it. */
export function apiError(status: number, code: string, message: string, correlationId = 'req-test-0001'): Failure {
  const envelope: ErrorEnvelope = { code, message, correlation_id: correlationId, details: {} };
  return { failure: true, status, data: envelope };
}

/** A failure that did not come from the API (Grafana's proxy, or the network). */
export function proxyError(status: number, data: unknown = { message: 'Bad Gateway' }): Failure {
  return { failure: true, status, data };
}

const isFailure = (value: unknown): value is Failure =>
  typeof value === 'object' && value !== null && (value as Failure).failure === true;

class FakeApi {
  calls: RecordedCall[] = [];
  private routes: Array<{ method: string; pattern: RegExp; names: string[]; handler: Handler }> = [];

  /** `on('GET /api/v1/incidents/:id', reply)`; later declarations win over earlier ones. */
  on(route: string, handler: Handler): this {
    const [method, path] = route.split(' ');
    const names: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`
    );
    this.routes.unshift({ method, pattern, names, handler });
    return this;
  }

  reset() {
    this.calls = [];
    this.routes = [];
  }

  callsTo(method: string, path: string | RegExp): RecordedCall[] {
    return this.calls.filter(
      (call) => call.method === method && (typeof path === 'string' ? call.path === path : path.test(call.path))
    );
  }

  async answer(call: Omit<RecordedCall, 'routeParams'>): Promise<{ status: number; data: unknown }> {
    for (const route of this.routes) {
      const match = route.method === call.method ? route.pattern.exec(call.path) : null;
      if (match) {
        const routeParams = Object.fromEntries(
          route.names.map((name, index) => [name, decodeURIComponent(match[index + 1])])
        );
        const recorded = { ...call, routeParams };
        this.calls.push(recorded);
        const reply = typeof route.handler === 'function' ? await route.handler(recorded) : route.handler;
        if (isFailure(reply)) {
          return { status: reply.status, data: reply.data };
        }
        return { status: 200, data: reply };
      }
    }
    this.calls.push({ ...call, routeParams: {} });
    const notFound = apiError(404, 'not_found', `no fake route for ${call.method} ${call.path}`);
    return { status: notFound.status, data: notFound.data };
  }
}

export const fakeApi = new FakeApi();

export const fakeConfig = {
  bootData: { user: { orgRole: 'Admin', login: 'alice', isSignedIn: true } },
  appSubUrl: '',
  buildInfo: { version: '12.3.0' },
};

type ShippedRole = keyof typeof SHIPPED_ROLES;
/** The plugin.json grants: Reader → Viewer, Operator → Editor, Admin → Admin (Approver: nobody). */
const BASIC_ROLE_GRANT: Record<'Viewer' | 'Editor' | 'Admin', ShippedRole> = {
  Viewer: 'Reader',
  Editor: 'Operator',
  Admin: 'Admin',
};
const granted = new Set<string>();

/** Grants the Opsdeck roles (their actions) to the signed-in user, as a Grafana admin would. */
export function grantRoles(...roles: ShippedRole[]) {
  for (const role of roles) {
    SHIPPED_ROLES[role].forEach((capability) => granted.add(actionOf(capability)));
  }
}

/** Sets the basic role and, with it, only the Opsdeck role the basic role is granted by default. */
export function setOrgRole(role: 'Viewer' | 'Editor' | 'Admin') {
  fakeConfig.bootData.user.orgRole = role;
  granted.clear();
  grantRoles(BASIC_ROLE_GRANT[role]);
}

/** What @grafana/runtime's hasPermission answers for the signed-in user. */
export const fakeHasPermission = (action: string) => granted.has(action);

const PROXY = /^\/api\/plugin-proxy\/opsdeck-ops-app\/(read|write|request|decide|admin)(\/.*)$/;

interface FetchOptions {
  url: string;
  method?: string;
  params?: Record<string, unknown>;
  data?: unknown;
  headers?: Record<string, string>;
}

function fakeFetch(options: FetchOptions) {
  return new Observable((subscriber) => {
    const method = (options.method ?? 'GET').toUpperCase();
    const match = PROXY.exec(options.url);
    const answer = match
      ? fakeApi.answer({
          method,
          route: match[1],
          path: match[2],
          params: options.params ?? {},
          body: options.data,
          headers: options.headers ?? {},
        })
      : Promise.resolve({ status: 404, data: { message: `not a plugin proxy URL: ${options.url}` } });
    answer.then(({ status, data }) => {
      if (status >= 400) {
        subscriber.error({ status, data, statusText: '', config: options });
      } else {
        subscriber.next({
          status,
          data,
          ok: true,
          headers: new Headers(),
          redirected: false,
          statusText: 'OK',
          type: 'basic',
          url: options.url,
          config: options,
        });
        subscriber.complete();
      }
    });
  });
}

export const fakeBackendSrv = { fetch: fakeFetch };

/** What Grafana's page chrome shows: the title (pageNav), the header actions, then the page. */
export function FakePluginPage({
  children,
  actions,
  pageNav,
  subTitle,
}: {
  children: React.ReactNode;
  actions?: React.ReactNode;
  pageNav?: { text: string };
  subTitle?: React.ReactNode;
}) {
  return (
    <div>
      <header>
        {pageNav && <h1>{pageNav.text}</h1>}
        {subTitle && <div>{subTitle}</div>}
        <div>{actions}</div>
      </header>
      <main>{children}</main>
    </div>
  );
}

export function runtimeMock() {
  const actual = jest.requireActual('@grafana/runtime');
  return {
    ...actual,
    config: fakeConfig,
    getBackendSrv: () => fakeBackendSrv,
    hasPermission: fakeHasPermission,
    PluginPage: FakePluginPage,
  };
}

export function resetFakes() {
  fakeApi.reset();
  setOrgRole('Admin');
  window.localStorage.clear();
  window.sessionStorage.clear();
}
