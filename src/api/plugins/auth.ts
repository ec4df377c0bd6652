/**
 * Who is calling, and may they?
 *
 * Requests reach the API through Grafana's plugin proxy, which injects the service token
 * (`Authorization: Bearer`, from the app's secureJsonData), Grafana's user identity headers
 * (`X-Grafana-User`, `X-Grafana-Org-Id`) and, per proxy route, `X-Opsdeck-Grafana-Role` (the route's
 * `reqRole` guarantees the user has at least that Grafana role). Identity headers are trusted only
 * together with a valid token; a call without one is 401 `unauthenticated`.
 *
 * Each route states what it needs in `config.auth`; routes under /api/ default to `viewer`. The role
 * comes from the Grafana role and catalog/access.yaml (src/api/access/resolve.ts). The order of
 * refusals is fixed: 401 no token → 400 X-Project-ID missing/invalid on a project-scoped route →
 * 403 not a member of the project (or `*` without a global grant) → 403 role too low.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';

import type { AccessFile } from '../../contract/access';
import type { Role } from '../../contract/common';
import {
  baseRole,
  globalRole,
  GRAFANA_ROLE_MAP,
  hasRole,
  resolveScope,
  unscopedRole,
  type GrafanaRole,
} from '../access/resolve';
import type { AuditContext } from '../audit/append';
import { ApiError } from '../errors';

export { hasRole, ROLE_RANK } from '../access/resolve';

export type RouteAuth =
  /** Operational endpoints: /healthz, /readyz, /metrics, /openapi.json. */
  | { public: true }
  /** Alert intake: the webhook token, as Bearer or as the Basic-auth password. */
  | { webhook: true }
  /**
   * Everything else: the service token plus at least `role`. `projectScoped: true` requires X-Project-ID;
   * `'optional'` lets a caller who may see every project leave it out (the scope is then `*`), and asks
   * everyone else for it (400): a route that reads across projects must never default to all of them.
   */
  | { role: Role; projectScoped?: boolean | 'optional' };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    identity: Identity;
  }
  interface FastifyInstance {
    /** Every route with the auth it declared, in registration order (the authorization matrix test walks it). */
    authRoutes(): RegisteredRoute[];
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  auth: RouteAuth;
}

export interface Identity {
  /** Grafana login (X-Grafana-User), or `service` for a token-only call, or `webhook:<sender>`. */
  user: string;
  orgId: string | null;
  /** Effective Opsdeck role for this request: in the requested project, or globally when none was asked for. */
  role: Role;
  /** Grafana org role asserted by the proxy route, when present. */
  grafanaRole: 'Viewer' | 'Editor' | 'Admin' | null;
  /** Tenant/project of the request (from X-Project-ID, `tenant/project` or `project`; the tenant resolved from access.yaml when unambiguous). */
  tenant: string | null;
  project: string | null;
  /** What the request may see: one project, or every project (`X-Project-ID: *`, needs a global grant). */
  scope: RequestScope | null;
  authenticated: 'token' | 'webhook' | 'dev-insecure' | 'none';
  /** The service token alone, without Grafana's identity headers (see serviceTokenIdentity). */
  service?: true;
}

/** The name a token-only call acts under, in the audit log and on /api/v1/me. */
export const SERVICE_TOKEN_USER = 'service-token';

/**
 * A call with the service token and none of Grafana's identity headers (X-Grafana-User,
 * X-Opsdeck-Grafana-Role) comes from a terminal or a script, not through Grafana's proxy (which always
 * sets the role header per route). It acts as `service-token`: viewer in every project, X-Project-ID
 * optional (default `*`), so that `curl -H "Authorization: Bearer $TOKEN" …/api/v1/incidents` answers.
 * It never writes: holding the token already allows anything through Grafana's headers, but a write
 * must name who acts, so it is refused with the way to do so. Returns null for every other call.
 */
function serviceTokenIdentity(request: FastifyRequest, tokenOk: boolean, auth: { role: Role }): Identity | null {
  if (!tokenOk || headerOf(request, 'x-grafana-user') !== undefined) {
    return null;
  }
  if (headerOf(request, 'x-opsdeck-grafana-role') !== undefined) {
    return null;
  }
  const requested = parseProjectHeader(headerOf(request, 'x-project-id'));
  const scope: RequestScope = requested ?? { kind: 'all' };
  if (!hasRole('viewer', auth.role)) {
    throw new ApiError(
      403,
      'insufficient_permissions',
      `the service token alone (${SERVICE_TOKEN_USER}) only reads; to act, send X-Grafana-User and ` +
        `X-Opsdeck-Grafana-Role (what Grafana's proxy sends) or use the Opsdeck app in Grafana`,
      { required_role: auth.role, role: 'viewer' }
    );
  }
  return {
    user: SERVICE_TOKEN_USER,
    orgId: null,
    role: 'viewer',
    grafanaRole: null,
    tenant: scope.kind === 'project' ? scope.tenant : null,
    project: scope.kind === 'project' ? scope.project : null,
    scope,
    authenticated: 'token',
    service: true,
  };
}

/**
 * Replaces the access.yaml resolution (tests of other concerns may pin roles). Returns the role the
 * identity has in the requested scope, or null when the user is not a member of that project.
 */
export type RoleResolver = (identity: Identity) => Role | null;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison that does not leak the secret's length. */
export function secretMatches(presented: string | undefined, secret: string | null): boolean {
  if (!presented || !secret) {
    return false;
  }
  return timingSafeEqual(digest(presented), digest(secret));
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The credential of an Authorization header: a Bearer token, or the password of Basic auth. */
export function presentedSecret(authorization: string | undefined): string | undefined {
  if (!authorization) {
    return undefined;
  }
  const [scheme, ...rest] = authorization.trim().split(/\s+/);
  const value = rest.join(' ');
  if (/^bearer$/i.test(scheme)) {
    return value;
  }
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

const PROJECT_ID_PATTERN = /^(?:([A-Za-z0-9_-]{1,64})\/)?([A-Za-z0-9_-]{1,64})$/;

export type RequestScope = { kind: 'all' } | { kind: 'project'; tenant: string | null; project: string };

/**
 * X-Project-ID is `project`, `tenant/project`, or `*` (every project the caller may see; only for
 * global grants); anything else is 400 invalid_request.
 */
export function parseProjectHeader(value: string | undefined): RequestScope | null {
  if (value === undefined) {
    return null;
  }
  if (value.trim() === '*') {
    return { kind: 'all' };
  }
  const match = PROJECT_ID_PATTERN.exec(value.trim());
  if (!match) {
    throw new ApiError(
      400,
      'invalid_request',
      'X-Project-ID must be `project`, `tenant/project` or `*` (letters, digits, - and _)',
      {
        header: 'X-Project-ID',
      }
    );
  }
  return { kind: 'project', tenant: match[1] ?? null, project: match[2] };
}

export interface AuthOptions {
  apiToken: string | null;
  webhookToken: string | null;
  devInsecure: boolean;
  /** The current catalog/access.yaml (null: single-tenant). Read per request, so a reload applies at once. */
  access?: () => AccessFile | null;
  resolveRole?: RoleResolver;
}

const GRAFANA_ROLES = Object.keys(GRAFANA_ROLE_MAP) as GrafanaRole[];
const isGrafanaRole = (value: string | undefined): value is GrafanaRole => GRAFANA_ROLES.includes(value as GrafanaRole);

export function registerAuth(app: FastifyInstance, options: AuthOptions) {
  app.decorateRequest('identity', null as unknown as Identity);

  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const auth: RouteAuth = route.config?.auth ?? { role: 'viewer' };
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      routes.push({ method, url: route.url, auth });
    }
  });
  app.decorate('authRoutes', () => routes.map((route) => ({ ...route })));

  app.addHook('onRequest', async (request) => {
    const auth: RouteAuth =
      request.routeOptions.config?.auth ?? (request.routeOptions.url ? { role: 'viewer' } : { public: true });
    const anonymous: Identity = {
      user: 'anonymous',
      orgId: null,
      role: 'viewer',
      grafanaRole: null,
      tenant: null,
      project: null,
      scope: null,
      authenticated: 'none',
    };
    request.identity = anonymous;
    if ('public' in auth) {
      return;
    }
    const presented = presentedSecret(headerOf(request, 'authorization'));

    if ('webhook' in auth) {
      if (!options.devInsecure && !secretMatches(presented, options.webhookToken)) {
        throw new ApiError(
          401,
          'unauthenticated',
          'a valid webhook token is required (Bearer, or Basic auth password)',
          {},
          {
            'www-authenticate': 'Bearer realm="opsdeck-webhooks"',
          }
        );
      }
      request.identity = {
        ...anonymous,
        user: 'webhook',
        role: 'operator',
        authenticated: options.devInsecure ? 'dev-insecure' : 'webhook',
      };
      return;
    }

    const tokenOk = secretMatches(presented, options.apiToken);
    if (!tokenOk && !options.devInsecure) {
      throw new ApiError(
        401,
        'unauthenticated',
        'a valid service token is required (Authorization: Bearer)',
        {},
        {
          'www-authenticate': 'Bearer realm="opsdeck"',
        }
      );
    }
    const service = serviceTokenIdentity(request, tokenOk, auth);
    if (service) {
      request.identity = service;
      return;
    }
    const grafanaRoleHeader = headerOf(request, 'x-opsdeck-grafana-role');
    const grafanaRole = isGrafanaRole(grafanaRoleHeader) ? grafanaRoleHeader : null;
    const user = headerOf(request, 'x-grafana-user')?.trim() || 'service';
    const requested = parseProjectHeader(headerOf(request, 'x-project-id'));
    if (auth.projectScoped === true && !requested) {
      throw new ApiError(400, 'invalid_request', 'X-Project-ID header is required for this route', {
        header: 'X-Project-ID',
      });
    }
    const access = options.access?.() ?? null;
    const subject = { user, grafanaRole };
    let role: Role | null = unscopedRole(access, subject);
    let scope: RequestScope | null = requested;
    if (auth.projectScoped === 'optional' && !requested) {
      const everywhere = options.resolveRole ? role : globalRole(access, subject);
      if (everywhere === null) {
        throw new ApiError(
          400,
          'invalid_request',
          `X-Project-ID header is required: ${user} is a member of named projects, not of all`,
          {
            header: 'X-Project-ID',
          }
        );
      }
      role = everywhere;
      scope = { kind: 'all' };
    }
    if (requested) {
      const resolved = resolveScope(access, subject, requested);
      if (!resolved.ok && resolved.reason === 'ambiguous') {
        throw new ApiError(
          400,
          'invalid_request',
          `project ${requested.kind === 'project' ? requested.project : '*'} exists in several tenants; send X-Project-ID: tenant/project`,
          {
            header: 'X-Project-ID',
            tenants: resolved.tenants,
          }
        );
      }
      role = resolved.ok ? resolved.role : null;
      if (resolved.ok && requested.kind === 'project') {
        scope = { kind: 'project', tenant: resolved.tenant, project: requested.project };
      }
    }
    const identity: Identity = {
      user,
      orgId: headerOf(request, 'x-grafana-org-id') ?? null,
      role: role ?? baseRole(subject),
      grafanaRole,
      tenant: scope?.kind === 'project' ? scope.tenant : null,
      project: scope?.kind === 'project' ? scope.project : null,
      scope,
      authenticated: tokenOk ? 'token' : 'dev-insecure',
    };
    const effective = options.resolveRole ? options.resolveRole(identity) : role;
    if (effective === null) {
      const where =
        requested?.kind === 'project'
          ? `project ${requested.project}`
          : 'every project (*), which needs a global grant';
      throw new ApiError(403, 'insufficient_permissions', `user ${user} has no access to ${where}`, {
        project: requested?.kind === 'project' ? requested.project : '*',
      });
    }
    identity.role = effective;
    request.identity = identity;
    if (!hasRole(effective, auth.role)) {
      throw new ApiError(
        403,
        'insufficient_permissions',
        `this action needs the ${auth.role} role; ${user} has ${effective}`,
        {
          required_role: auth.role,
          role: effective,
        }
      );
    }
  });
}

/** The audit context of a request: who, in which scope, from where, under which correlation ID. */
export function auditContextOf(request: FastifyRequest): AuditContext {
  return {
    actor: request.identity.user,
    role: request.identity.role,
    tenant: request.identity.tenant,
    project: request.identity.project,
    correlation_id: request.id,
    source_ip: request.ip ?? null,
  };
}
