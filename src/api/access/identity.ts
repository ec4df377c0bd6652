/**
 * Who is calling and where they act: the types every layer passes around. The auth plugin
 * (plugins/auth.ts) builds them from a request; domain code takes them as plain values and never
 * sees Fastify (src/api/README.md).
 */
import type { Capability } from '../../contract/capabilities';
import type { Role } from '../../contract/common';

/** What a request may see: one project (and its tenant when known), or every project (`X-Project-ID: *`). */
export type RequestScope = { kind: 'all' } | { kind: 'project'; tenant: string | null; project: string };

/** The name a token-only call acts under, in the audit log and on /api/v1/me. */
export const SERVICE_TOKEN_USER = 'service-token';

export interface Identity {
  /** Grafana login (X-Grafana-User), or `service` for a token-only call, or `webhook:<sender>`. */
  user: string;
  orgId: string | null;
  /** The role this request acts with: the role of the route's capability (what the audit row records). */
  role: Role;
  /** The capabilities the proxy route proved (one from Grafana; a token-holding script may send several). */
  capabilities: Capability[];
  /**
   * The access.yaml role where the request acts: in the requested project, or everywhere (null when the
   * user has no global binding). `admin` without access.yaml: nothing is narrowed.
   */
  scopeRole: Role | null;
  /** Tenant/project of the request (from X-Project-ID, `tenant/project` or `project`; the tenant resolved from access.yaml when unambiguous). */
  tenant: string | null;
  project: string | null;
  /** What the request may see: one project, or every project (`X-Project-ID: *`, needs a global grant). */
  scope: RequestScope | null;
  authenticated: 'token' | 'webhook' | 'dev-insecure' | 'none';
  /** The service token alone, without Grafana's identity headers (see plugins/auth.ts serviceTokenIdentity). */
  service?: true;
}

/** Who did it, from where: what an audit row records about the actor (plugins/auth.ts auditContextOf). */
export interface AuditContext {
  actor: string;
  role: string;
  tenant: string | null;
  project: string | null;
  correlation_id: string;
  source_ip: string | null;
}
