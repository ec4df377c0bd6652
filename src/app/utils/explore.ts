// Explore links come from the API with the API's datasource UIDs; the app configuration may name other
// UIDs for this Grafana. This rewrites the link's panes to use them.
import type { QueryDatasource } from '../../contract/catalog';
import { DATASOURCE_UID_KEYS, type AppSettings } from '../settings';

type Pane = { datasource?: unknown; queries?: Array<Record<string, unknown>> } & Record<string, unknown>;

export function exploreHref(
  url: string | null | undefined,
  datasource: QueryDatasource | null,
  settings: AppSettings
): string | null {
  if (!url) {
    return null;
  }
  const uid = datasource ? settings[DATASOURCE_UID_KEYS[datasource]]?.trim() : undefined;
  if (!uid) {
    return url;
  }
  const [path, search = ''] = url.split('?', 2);
  const params = new URLSearchParams(search);
  const panesJson = params.get('panes');
  if (!panesJson) {
    return url;
  }
  let panes: Record<string, Pane>;
  try {
    panes = JSON.parse(panesJson);
  } catch {
    return url;
  }
  for (const pane of Object.values(panes)) {
    pane.datasource = uid;
    for (const query of pane.queries ?? []) {
      const current = query.datasource;
      query.datasource =
        typeof current === 'object' && current !== null ? { ...current, uid } : { type: datasource, uid };
    }
  }
  params.set('panes', JSON.stringify(panes));
  return `${path}?${params.toString()}`;
}

/** The saved-query variables (`$name` or `${name}`) a query text needs, in order of first use. */
export { queryVariablesOf } from '../../contract/query-variables';
