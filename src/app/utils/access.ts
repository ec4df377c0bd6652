// Pure rules about who may do what in the UI. The API decides; these only explain disabled controls early.
import type { Me } from '../../contract/access';
import type { Role } from '../../contract/common';
import { ALL_PROJECTS } from '../constants';
import type { ProxyPrefix } from '../api/client';

const RANK: Record<Role, number> = { viewer: 1, operator: 2, approver: 3, admin: 4 };

export const projectIdOf = (p: { tenant: string; project: string }) => `${p.tenant}/${p.project}`;

/** The projects the selector offers: `*` first when the user has a global role, then their projects. */
export function projectChoices(me: Me | null): string[] {
  if (!me) {
    return [ALL_PROJECTS];
  }
  const own = me.projects.map(projectIdOf);
  const unique = Array.from(new Set(own)).sort();
  return me.global_role ? [ALL_PROJECTS, ...unique] : unique;
}

/** Picks the remembered project when still allowed, else the first choice. */
export function initialProject(me: Me | null, remembered: string | null): string | null {
  const choices = projectChoices(me);
  if (remembered && choices.includes(remembered)) {
    return remembered;
  }
  return choices[0] ?? null;
}

/** The user's Opsdeck role in a scope: the higher of the global grant and the project's grant. */
export function roleInScope(me: Me | null, projectId: string | null): Role | null {
  if (!me) {
    return null;
  }
  let best: Role | null = me.global_role;
  if (projectId && projectId !== ALL_PROJECTS) {
    for (const grant of me.projects) {
      const matches = projectIdOf(grant) === projectId || grant.project === projectId;
      if (matches && (best === null || RANK[grant.role] > RANK[best])) {
        best = grant.role;
      }
    }
  }
  return best;
}

export const atLeast = (role: Role | null, needed: Role) => role !== null && RANK[role] >= RANK[needed];

/** Why the user cannot change incidents (transitions, notes, checklist ticks), or null when they can. */
export function incidentWriteBlocker(prefix: ProxyPrefix, role: Role | null): string | null {
  if (prefix === 'viewer') {
    return 'Your Grafana role is Viewer: the plugin proxy only lets viewers read.';
  }
  if (role !== null && !atLeast(role, 'operator')) {
    return `Changing incidents needs the operator role; you are ${role} in this project.`;
  }
  return null;
}
