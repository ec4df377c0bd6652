/**
 * Who is calling, and may they?
 *
 * Requests reach the API through Grafana's plugin proxy, which injects the service token
 * (`Authorization: Bearer`, from the app's secureJsonData), Grafana's user identity header
 * (`X-Grafana-User`, with `send_user_header`) and, per proxy route, `X-Opsdeck-Capability`: the
 * plugin action the route's `reqAction` made Grafana check for the signed-in user (see
 * src/contract/capabilities.ts). Identity and capability headers are trusted only together with a
 * valid token; a call without one is 401 `unauthenticated`. A token-only call without the capability
 * header may read (`incidents:read`), nothing more.
 *
 * Each route states the capability it needs in `config.auth`; routes under /api/ default to
 * `incidents:read`. catalog/access.yaml then narrows it to the projects the user belongs to and the
 * role they have there (src/api/access/resolve.ts). The order of refusals is fixed: 401 no token →
 * 400 capability header or X-Project-ID malformed / missing on a project-scoped route → 403 Grafana
 * did not grant the route's capability → 403 not a member of the project (or `*` without a global
 * binding) → 403 access.yaml role in the project too low for the capability.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';

import type { AccessFile } from '../../contract/access';
import { actionOf, CAPABILITY_ROLE, parseCapabilityHeader, type Capability } from '../../contract/capabilities';
import type { Role } from '../../contract/common';
import { globalRole, hasRole, resolveScope } from '../access/resolve';
import type { Actor, ActorAt } from '../access/actor';
import { SERVICE_TOKEN_USER, type AuditContext, type Identity, type RequestScope } from '../access/identity';
import { ApiError } from '../errors';

export { hasRole, ROLE_RANK } from '../access/resolve';
export { SERVICE_TOKEN_USER, type Identity, type RequestScope } from '../access/identity';

export type RouteAuth =
  /** Operational endpoints: /healthz, /readyz, /metrics, /openapi.json. */
  | { public: true }
  /** Alert intake: the webhook token, as Bearer or as the Basic-auth password. */
  | { webhook: true }
  /**
   * Everything else: the service token plus `capability` proved by Grafana (and, in a project, an
   * access.yaml role that reaches it). `projectScoped: true` requires X-Project-ID;
   * `'optional'` lets a caller who may see every project leave it out (the scope is then `*`), and asks
   * everyone else for it (400): a route that reads across projects must never default to all of them.
   */
  | { capability: Capability; projectScoped?: boolean | 'optional' };

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

/**
 * A call with the service token and none of Grafana's identity headers (X-Grafana-User,
 * X-Opsdeck-Capability) comes from a terminal or a script, not through Grafana's proxy (whose routes
 * always send the capability they proved). It acts as `service-token`: it reads every project,
 * X-Project-ID optional (default `*`), so that `curl -H "Authorization: Bearer $TOKEN" …/api/v1/incidents`
 * answers. It never writes: a write must name who acts and what Grafana granted, so it is refused with
 * the way to do so. Returns null for every other call.
 */
function serviceTokenIdentity(request: FastifyRequest, tokenOk: boolean, auth: RouteAuth): Identity | null {
  if (!tokenOk || 'public' in auth || 'webhook' in auth) {
    return null;
  }
  if (headerOf(request, 'x-grafana-user') !== undefined || headerOf(request, 'x-opsdeck-capability') !== undefined) {
    return null;
  }
  if (auth.capability !== 'incidents:read') {
    throw new ApiError(
      403,
      'insufficient_permissions',
      `the service token alone (${SERVICE_TOKEN_USER}) only reads; to act, send X-Grafana-User and ` +
        `X-Opsdeck-Capability (what Grafana's proxy routes send) or use the Opsdeck app in Grafana`,
      { required_capability: auth.capability, capabilities: READ_ONLY }
    );
  }
  const requested = parseProjectHeader(headerOf(request, 'x-project-id'));
  const scope: RequestScope | null = auth.projectScoped ? (requested ?? { kind: 'all' }) : null;
  return {
    user: SERVICE_TOKEN_USER,
    orgId: null,
    role: 'viewer',
    capabilities: READ_ONLY,
    scopeRole: 'viewer',
    tenant: scope?.kind === 'project' ? scope.tenant : null,
    project: scope?.kind === 'project' ? scope.project : null,
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

const READ_ONLY: Capability[] = ['incidents:read'];

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

const MAX_LOGIN_LENGTH = 256;

const PROJECT_ID_PATTERN = /^(?:([A-Za-z0-9_-]{1,64})\/)?([A-Za-z0-9_-]{1,64})$/;

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

export function registerAuth(app: FastifyInstance, options: AuthOptions) {
  app.decorateRequest('identity', null as unknown as Identity);

  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const auth: RouteAuth = route.config?.auth ?? { capability: 'incidents:read' };
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      routes.push({ method, url: route.url, auth });
    }
  });
  app.decorate('authRoutes', () => routes.map((route) => ({ ...route })));

  // Three steps, in the order the refusals are documented above: authenticate (401), then resolve
  // the caller's scope and authorize in it (400 / 403; authorize → resolveRequestScope → membership).
  app.addHook('onRequest', async (request) => {
    const auth: RouteAuth =
      request.routeOptions.config?.auth ??
      (request.routeOptions.url ? { capability: 'incidents:read' } : { public: true });
    request.identity = anonymousIdentity();
    if ('public' in auth) {
      return;
    }
    const authenticated = authenticate(request, auth, options);
    request.identity =
      authenticated.identity ?? authorize(request, auth as CapabilityAuth, options, authenticated.tokenOk);
  });
}

type CapabilityAuth = Extract<RouteAuth, { capability: Capability }>;

/**
 * Step 1: who presents which secret. The webhook token makes the webhook identity; the service token
 * alone (no Grafana headers) makes the read-only service identity; otherwise the token's validity is
 * handed to authorize. 401 without a valid secret (unless dev-insecure).
 */
function authenticate(
  request: FastifyRequest,
  auth: Exclude<RouteAuth, { public: true }>,
  options: AuthOptions
): { identity: Identity | null; tokenOk: boolean } {
  const presented = presentedSecret(headerOf(request, 'authorization'));
  if ('webhook' in auth) {
    if (!options.devInsecure && !secretMatches(presented, options.webhookToken)) {
      throw new ApiError(
        401,
        'unauthenticated',
        'a valid webhook token is required (Bearer, or Basic auth password)',
        {},
        { 'www-authenticate': 'Bearer realm="opsdeck-webhooks"' }
      );
    }
    const identity: Identity = {
      ...anonymousIdentity(),
      user: 'webhook',
      role: 'operator',
      authenticated: options.devInsecure ? 'dev-insecure' : 'webhook',
    };
    return { identity, tokenOk: false };
  }
  const tokenOk = secretMatches(presented, options.apiToken);
  if (!tokenOk && !options.devInsecure) {
    throw new ApiError(
      401,
      'unauthenticated',
      'a valid service token is required (Authorization: Bearer)',
      {},
      { 'www-authenticate': 'Bearer realm="opsdeck"' }
    );
  }
  return { identity: serviceTokenIdentity(request, tokenOk, auth), tokenOk };
}

function anonymousIdentity(): Identity {
  return {
    user: 'anonymous',
    orgId: null,
    role: 'viewer',
    capabilities: [],
    scopeRole: null,
    tenant: null,
    project: null,
    scope: null,
    authenticated: 'none',
  };
}

/** The capabilities the request carries: the header's, or read-only for a token-only call. 400 when malformed. */
function capabilitiesOf(request: FastifyRequest): Capability[] {
  try {
    return parseCapabilityHeader(headerOf(request, 'x-opsdeck-capability')) ?? READ_ONLY;
  } catch {
    throw new ApiError(400, 'invalid_request', 'X-Opsdeck-Capability names an unknown capability', {
      header: 'X-Opsdeck-Capability',
    });
  }
}

/** The token is valid: check the capability, then the project and the access.yaml role there. */
function authorize(
  request: FastifyRequest,
  auth: { capability: Capability; projectScoped?: boolean | 'optional' },
  options: AuthOptions,
  tokenOk: boolean
): Identity {
  const capabilities = capabilitiesOf(request);
  const user = headerOf(request, 'x-grafana-user')?.trim() || 'service';
  // Logins are short; a header of kilobytes would only overflow the audit log's actor index (a 500).
  if (user.length > MAX_LOGIN_LENGTH) {
    throw new ApiError(400, 'invalid_request', `X-Grafana-User is longer than ${MAX_LOGIN_LENGTH} characters`, {
      header: 'X-Grafana-User',
    });
  }
  const requested = parseProjectHeader(headerOf(request, 'x-project-id'));
  if (auth.projectScoped === true && !requested) {
    throw new ApiError(400, 'invalid_request', 'X-Project-ID header is required for this route', {
      header: 'X-Project-ID',
    });
  }
  if (!capabilities.includes(auth.capability)) {
    throw new ApiError(
      403,
      'insufficient_permissions',
      `this action needs the Grafana permission ${actionOf(auth.capability)} (an Opsdeck role in Grafana that grants it); the request proved ${capabilities.join(', ')}`,
      { required_capability: auth.capability, capabilities }
    );
  }
  const access = options.access?.() ?? null;
  const { scope, scopeRole } = resolveRequestScope(access, user, auth, requested);
  const identity: Identity = {
    user,
    orgId: headerOf(request, 'x-grafana-org-id') ?? null,
    role: CAPABILITY_ROLE[auth.capability],
    capabilities,
    scopeRole,
    tenant: scope?.kind === 'project' ? scope.tenant : null,
    project: scope?.kind === 'project' ? scope.project : null,
    scope,
    authenticated: tokenOk ? 'token' : 'dev-insecure',
  };
  identity.scopeRole = options.resolveRole ? options.resolveRole(identity) : scopeRole;
  if (scope !== null) {
    assertMayActIn(identity, auth.capability, requested);
  }
  // Without a scope (catalog, /me, SLOs, reload, audit verify) Grafana's grant alone decides.
  return identity;
}

/** Step 3, in a project (or `*`): the caller is a member there, with an access.yaml role that reaches the capability. */
function assertMayActIn(identity: Identity, capability: Capability, requested: RequestScope | null) {
  const { user, scopeRole: effective } = identity;
  if (effective === null) {
    const where =
      requested?.kind === 'project'
        ? `project ${requested.project}`
        : 'every project (*), which needs a global binding';
    throw new ApiError(
      403,
      'insufficient_permissions',
      `user ${user} has no access to ${where} in catalog/access.yaml`,
      {
        project: requested?.kind === 'project' ? requested.project : '*',
      }
    );
  }
  const needed = CAPABILITY_ROLE[capability];
  if (!hasRole(effective, needed)) {
    throw new ApiError(
      403,
      'insufficient_permissions',
      `catalog/access.yaml makes ${user} ${effective} in this project; ${capability} needs ${needed}`,
      { required_role: needed, role: effective }
    );
  }
}

/** X-Project-ID resolved against access.yaml: the scope and the user's role in it (null: not a member). */
function resolveRequestScope(
  access: AccessFile | null,
  user: string,
  auth: { projectScoped?: boolean | 'optional' },
  requested: RequestScope | null
): { scope: RequestScope | null; scopeRole: Role | null } {
  if (!requested) {
    const everywhere = globalRole(access, user);
    if (auth.projectScoped !== 'optional') {
      return { scope: null, scopeRole: everywhere };
    }
    if (everywhere === null) {
      throw new ApiError(
        400,
        'invalid_request',
        `X-Project-ID header is required: ${user} is a member of named projects, not of all`,
        { header: 'X-Project-ID' }
      );
    }
    return { scope: { kind: 'all' }, scopeRole: everywhere };
  }
  const resolved = resolveScope(access, user, requested);
  if (!resolved.ok && resolved.reason === 'ambiguous') {
    throw new ApiError(
      400,
      'invalid_request',
      `project ${requested.kind === 'project' ? requested.project : '*'} exists in several tenants; send X-Project-ID: tenant/project`,
      { header: 'X-Project-ID', tenants: resolved.tenants }
    );
  }
  if (!resolved.ok) {
    return { scope: requested, scopeRole: null };
  }
  return {
    scope:
      requested.kind === 'project'
        ? { kind: 'project', tenant: resolved.tenant, project: requested.project }
        : requested,
    scopeRole: resolved.role,
  };
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

/** The request's actor, as the domain services take it (access/actor.ts). */
export function actorOf(request: FastifyRequest): Actor {
  const { user, scope, capabilities, scopeRole } = request.identity;
  return { user, scope, capabilities, scopeRole, audit: auditContextOf(request) };
}

/** The request's actor at `now` (the app's clock), for services that stamp rows with the request's time. */
export function actorAt(request: FastifyRequest, now: Date): ActorAt {
  return { ...actorOf(request), now };
}
