// Leaf module: constants only, no imports of our own, so the import graph stays acyclic.
export const PLUGIN_ID = 'opsdeck-ops-app';
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

export enum ROUTES {
  Ops = 'ops',
  Incidents = 'incidents',
  Runbooks = 'runbooks',
  Approvals = 'approvals',
  Investigate = 'investigate',
}

/** Prefixes an app route with the plugin's base URL: prefixRoute(ROUTES.Ops) → /a/opsdeck-ops-app/ops */
export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route.replace(/^\/+/, '')}`;
}
