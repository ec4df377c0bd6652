// Pure rules about who may do what in the UI. Grafana and the API decide; these only explain disabled
// controls early. What a user may do comes from their Grafana permissions on the plugin's actions
// (granted by the Opsdeck roles); where, from catalog/access.yaml through GET /api/v1/me.
import type { Me } from '../../contract/access';
import { actionOf, CAPABILITIES, type Capability } from '../../contract/capabilities';
import type { Role } from '../../contract/common';
import { ALL_PROJECTS } from '../constants';

/** Which of the plugin's actions Grafana grants the signed-in user. */
export type Granted = Record<Capability, boolean>;

/** Reads the user's permissions with Grafana's own check (`hasPermission` from @grafana/runtime). */
export function grantedBy(hasPermission: (action: string) => boolean): Granted {
  return Object.fromEntries(CAPABILITIES.map((c) => [c, hasPermission(actionOf(c))])) as Granted;
}

/** The Opsdeck role in Grafana that carries a capability, to name in a refusal. */
const ROLE_NAME: Record<Capability, string> = {
  'incidents:read': 'Opsdeck Reader',
  'incidents:write': 'Opsdeck Operator',
  'approvals:request': 'Opsdeck Operator',
  'approvals:decide': 'Opsdeck Approver',
  'catalog:admin': 'Opsdeck Admin',
};

/** Why Grafana will refuse a capability: the permission and the role that grants it. */
export const notGrantedReason = (capability: Capability, doing: string) =>
  `${doing} needs the Grafana permission ${actionOf(capability)}, which the ${ROLE_NAME[capability]} role grants; your Grafana roles do not include it. A Grafana admin can grant it.`;

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
export function incidentWriteBlocker(granted: Granted, role: Role | null): string | null {
  if (!granted['incidents:write']) {
    return notGrantedReason('incidents:write', 'Changing incidents');
  }
  if (role !== null && !atLeast(role, 'operator')) {
    return `Changing incidents here needs the operator role in catalog/access.yaml; you are ${role} in this project.`;
  }
  return null;
}

/** Why the user cannot decide remediation requests at all (Grafana's part), or null. */
export function decideBlocker(granted: Granted): string | null {
  return granted['approvals:decide'] ? null : notGrantedReason('approvals:decide', 'Deciding remediation requests');
}
