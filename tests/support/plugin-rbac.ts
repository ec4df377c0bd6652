/**
 * The RBAC rule over plugin manifests (tests/build/plugin-rbac.test.ts, and dist.test.ts over dist/):
 * every proxy route is gated by `reqAction` on an action the app declares in its roles, sets the
 * capability header to exactly that action (the browser cannot choose it: Grafana overwrites route
 * headers) and never falls back to `reqRole`; every declared action is used by a route or a page.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { actionOf, PLUGIN_ID, type Capability } from '../../src/contract/capabilities';

const root = path.join(__dirname, '..', '..');

export interface Route {
  path: string;
  method?: string;
  reqRole?: string;
  reqAction?: string;
  headers?: Array<{ name: string; content: string }>;
}
export interface Manifest {
  id: string;
  includes?: Array<{ type: string; action?: string }>;
  routes?: Route[];
  roles?: Array<{ role: { name: string; permissions: Array<{ action: string }> }; grants: string[] }>;
  dependencies: { grafanaDependency: string };
}

export const loadManifest = (file: string): Manifest => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

/** The rule: one message per violation, empty when the manifests hold it. */
export function rbacViolations(app: Manifest, dataSource: Manifest): string[] {
  const declared = new Set(
    (app.roles ?? [])
      .flatMap((r) => r.role.permissions.map((p) => p.action))
      .filter((a) => a.startsWith(`${PLUGIN_ID}.`))
  );
  const used = new Set<string>();
  const violations: string[] = [];
  const routes = [
    ...(app.routes ?? []).map((route) => ({ route, where: `${app.id} route ${route.path}` })),
    ...(dataSource.routes ?? []).map((route) => ({ route, where: `${dataSource.id} route ${route.path}` })),
  ];
  for (const { route, where } of routes) {
    if (!route.reqAction) {
      violations.push(`${where} has no reqAction`);
      continue;
    }
    used.add(route.reqAction);
    if (!declared.has(route.reqAction)) {
      violations.push(`${where} requires ${route.reqAction}, which no role of ${app.id} declares`);
    }
    if (route.reqRole) {
      violations.push(`${where} still has reqRole ${route.reqRole}`);
    }
    const header = route.headers?.find((h) => h.name.toLowerCase() === 'x-opsdeck-capability');
    if (!header || actionOf(header.content as Capability) !== route.reqAction) {
      violations.push(`${where} must set X-Opsdeck-Capability to what its reqAction proves (${route.reqAction})`);
    }
  }
  for (const include of app.includes ?? []) {
    if (include.action) {
      used.add(include.action);
    }
  }
  for (const action of declared) {
    if (!used.has(action)) {
      violations.push(`${action} is declared but no route or page requires it`);
    }
  }
  return violations;
}
