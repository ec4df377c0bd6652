/**
 * Who is what where: pure role resolution from the Grafana org role and catalog/access.yaml.
 *
 * - The Grafana org role maps to a base role: Viewer → viewer, Editor → operator, Admin → admin.
 *   `approver` comes only from access.yaml.
 * - A role in a project is the highest of the base role and every binding naming the user (directly
 *   or through a team) globally or in that project. Bindings raise a role, never lower it.
 * - Membership: Grafana Admins and users with a global binding are members of every project (and may
 *   ask for `X-Project-ID: *`); everyone else only of the projects that bind them.
 * - Without access.yaml (null) Opsdeck is single-tenant: everyone is a member of every project with
 *   their base role.
 */
import type { AccessFile } from '../../contract/access';
import type { Role } from '../../contract/common';

export type GrafanaRole = 'Viewer' | 'Editor' | 'Admin';

export const GRAFANA_ROLE_MAP: Record<GrafanaRole, Role> = { Viewer: 'viewer', Editor: 'operator', Admin: 'admin' };

export const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, approver: 3, admin: 4 };
export const hasRole = (actual: Role, needed: Role) => ROLE_RANK[actual] >= ROLE_RANK[needed];

export interface Subject {
  user: string;
  grafanaRole: GrafanaRole | null;
}

type Binding = AccessFile['global'][number];

function highest(roles: Array<Role | null | undefined>): Role | null {
  let best: Role | null = null;
  for (const role of roles) {
    if (role && (best === null || ROLE_RANK[role] > ROLE_RANK[best])) {
      best = role;
    }
  }
  return best;
}

/** The base role from Grafana alone (viewer for a caller that asserted no Grafana role). */
export const baseRole = (subject: Subject): Role =>
  subject.grafanaRole ? GRAFANA_ROLE_MAP[subject.grafanaRole] : 'viewer';

export function teamsOf(access: AccessFile, user: string): string[] {
  return Object.entries(access.teams)
    .filter(([, members]) => members.includes(user))
    .map(([team]) => team);
}

function matchingRoles(bindings: Binding[], user: string, teams: string[]): Role[] {
  return bindings
    .filter((b) => b.users.includes(user) || b.teams.some((team) => teams.includes(team)))
    .map((b) => b.role);
}

/** The role valid in every project, or null when the subject is a member of named projects only. */
export function globalRole(access: AccessFile | null, subject: Subject): Role | null {
  const base = baseRole(subject);
  if (access === null) {
    return base;
  }
  const globalRoles = matchingRoles(access.global, subject.user, teamsOf(access, subject.user));
  if (subject.grafanaRole !== 'Admin' && globalRoles.length === 0) {
    return null;
  }
  return highest([base, ...globalRoles]);
}

/** The role for routes that are not about one project (catalog, /me, admin): base role raised by global bindings. */
export function unscopedRole(access: AccessFile | null, subject: Subject): Role {
  return globalRole(access, subject) ?? baseRole(subject);
}

export function projectRole(access: AccessFile | null, subject: Subject, tenant: string, project: string): Role | null {
  const global = globalRole(access, subject);
  if (access === null) {
    return global;
  }
  const entry = access.projects.find((p) => p.tenant === tenant && p.project === project);
  const local = entry ? matchingRoles(entry.bindings, subject.user, teamsOf(access, subject.user)) : [];
  if (global === null && local.length === 0) {
    return null;
  }
  return highest([global, baseRole(subject), ...local]);
}

/** Every project binding of the subject, with the role it has there (for GET /api/v1/me). */
export function memberships(
  access: AccessFile | null,
  subject: Subject
): Array<{ tenant: string; project: string; role: Role }> {
  if (access === null) {
    return [];
  }
  return access.projects.flatMap((p) => {
    const role = projectRole(access, subject, p.tenant, p.project);
    return role ? [{ tenant: p.tenant, project: p.project, role }] : [];
  });
}

export type ScopeResolution =
  | { ok: true; role: Role; tenant: string | null }
  | { ok: false; reason: 'not_member' }
  | { ok: false; reason: 'ambiguous'; tenants: string[] };

/**
 * Resolves `X-Project-ID`. `*` needs a global role. A bare `project` names the tenant when access.yaml
 * lists that project in exactly one tenant the subject may see; when it lists it in several, the
 * caller must say `tenant/project`.
 */
export function resolveScope(
  access: AccessFile | null,
  subject: Subject,
  scope: { kind: 'all' } | { kind: 'project'; tenant: string | null; project: string }
): ScopeResolution {
  if (scope.kind === 'all') {
    const role = globalRole(access, subject);
    return role ? { ok: true, role, tenant: null } : { ok: false, reason: 'not_member' };
  }
  if (scope.tenant !== null) {
    const role = projectRole(access, subject, scope.tenant, scope.project);
    return role ? { ok: true, role, tenant: scope.tenant } : { ok: false, reason: 'not_member' };
  }
  const global = globalRole(access, subject);
  const listed = (access?.projects ?? []).filter((p) => p.project === scope.project);
  const visible = global ? listed : listed.filter((p) => projectRole(access, subject, p.tenant, p.project) !== null);
  const tenants = [...new Set(visible.map((p) => p.tenant))];
  if (tenants.length > 1) {
    return { ok: false, reason: 'ambiguous', tenants };
  }
  if (tenants.length === 1) {
    const role = projectRole(access, subject, tenants[0], scope.project);
    return role ? { ok: true, role, tenant: tenants[0] } : { ok: false, reason: 'not_member' };
  }
  // Not listed anywhere the subject may see: only a global member may look (its tenant is unknown).
  return global ? { ok: true, role: global, tenant: null } : { ok: false, reason: 'not_member' };
}
