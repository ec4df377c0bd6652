/**
 * Where a user may act: pure resolution of catalog/access.yaml's tenant/project dimension.
 *
 * Grafana's RBAC decides WHAT a user may do (the capability a proxy route proved, see
 * src/contract/capabilities.ts); access.yaml decides WHERE, and can only narrow:
 * - Without access.yaml (null) Opsdeck is single-tenant: every user is a member of every project and
 *   nothing is narrowed (the role resolves to `admin`, i.e. no limit).
 * - With it, a user is a member of a project only when a binding names them (directly or through a
 *   team) in that project or globally; the highest such binding is the most they may do there. A
 *   capability counts in a project only when that role reaches the capability's role
 *   (CAPABILITY_ROLE). `X-Project-ID: *` needs a global binding.
 * - A binding never grants what Grafana did not: an `approver` binding without Grafana's
 *   `approvals:decide` permission decides nothing.
 * - Logins match case-insensitively (after trimming), in bindings and in teams: Grafana logins are
 *   case-insensitive, so `ANA` and `ana` are one person with one set of bindings.
 */
import type { AccessFile } from '../../contract/access';
import type { Role } from '../../contract/common';
import { identityKey, sameIdentity } from './logins';

export const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, approver: 3, admin: 4 };
export const hasRole = (actual: Role, needed: Role) => ROLE_RANK[actual] >= ROLE_RANK[needed];

/** The role that means "not narrowed": what everyone has everywhere without access.yaml. */
export const UNLIMITED: Role = 'admin';

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

export function teamsOf(access: AccessFile, user: string): string[] {
  return Object.entries(access.teams)
    .filter(([, members]) => members.some((member) => sameIdentity(member, user)))
    .map(([team]) => team);
}

function matchingRoles(bindings: Binding[], user: string, teams: string[]): Role[] {
  const key = identityKey(user);
  return bindings
    .filter((b) => b.users.some((login) => identityKey(login) === key) || b.teams.some((team) => teams.includes(team)))
    .map((b) => b.role);
}

/** The role valid in every project, or null when the user is a member of named projects only (or none). */
export function globalRole(access: AccessFile | null, user: string): Role | null {
  if (access === null) {
    return UNLIMITED;
  }
  return highest(matchingRoles(access.global, user, teamsOf(access, user)));
}

/** The user's role in one project (the highest of their global and project bindings), or null: not a member. */
export function projectRole(access: AccessFile | null, user: string, tenant: string, project: string): Role | null {
  if (access === null) {
    return UNLIMITED;
  }
  const entry = access.projects.find((p) => p.tenant === tenant && p.project === project);
  const local = entry ? matchingRoles(entry.bindings, user, teamsOf(access, user)) : [];
  return highest([globalRole(access, user), ...local]);
}

/** Every project binding of the user, with the role they have there (for GET /api/v1/me). */
export function memberships(
  access: AccessFile | null,
  user: string
): Array<{ tenant: string; project: string; role: Role }> {
  if (access === null) {
    return [];
  }
  return access.projects.flatMap((p) => {
    const role = projectRole(access, user, p.tenant, p.project);
    return role ? [{ tenant: p.tenant, project: p.project, role }] : [];
  });
}

export type ScopeResolution =
  | { ok: true; role: Role; tenant: string | null }
  | { ok: false; reason: 'not_member' }
  | { ok: false; reason: 'ambiguous'; tenants: string[] };

/**
 * Resolves `X-Project-ID` to the user's role there. `*` needs a global role. A bare `project` names
 * the tenant when access.yaml lists that project in exactly one tenant the user may see; when it lists
 * it in several, the caller must say `tenant/project`.
 */
export function resolveScope(
  access: AccessFile | null,
  user: string,
  scope: { kind: 'all' } | { kind: 'project'; tenant: string | null; project: string }
): ScopeResolution {
  if (scope.kind === 'all') {
    const role = globalRole(access, user);
    return role ? { ok: true, role, tenant: null } : { ok: false, reason: 'not_member' };
  }
  if (scope.tenant !== null) {
    const role = projectRole(access, user, scope.tenant, scope.project);
    return role ? { ok: true, role, tenant: scope.tenant } : { ok: false, reason: 'not_member' };
  }
  const global = globalRole(access, user);
  const listed = (access?.projects ?? []).filter((p) => p.project === scope.project);
  const visible = global ? listed : listed.filter((p) => projectRole(access, user, p.tenant, p.project) !== null);
  const tenants = [...new Set(visible.map((p) => p.tenant))];
  if (tenants.length > 1) {
    return { ok: false, reason: 'ambiguous', tenants };
  }
  if (tenants.length === 1) {
    const role = projectRole(access, user, tenants[0], scope.project);
    return role ? { ok: true, role, tenant: tenants[0] } : { ok: false, reason: 'not_member' };
  }
  // Not listed anywhere the user may see: only a global member may look (its tenant is unknown).
  return global ? { ok: true, role: global, tenant: null } : { ok: false, reason: 'not_member' };
}
