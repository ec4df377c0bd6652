/**
 * Who is calling, and may they?
 *
 * Requests reach the API through Grafana's plugin proxy, which injects the service token
 * (`Authorization: Bearer`, from the app's secureJsonData), Grafana's user identity headers
 * (`X-Grafana-User`, `X-Grafana-Org-Id`) and, per proxy route, `X-Opsdeck-Grafana-Role` (the route's
 * `reqRole` guarantees the user has at least that Grafana role). Identity headers are trusted only
 * together with a valid token; a call without one is 401 `unauthenticated`.
 *
 * Each route states what it needs in `config.auth`; routes under /api/ default to `viewer`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';

import type { Role } from '../../contract/common';
import type { AuditContext } from '../audit/append';
import { ApiError } from '../errors';

export type RouteAuth =
  /** Operational endpoints: /healthz, /readyz, /metrics, /openapi.json. */
  | { public: true }
  /** Alert intake: the webhook token, as Bearer or as the Basic-auth password. */
  | { webhook: true }
  /** Everything else: the service token plus at least `role`; `projectScoped` requires X-Project-ID. */
  | { role: Role; projectScoped?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    identity: Identity;
  }
}

export interface Identity {
  /** Grafana login (X-Grafana-User), or `service` for a token-only call, or `webhook:<sender>`. */
  user: string;
  orgId: string | null;
  /** Effective Opsdeck role for this request (before per-project grants, see RoleResolver). */
  role: Role;
  /** Grafana org role asserted by the proxy route, when present. */
  grafanaRole: 'Viewer' | 'Editor' | 'Admin' | null;
  /** Tenant/project of a project-scoped request (from X-Project-ID, `tenant/project` or `project`). */
  tenant: string | null;
  project: string | null;
  /** What the request may see: one project, or every project (`X-Project-ID: *`, needs a global grant). */
  scope: RequestScope | null;
  authenticated: 'token' | 'webhook' | 'dev-insecure' | 'none';
}

export const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, approver: 3, admin: 4 };
export const hasRole = (actual: Role, needed: Role) => ROLE_RANK[actual] >= ROLE_RANK[needed];

/** Grafana org role → Opsdeck role. Approver is granted only by catalog/access.yaml. */
const GRAFANA_ROLE_MAP: Record<NonNullable<Identity['grafanaRole']>, Role> = {
  Viewer: 'viewer',
  Editor: 'operator',
  Admin: 'admin',
};

/**
 * Hook for per-user, per-tenant/project grants (catalog/access.yaml). Returns the role the identity has
 * in the requested scope, or null when the user is not a member of that project.
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
    throw new ApiError(400, 'invalid_request', 'X-Project-ID must be `project`, `tenant/project` or `*` (letters, digits, - and _)', {
      header: 'X-Project-ID',
    });
  }
  return { kind: 'project', tenant: match[1] ?? null, project: match[2] };
}

export interface AuthOptions {
  apiToken: string | null;
  webhookToken: string | null;
  devInsecure: boolean;
  resolveRole?: RoleResolver;
}

export function registerAuth(app: FastifyInstance, options: AuthOptions) {
  app.decorateRequest('identity', null as unknown as Identity);

  app.addHook('onRequest', async (request) => {
    const auth: RouteAuth = request.routeOptions.config?.auth ?? (request.routeOptions.url ? { role: 'viewer' } : { public: true });
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
        throw new ApiError(401, 'unauthenticated', 'a valid webhook token is required (Bearer, or Basic auth password)', {}, {
          'www-authenticate': 'Bearer realm="opsdeck-webhooks"',
        });
      }
      request.identity = { ...anonymous, user: 'webhook', role: 'operator', authenticated: options.devInsecure ? 'dev-insecure' : 'webhook' };
      return;
    }

    const tokenOk = secretMatches(presented, options.apiToken);
    if (!tokenOk && !options.devInsecure) {
      throw new ApiError(401, 'unauthenticated', 'a valid service token is required (Authorization: Bearer)', {}, {
        'www-authenticate': 'Bearer realm="opsdeck"',
      });
    }
    const grafanaRoleHeader = headerOf(request, 'x-opsdeck-grafana-role');
    const grafanaRole = grafanaRoleHeader === 'Viewer' || grafanaRoleHeader === 'Editor' || grafanaRoleHeader === 'Admin' ? grafanaRoleHeader : null;
    const user = headerOf(request, 'x-grafana-user')?.trim() || 'service';
    const scope = parseProjectHeader(headerOf(request, 'x-project-id'));
    if (auth.projectScoped && !scope) {
      throw new ApiError(400, 'invalid_request', 'X-Project-ID header is required for this route', { header: 'X-Project-ID' });
    }
    const identity: Identity = {
      user,
      orgId: headerOf(request, 'x-grafana-org-id') ?? null,
      role: grafanaRole ? GRAFANA_ROLE_MAP[grafanaRole] : 'viewer',
      grafanaRole,
      tenant: scope?.kind === 'project' ? scope.tenant : null,
      project: scope?.kind === 'project' ? scope.project : null,
      scope,
      authenticated: tokenOk ? 'token' : 'dev-insecure',
    };
    const effective = options.resolveRole ? options.resolveRole(identity) : identity.role;
    if (effective === null) {
      const where = scope?.kind === 'project' ? `project ${scope.project}` : 'every project (*)';
      throw new ApiError(403, 'insufficient_permissions', `user ${user} has no access to ${where}`, {
        project: scope?.kind === 'project' ? scope.project : '*',
      });
    }
    identity.role = effective;
    request.identity = identity;
    if (!hasRole(effective, auth.role)) {
      throw new ApiError(403, 'insufficient_permissions', `this action needs the ${auth.role} role; ${user} has ${effective}`, {
        required_role: auth.role,
        role: effective,
      });
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
