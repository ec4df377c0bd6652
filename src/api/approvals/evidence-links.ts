/**
 * The Explore links an approval's evidence queries carry. They are filled from the incident the
 * request is for — its service, resource, host role, first correlation/trace ID — and `$window` from
 * how long the incident has been open, so a reviewer sees the whole incident and not a fixed 15 minutes.
 * A variable that still has no value is named on the link (`missing_variables`), never a bare disabled link.
 */
import { savedQueryExploreLink, type ExploreTarget, type QueryValues } from '../../catalog/explore';
import type { QueryVariable, SavedQuery } from '../../contract/catalog';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * The shortest window: rate() over less than a few scrape intervals (15–60 s) returns nothing, so an
 * incident opened a minute ago still gets a 5m window.
 */
const MIN_WINDOW_MINUTES = 5;

/**
 * The time since `openedAt`, rounded UP to a whole Prometheus duration (minutes under two hours, hours
 * under two days, then days): rounding up keeps the moment the incident opened inside the window.
 */
export function windowSince(openedAt: Date, now: Date): string {
  const elapsed = Math.max(0, now.getTime() - openedAt.getTime());
  if (elapsed <= 2 * HOUR) {
    return `${Math.max(MIN_WINDOW_MINUTES, Math.ceil(elapsed / MINUTE))}m`;
  }
  if (elapsed <= 2 * DAY) {
    return `${Math.ceil(elapsed / HOUR)}h`;
  }
  return `${Math.ceil(elapsed / DAY)}d`;
}

export interface EvidenceIncident {
  opened_at: Date;
  service: string | null;
  host_role: string | null;
  resource_name: string | null;
  correlation_id: string | null;
  trace_id: string | null;
}

/** The query variables an incident can fill; absent ones stay unset so the link names them. */
export function evidenceQueryValues(incident: EvidenceIncident, now: Date): QueryValues {
  const values: QueryValues = { window: windowSince(incident.opened_at, now) };
  const set = (name: QueryVariable, value: string | null) => {
    if (value) {
      values[name] = value;
    }
  };
  set('service', incident.service);
  set('host_role', incident.host_role);
  set('resource_name', incident.resource_name);
  set('correlation_id', incident.correlation_id);
  set('trace_id', incident.trace_id);
  return values;
}

export interface EvidenceLink {
  id: string;
  title: string;
  explore_url: string | null;
  missing_variables: QueryVariable[];
}

export function evidenceLink(
  query: SavedQuery,
  values: QueryValues,
  target: ExploreTarget & { grafanaBaseUrl?: string | null }
): EvidenceLink {
  let url: string | null = null;
  let missing: QueryVariable[] = [];
  try {
    const link = savedQueryExploreLink(query, values, target);
    url = link.url;
    missing = link.missing;
  } catch {
    // An incident value the query cannot take (e.g. a malformed window) leaves the link closed, never a 5xx.
    url = null;
  }
  return {
    id: query.id,
    title: query.title,
    explore_url: url && target.grafanaBaseUrl ? `${target.grafanaBaseUrl}${url}` : url,
    missing_variables: missing,
  };
}
