// Leaf module: constants and route builders only, no imports of our own, so the import graph stays acyclic.
export const PLUGIN_ID = 'opsdeck-ops-app';
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;
/** Grafana's plugin proxy: the `<capability route>/*` routes of plugin.json inject the service token server-side. */
export const PLUGIN_PROXY_BASE = `/api/plugin-proxy/${PLUGIN_ID}`;

/** Route patterns relative to the app root, as react-router v6 `<Route path>` values. */
export const ROUTE_PATHS = {
  ops: 'ops',
  incidents: 'incidents',
  incident: 'incidents/:id',
  runbooks: 'runbooks',
  runbook: 'runbooks/:runbookId',
  approvals: 'approvals',
  approval: 'approvals/:id',
  investigate: 'investigate',
  slos: 'slos',
  oncall: 'oncall',
  kpis: 'kpis',
  actionItems: 'action-items',
} as const;

const enc = encodeURIComponent;
const withQuery = (path: string, query: Record<string, string | undefined>) => {
  const entries = Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1]));
  return entries.length ? `${path}?${new URLSearchParams(entries).toString()}` : path;
};

/** Typed builders for every app URL; call sites never concatenate paths. */
export const ROUTES = {
  ops: () => `${PLUGIN_BASE_URL}/${ROUTE_PATHS.ops}`,
  /** The incidents list; `filters` become its URL query (the page reads its filters from there). */
  incidents: (filters: Record<string, string | undefined> = {}) =>
    withQuery(`${PLUGIN_BASE_URL}/${ROUTE_PATHS.incidents}`, filters),
  incident: (id: string) => `${PLUGIN_BASE_URL}/incidents/${enc(id)}`,
  runbooks: () => `${PLUGIN_BASE_URL}/${ROUTE_PATHS.runbooks}`,
  /** `fromIncident` makes checklist ticks on the runbook page go to that incident's timeline. */
  runbook: (runbookId: string, fromIncident?: string) =>
    withQuery(`${PLUGIN_BASE_URL}/runbooks/${enc(runbookId)}`, { incident: fromIncident }),
  approvals: () => `${PLUGIN_BASE_URL}/${ROUTE_PATHS.approvals}`,
  approval: (id: string) => `${PLUGIN_BASE_URL}/approvals/${enc(id)}`,
  investigate: (correlationId?: string) =>
    withQuery(`${PLUGIN_BASE_URL}/${ROUTE_PATHS.investigate}`, { correlation_id: correlationId }),
  /** The SLO page, optionally filtered (the filters live in the URL, so a link can carry them). */
  slos: (filters: { service?: string; team?: string; state?: string } = {}) =>
    withQuery(`${PLUGIN_BASE_URL}/${ROUTE_PATHS.slos}`, filters),
  oncall: () => `${PLUGIN_BASE_URL}/${ROUTE_PATHS.oncall}`,
  kpis: (window?: string, team?: string) => withQuery(`${PLUGIN_BASE_URL}/${ROUTE_PATHS.kpis}`, { window, team }),
  actionItems: (state?: string) => withQuery(`${PLUGIN_BASE_URL}/${ROUTE_PATHS.actionItems}`, { state }),
  config: () => `/plugins/${PLUGIN_ID}`,
};

/** Auto-refresh choices of the ops page, in milliseconds (0 = off). */
export const REFRESH_INTERVALS_MS = [0, 10_000, 30_000, 60_000, 300_000] as const;
export const DEFAULT_REFRESH_MS = 30_000;
/** `X-Project-ID: *` asks for every project the caller may see (global grants only). */
export const ALL_PROJECTS = '*';

/** Browser storage keys (per user agent, not secrets). */
export const STORAGE_KEYS = {
  project: `${PLUGIN_ID}.project`,
  refresh: `${PLUGIN_ID}.refresh-ms`,
} as const;
