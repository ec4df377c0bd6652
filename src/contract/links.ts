/**
 * Every link into Opsdeck that more than one room builds, written once: the plugin IDs, the app's pages
 * (used by the app's router and buttons, the datasource's data links and annotations, the catalog's
 * generated alerts and dashboards, and the API's notifications and status feed), dashboards and
 * Grafana Explore.
 *
 * Links are relative to Grafana's root (the app is served under it), so one set of generated files
 * works behind any Grafana URL; whoever needs an absolute link (notifications, the Atom feed, the
 * overview's investigation paths) prefixes the configured Grafana URL with {@link absoluteLink}.
 *
 * Plain functions, no imports: the contract is a leaf every room may import.
 */

/** The app plugin's ID (plugin.json `id`; also the prefix of its RBAC actions and browser storage keys). */
export const APP_PLUGIN_ID = 'opsdeck-ops-app';
/** The nested datasource's plugin ID (src/datasource/plugin.json; `type` of its datasource references). */
export const DATASOURCE_PLUGIN_ID = 'opsdeck-ops-datasource';

/** Where Grafana serves the app's pages. */
export const APP_BASE_PATH = `/a/${APP_PLUGIN_ID}`;

/** The app's page patterns relative to {@link APP_BASE_PATH}, as react-router v6 `<Route path>` values. */
export const APP_ROUTE_PATHS = {
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

type Query = Record<string, string | undefined>;
const present = (query: Query) => Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1]));

const withQuery = (path: string, query: Query) => {
  const entries = present(query);
  return entries.length ? `${path}?${new URLSearchParams(entries).toString()}` : path;
};

const app = (page: string) => `${APP_BASE_PATH}/${page}`;
const enc = encodeURIComponent;

/** Typed builders for every app page; call sites never concatenate paths. */
export const appLinks = {
  ops: () => app(APP_ROUTE_PATHS.ops),
  /** The incidents list; `filters` become its URL query (the page reads its filters from there). */
  incidents: (filters: Query = {}) => withQuery(app(APP_ROUTE_PATHS.incidents), filters),
  incident: (id: string) => app(`${APP_ROUTE_PATHS.incidents}/${enc(id)}`),
  runbooks: () => app(APP_ROUTE_PATHS.runbooks),
  /** `fromIncident` makes checklist ticks on the runbook page go to that incident's timeline. */
  runbook: (runbookId: string, fromIncident?: string) =>
    withQuery(app(`${APP_ROUTE_PATHS.runbooks}/${enc(runbookId)}`), { incident: fromIncident }),
  approvals: () => app(APP_ROUTE_PATHS.approvals),
  approval: (id: string) => app(`${APP_ROUTE_PATHS.approvals}/${enc(id)}`),
  investigate: (correlationId?: string) =>
    withQuery(app(APP_ROUTE_PATHS.investigate), { correlation_id: correlationId }),
  /** The SLO page, optionally filtered (the filters live in the URL, so a link can carry them). */
  slos: (filters: { service?: string; team?: string; state?: string } = {}) =>
    withQuery(app(APP_ROUTE_PATHS.slos), filters),
  oncall: () => app(APP_ROUTE_PATHS.oncall),
  kpis: (window?: string, team?: string) => withQuery(app(APP_ROUTE_PATHS.kpis), { window, team }),
  actionItems: (state?: string) => withQuery(app(APP_ROUTE_PATHS.actionItems), { state }),
  /** The app's configuration page in Grafana's plugin catalogue. */
  config: () => `/plugins/${APP_PLUGIN_ID}`,
};

/**
 * The same pages as Grafana data-link templates: the ID is a field interpolation such as
 * `${__data.fields.id}` that Grafana substitutes when the link is clicked, so it is not URL-encoded here.
 */
export const appLinkTemplates = {
  incident: (idTemplate: string) => app(`${APP_ROUTE_PATHS.incidents}/${idTemplate}`),
  runbook: (idTemplate: string) => app(`${APP_ROUTE_PATHS.runbooks}/${idTemplate}`),
  approval: (idTemplate: string) => app(`${APP_ROUTE_PATHS.approvals}/${idTemplate}`),
  investigate: (correlationIdTemplate: string) =>
    `${app(APP_ROUTE_PATHS.investigate)}?correlation_id=${correlationIdTemplate}`,
};

/** A dashboard by UID. */
export const dashboardLink = (dashboardUid: string) => `/d/${enc(dashboardUid)}`;

/** One panel of a dashboard (`/d/<uid>?viewPanel=<id>`, the form investigation paths use). */
export const panelLink = (dashboardUid: string, panelId: number) =>
  `${dashboardLink(dashboardUid)}?viewPanel=${panelId}`;

/** One Explore pane as Grafana's `panes` URL parameter (schemaVersion 1) describes it. */
export interface ExplorePane {
  datasource: string;
  queries: Array<Record<string, unknown>>;
  range: { from: string; to: string };
}

/** A Grafana Explore link (`/explore?schemaVersion=1&panes=…&orgId=…`) that opens the given panes. */
export const exploreLink = (panes: Record<string, ExplorePane>, orgId = 1) =>
  `/explore?${new URLSearchParams({ schemaVersion: '1', panes: JSON.stringify(panes), orgId: String(orgId) }).toString()}`;

/** `path` (one of the links above) under Grafana's base URL; an empty base keeps it relative. */
export const absoluteLink = (grafanaUrl: string | undefined, path: string) =>
  `${(grafanaUrl ?? '').replace(/\/+$/, '')}${path}`;
