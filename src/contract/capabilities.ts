/**
 * What Grafana's RBAC proves about a request, and what each API call needs.
 *
 * Each proxy route in plugin.json is gated by `reqAction` on one of the plugin's actions and sets
 * `X-Opsdeck-Capability` to that action without the plugin-ID prefix. Grafana checks the signed-in
 * user's permissions before it forwards, and overwrites any header of that name the browser sent, so
 * the header (together with the service token) tells the API which action Grafana granted. The app
 * sends every call through the route of the capability the call needs ({@link capabilityForCall});
 * the API accepts a call only when the header names exactly that capability.
 *
 * Shared by the app (route choice, control gating), the API (authorization) and the tests.
 */
import { z } from 'zod';

import type { Role } from './common';

export const PLUGIN_ID = 'opsdeck-ops-app';

export const Capability = z.enum([
  'incidents:read',
  'incidents:write',
  'approvals:request',
  'approvals:decide',
  'catalog:admin',
]);
export type Capability = z.infer<typeof Capability>;
export const CAPABILITIES = Capability.options;

/** The header a proxy route sets; the API reads it only together with a valid service token. */
export const CAPABILITY_HEADER = 'X-Opsdeck-Capability';

/** The Grafana RBAC action behind a capability, e.g. `opsdeck-ops-app.approvals:decide`. */
export const actionOf = (capability: Capability) => `${PLUGIN_ID}.${capability}`;

/** The plugin.json proxy route (`<path>/*`) that proves a capability. */
export const PROXY_ROUTE: Record<Capability, string> = {
  'incidents:read': 'read',
  'incidents:write': 'write',
  'approvals:request': 'request',
  'approvals:decide': 'decide',
  'catalog:admin': 'admin',
};

/**
 * The least Opsdeck role (catalog/access.yaml's vocabulary) a capability needs in a project. access.yaml
 * narrows: a capability Grafana granted counts in a project only when the user's role there reaches this.
 */
export const CAPABILITY_ROLE: Record<Capability, Role> = {
  'incidents:read': 'viewer',
  'incidents:write': 'operator',
  'approvals:request': 'operator',
  'approvals:decide': 'approver',
  'catalog:admin': 'admin',
};

/**
 * The capabilities of the plugin's shipped RBAC roles (plugin.json `roles`; a test holds the two equal).
 * Reader is granted to Viewer, Operator to Editor, Admin to Admin; Approver to no basic role.
 */
export const SHIPPED_ROLES = {
  Reader: ['incidents:read'],
  Operator: ['incidents:read', 'incidents:write', 'approvals:request'],
  Approver: ['incidents:read', 'incidents:write', 'approvals:request', 'approvals:decide'],
  Admin: ['incidents:read', 'incidents:write', 'approvals:request', 'approvals:decide', 'catalog:admin'],
} as const satisfies Record<string, readonly Capability[]>;

/** Reads only an Opsdeck Admin may make: the audit chain check and a backup of the whole store. */
const ADMIN_READS = ['/api/v1/audit/verify', '/api/v1/admin/backup'];

const WRITE_PATTERNS: Array<[RegExp, Capability]> = [
  [
    /^\/api\/v1\/incidents\/[^/]+\/(transitions|notes|timeline|acknowledge|assign|severity|signal|updates|postmortem)$/,
    'incidents:write',
  ],
  [/^\/api\/v1\/postmortems\/action-items\/[^/]+$/, 'incidents:write'],
  [/^\/api\/v1\/incidents\/[^/]+\/recommendations\/overrides$/, 'approvals:request'],
  [/^\/api\/v1\/approvals$/, 'approvals:request'],
  [/^\/api\/v1\/approvals\/[^/]+\/feedback$/, 'approvals:request'],
  [/^\/api\/v1\/approvals\/[^/]+\/decision$/, 'approvals:decide'],
  [/^\/api\/v1\/admin\/catalog\/reload$/, 'catalog:admin'],
];

/**
 * The capability an API call needs: reads need `incidents:read` (the audit chain check and the
 * backup need `catalog:admin`), each write its own. Unknown writes fall to `catalog:admin`, the narrowest route.
 * The authorization matrix test holds this table equal to what every API route declares.
 */
export function capabilityForCall(method: string, path: string): Capability {
  const bare = path.split('?')[0];
  if (method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD') {
    return ADMIN_READS.includes(bare) ? 'catalog:admin' : 'incidents:read';
  }
  return WRITE_PATTERNS.find(([pattern]) => pattern.test(bare))?.[1] ?? 'catalog:admin';
}

/**
 * Parses the header: one capability from a Grafana route; a caller holding the service token (a script,
 * a test) may list several, comma-separated. Null when absent; throws on an unknown name.
 */
export function parseCapabilityHeader(value: string | undefined): Capability[] | null {
  if (value === undefined || value.trim() === '') {
    return null;
  }
  return value.split(',').map((part) => Capability.parse(part.trim()));
}
