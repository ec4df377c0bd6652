/**
 * Incident records → the contract's shapes, with the catalog's runbooks and saved queries resolved
 * and Explore links filled in with the incident's correlation ID, trace ID, resource name and host
 * role. Pure: the catalog and the Explore target are passed in.
 */
import type {
  IncidentAlert,
  IncidentDetail,
  IncidentSummary,
  RunbookRef,
  SavedQueryLink,
  TimelineEntry,
} from '../../contract/incidents';
import type { Catalog } from '../../catalog/model';
import { savedQueryExploreLink, type ExploreTarget, type QueryValues } from '../../catalog/explore';
import { allowedTransitions, responseTimes } from './lifecycle';
import type { AlertRecord, IncidentRecord, TimelineRecord } from './model';

export type PresentCatalog = Pick<Catalog, 'runbooks' | 'queries' | 'signals'>;

export interface PresentContext {
  catalog: PresentCatalog;
  explore: ExploreTarget;
}

/** The window saved queries that use `$window` get in incident links. */
export const DEFAULT_QUERY_WINDOW = '15m';
const MAX_SAVED_QUERIES = 20;

export function runbookRefs(catalog: PresentCatalog, ids: readonly string[]): RunbookRef[] {
  const refs: RunbookRef[] = [];
  for (const id of ids) {
    const runbook = catalog.runbooks.get(id);
    if (runbook) {
      refs.push({
        id: runbook.id,
        title: runbook.title,
        url: runbook.url,
        severity_hint: runbook.severity_hint,
        owner_team: runbook.owner_team,
      });
    }
  }
  return refs;
}

export function queryValuesOf(
  incident: Pick<IncidentRecord, 'correlation_ids' | 'trace_ids' | 'resource_name' | 'host_role' | 'service'>
): QueryValues {
  const values: QueryValues = { window: DEFAULT_QUERY_WINDOW };
  if (incident.correlation_ids[0]) {
    values.correlation_id = incident.correlation_ids[0];
  }
  if (incident.trace_ids[0]) {
    values.trace_id = incident.trace_ids[0];
  }
  if (incident.resource_name) {
    values.resource_name = incident.resource_name;
  }
  if (incident.host_role) {
    values.host_role = incident.host_role;
  }
  if (incident.service) {
    values.service = incident.service;
  }
  return values;
}

export function savedQueryLink(context: PresentContext, queryId: string, values: QueryValues): SavedQueryLink | null {
  const query = context.catalog.queries.get(queryId);
  if (!query) {
    return null;
  }
  const link = savedQueryExploreLink(query, values, context.explore);
  return {
    id: query.id,
    title: query.title,
    datasource: query.datasource,
    explore_url: link.url,
    missing_variables: link.missing,
  };
}

/**
 * The saved queries of an incident, most specific first: an alert's `query_id` annotation, the
 * signal's query, then the queries its runbooks cite.
 */
export function incidentQueryIds(
  catalog: PresentCatalog,
  incident: Pick<IncidentRecord, 'query_id' | 'signal_key' | 'runbook_ids'>
): string[] {
  const ids: string[] = [];
  const add = (id: string | null | undefined) => {
    if (id && catalog.queries.has(id) && !ids.includes(id)) {
      ids.push(id);
    }
  };
  add(incident.query_id);
  add(incident.signal_key ? catalog.signals.get(incident.signal_key)?.query_id : null);
  for (const runbookId of incident.runbook_ids) {
    for (const queryId of catalog.runbooks.get(runbookId)?.queries ?? []) {
      add(queryId);
    }
  }
  return ids.slice(0, MAX_SAVED_QUERIES);
}

export function firstSavedQuery(context: PresentContext, incident: IncidentRecord): SavedQueryLink | null {
  const [first] = incidentQueryIds(context.catalog, incident);
  return first ? savedQueryLink(context, first, queryValuesOf(incident)) : null;
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export function incidentSummary(context: PresentContext, incident: IncidentRecord): IncidentSummary {
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    grouping_key: incident.grouping_key,
    signal_key: incident.signal_key,
    signal_group: incident.signal_group,
    tenant: incident.tenant,
    project: incident.project,
    owner_team: incident.owner_team,
    runbooks: runbookRefs(context.catalog, incident.runbook_ids),
    missing_runbook: incident.missing_runbook,
    first_saved_query: firstSavedQuery(context, incident),
    alert_counts: { firing: incident.firing_count, resolved: incident.resolved_count },
    correlation_ids: incident.correlation_ids,
    trace_ids: incident.trace_ids,
    resource_name: incident.resource_name,
    host_role: incident.host_role,
    opened_at: incident.opened_at.toISOString(),
    acknowledged_at: iso(incident.acknowledged_at),
    resolved_at: iso(incident.resolved_at),
    closed_at: iso(incident.closed_at),
    updated_at: incident.updated_at.toISOString(),
    ...responseTimes(incident),
    slo_burn_rate: incident.slo_burn_rate,
  };
}

export function incidentAlert(alert: AlertRecord): IncidentAlert {
  return {
    fingerprint: alert.fingerprint,
    alertname: alert.alertname,
    status: alert.status,
    severity: alert.severity,
    source: alert.source,
    labels: alert.labels,
    annotations: alert.annotations,
    starts_at: alert.starts_at.toISOString(),
    ends_at: iso(alert.ends_at),
    generator_url: alert.generator_url,
    silence_url: alert.silence_url,
    signal_key: alert.signal_key,
    runbook_ids: alert.runbook_ids,
    missing_runbook: alert.missing_runbook,
    last_received_at: alert.last_received_at.toISOString(),
  };
}

export function timelineEntry(entry: TimelineRecord): TimelineEntry {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    kind: entry.kind,
    actor: entry.actor,
    summary: entry.summary,
    data: entry.data,
    correlation_id: entry.correlation_id,
  };
}

export function incidentDetail(
  context: PresentContext,
  incident: IncidentRecord,
  alerts: AlertRecord[],
  timeline: TimelineRecord[]
): IncidentDetail {
  const values = queryValuesOf(incident);
  return {
    ...incidentSummary(context, incident),
    alerts: alerts.map(incidentAlert),
    timeline: timeline.map(timelineEntry),
    saved_queries: incidentQueryIds(context.catalog, incident)
      .map((id) => savedQueryLink(context, id, values))
      .filter((link): link is SavedQueryLink => link !== null),
    allowed_transitions: allowedTransitions(incident.status),
  };
}
