/**
 * Everything Opsdeck knows under one correlation ID: incidents and alerts that carry it (or whose
 * alerts were delivered by the request with that ID), audit rows, API request records, the trace IDs
 * those incidents know, and Explore links to look further (Loki by correlation ID, Tempo by trace ID).
 */
import type { AuditRow } from '../../contract/audit';
import type { CorrelationLookup, ExploreLink, RequestRecord } from '../../contract/correlation';
import type { SavedQuery } from '../../contract/catalog';
import { savedQueryExploreLink, type ExploreTarget } from '../../catalog/explore';
import { AUDIT_COLUMNS, auditRowFrom } from '../audit/rows';
import { incidentAlert, incidentSummary, type PresentContext } from '../incidents/present';
import { scopeCondition } from '../access/scope';
import { ALERT_COLUMNS, alertFrom, INCIDENT_COLUMNS, incidentFrom } from '../incidents/repository';
import type { RequestScope } from '../access/identity';
import type { Row, Sql } from '../store';

export const LOKI_CORRELATION_QUERY = 'api_error_by_correlation_id';
export const TEMPO_TRACE_QUERY = 'trace_by_id';
const MAX_ROWS = 200;
const MAX_TRACE_LINKS = 5;
const LINK_WINDOW = '1h';

function link(
  label: string,
  query: SavedQuery,
  values: Record<string, string>,
  explore: ExploreTarget
): ExploreLink | null {
  const { url } = savedQueryExploreLink(query, { window: LINK_WINDOW, ...values }, explore);
  return url ? { label, datasource: query.datasource, query_id: query.id, url } : null;
}

/** Loki first (the API's error log line), then other `*_by_correlation_id` queries, then Tempo per known trace. */
export function correlationLinks(
  queries: ReadonlyMap<string, SavedQuery>,
  correlationId: string,
  traceIds: string[],
  explore: ExploreTarget
): ExploreLink[] {
  const links: ExploreLink[] = [];
  const loki = queries.get(LOKI_CORRELATION_QUERY);
  if (loki) {
    const made = link(`${loki.title} (Loki)`, loki, { correlation_id: correlationId }, explore);
    if (made) {
      links.push(made);
    }
  }
  for (const query of queries.values()) {
    if (query.id !== LOKI_CORRELATION_QUERY && query.id.endsWith('_by_correlation_id')) {
      const made = link(query.title, query, { correlation_id: correlationId }, explore);
      if (made) {
        links.push(made);
      }
    }
  }
  const tempo = queries.get(TEMPO_TRACE_QUERY);
  if (tempo) {
    for (const traceId of traceIds.slice(0, MAX_TRACE_LINKS)) {
      const made = link(
        `Trace ${traceId} (Tempo)`,
        tempo,
        { trace_id: traceId, correlation_id: correlationId },
        explore
      );
      if (made) {
        links.push(made);
      }
    }
  }
  return links;
}

function requestFrom(row: Row): RequestRecord {
  return {
    at: (row.at instanceof Date ? row.at : new Date(String(row.at))).toISOString(),
    method: String(row.method),
    route: String(row.route),
    status: Number(row.status),
    error_code: (row.error_code as string | null) ?? null,
    correlation_id: String(row.correlation_id),
    duration_ms: row.duration_ms === null || row.duration_ms === undefined ? null : Number(row.duration_ms),
  };
}

export async function lookupCorrelation(
  sql: Sql,
  correlationId: string,
  scope: RequestScope | null,
  context: PresentContext
): Promise<CorrelationLookup> {
  const asJson = JSON.stringify([correlationId]);

  // Every read of a scoped table goes through scopeCondition (tests/incidents/correlation-scope.test.ts).
  const incidentParams: unknown[] = [asJson, correlationId];
  const incidentScope = scopeCondition(scope, incidentParams);
  const alertParams: unknown[] = [asJson, correlationId];
  const alertScope = scopeCondition(scope, alertParams, { tenant: 'i.tenant', project: 'i.project' });
  // Audit rows and request records outside any project (webhook deliveries, catalog reloads,
  // unauthenticated calls) have no project column value: a project scope never matches them, so only
  // `*` sees them.
  const auditParams: unknown[] = [correlationId];
  const auditScope = scopeCondition(scope, auditParams);
  const requestParams: unknown[] = [correlationId];
  const requestScope = scopeCondition(scope, requestParams);

  const [incidents, alerts, audit, requests] = await Promise.all([
    sql.query<Row>(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents
        WHERE (correlation_ids @> $1::jsonb OR id IN (SELECT incident_id FROM alerts WHERE delivery_correlation_id = $2)) AND ${incidentScope}
        ORDER BY id DESC LIMIT ${MAX_ROWS}`,
      incidentParams
    ),
    sql.query<Row>(
      `SELECT ${ALERT_COLUMNS.split(', ')
        .map((c) => `a.${c}`)
        .join(', ')} FROM alerts a JOIN incidents i ON i.id = a.incident_id
        WHERE (a.correlation_ids @> $1::jsonb OR a.delivery_correlation_id = $2) AND ${alertScope}
        ORDER BY a.starts_at DESC, a.fingerprint LIMIT ${MAX_ROWS}`,
      alertParams
    ),
    sql.query<Row>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE correlation_id = $1 AND ${auditScope} ORDER BY id LIMIT ${MAX_ROWS}`,
      auditParams
    ),
    sql.query<Row>(
      `SELECT at, method, route, status, error_code, correlation_id, duration_ms FROM request_log WHERE correlation_id = $1 AND ${requestScope} ORDER BY id LIMIT ${MAX_ROWS}`,
      requestParams
    ),
  ]);
  const incidentRecords = incidents.rows.map(incidentFrom);
  const traceIds = [...new Set(incidentRecords.flatMap((incident) => incident.trace_ids))];
  const auditRows: AuditRow[] = audit.rows.map(auditRowFrom);
  return {
    correlation_id: correlationId,
    incidents: incidentRecords.map((incident) => incidentSummary(context, incident)),
    alerts: alerts.rows.map((row) => {
      const alert = alertFrom(row);
      return { ...incidentAlert(alert), incident_id: alert.incident_id };
    }),
    audit: auditRows,
    requests: requests.rows.map(requestFrom),
    trace_ids: traceIds,
    explore_links: correlationLinks(context.catalog.queries, correlationId, traceIds, context.explore),
  };
}
