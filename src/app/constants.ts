// Leaf module: constants only, importing nothing of the app's own (only the contract), so the import graph stays acyclic.
import { APP_BASE_PATH, APP_PLUGIN_ID, APP_ROUTE_PATHS, appLinks } from '../contract/links';

export const PLUGIN_ID = APP_PLUGIN_ID;
export const PLUGIN_BASE_URL = APP_BASE_PATH;
/** Grafana's plugin proxy: the `<capability route>/*` routes of plugin.json inject the service token server-side. */
export const PLUGIN_PROXY_BASE = `/api/plugin-proxy/${PLUGIN_ID}`;

/** Route patterns relative to the app root; the links are the contract's, shared with the datasource, catalog and API. */
export const ROUTE_PATHS = APP_ROUTE_PATHS;

/** Typed builders for every app URL; call sites never concatenate paths. */
export const ROUTES = appLinks;

/** Auto-refresh choices of the ops page, in milliseconds (0 = off). */
export const REFRESH_INTERVALS_MS = [0, 10_000, 30_000, 60_000, 300_000] as const;
export const DEFAULT_REFRESH_MS = 30_000;
/** `X-Project-ID: *` asks for every project the caller may see (global grants only). */
export const ALL_PROJECTS = '*';

/** Browser storage keys (per user agent, not secrets). */
export const STORAGE_KEYS = {
  project: `${PLUGIN_ID}.project`,
  refresh: `${PLUGIN_ID}.refresh-ms`,
  /** When the error boundary last reloaded after a chunk failure (session storage). */
  chunkReload: `${PLUGIN_ID}.chunk-reload-at`,
} as const;
