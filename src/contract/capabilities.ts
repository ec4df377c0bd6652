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
import { Capability } from './capability-names';
import type { Role } from './common';
import { ENDPOINTS, pathPattern, type Endpoint } from './endpoints';

export const PLUGIN_ID = 'opsdeck-ops-app';

export { Capability, CAPABILITIES } from './capability-names';

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

/** Each endpoint that needs a capability, with its path as a pattern (built once). */
const CALLS = ENDPOINTS.flatMap((endpoint: Endpoint) =>
  'capability' in endpoint.auth
    ? [{ method: endpoint.method, pattern: pathPattern(endpoint.path), capability: endpoint.auth.capability }]
    : []
);

/**
 * The capability an API call needs, read from the endpoints table (src/contract/endpoints.ts), so a
 * route's capability is written once. A call the table does not know: a read needs `incidents:read`, a
 * write falls to `catalog:admin`, the narrowest route. The authorization matrix test holds the table
 * equal to what every API route declares.
 */
export function capabilityForCall(method: string, path: string): Capability {
  const bare = path.split('?')[0];
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const known = CALLS.find((call) => call.method === verb && call.pattern.test(bare));
  if (known) {
    return known.capability;
  }
  return verb === 'GET' ? 'incidents:read' : 'catalog:admin';
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
