/**
 * The overview's reads (all its SQL): the open-incident aggregates and the top incidents, each with
 * the committed incident change counter of the same snapshot (migration 0005), the runbook IDs the
 * alerts of no-runbook incidents declared, the counter alone, and each sender's heartbeat.
 * overview/service.ts decides when to read them again.
 */
import { AlertSource } from '../../contract/alerts';
import type { Severity } from '../../contract/common';
import type { RequestScope } from '../access/identity';
import { scopeCondition } from '../access/scope';
import type { IncidentRecord } from '../incidents/model';
import { incidentFrom, INCIDENT_COLUMNS } from '../incidents/repository';
import { breachedSql, RESPONSE_COLUMNS, responseRowFrom, type ResponseRow } from '../oncall/response';
import type { Row, Sql } from '../store';
import { ACTION_REQUIRED_LIMIT, type HeartbeatRead, type OpenAggregates, type OpenGroup } from './assemble';

/**
 * The committed value of the incident change counter in the reader's snapshot: the sum of its shards
 * (migration 0016; each only grows, so an equal sum means no committed change).
 */
const VERSION_SQL = '(SELECT sum(v)::bigint FROM incident_version_shards)';

export async function readOpenAggregates(
  sql: Sql,
  scope: RequestScope | null
): Promise<{ version: number; aggregates: OpenAggregates }> {
  const params: unknown[] = [];
  const where = scopeCondition(scope, params);
  const { rows } = await sql.query<Row>(
    `SELECT ${VERSION_SQL} AS version, GROUPING(severity) AS g_severity, GROUPING(host_role) AS g_host_role, GROUPING(service) AS g_service,
            GROUPING(signal_key) AS g_signal, GROUPING(query_id) AS g_query,
            severity, host_role, service, signal_key, query_id,
            count(*)::int AS open, sum(firing_count)::int AS firing, min(severity) AS worst
       FROM incidents WHERE is_open AND ${where}
      GROUP BY GROUPING SETS ((severity), (host_role), (service), (signal_key), (query_id))`,
    params
  );
  const aggregates: OpenAggregates = {
    bySeverity: new Map(),
    byHostRole: new Map(),
    byService: new Map(),
    bySignal: new Map(),
    byQuery: new Map(),
  };
  let version = rows.length > 0 ? Number(rows[0].version) : -1;
  if (rows.length === 0) {
    // No open incident: the counter still has to come from this statement's snapshot.
    const empty = await sql.query<Row>(
      `SELECT ${VERSION_SQL} AS version, EXISTS (SELECT 1 FROM incidents WHERE is_open AND ${where}) AS any`,
      params
    );
    version = empty.rows[0].any ? -1 : Number(empty.rows[0].version);
  }
  for (const row of rows) {
    const group: OpenGroup = { open: Number(row.open), firing: Number(row.firing ?? 0), worst: row.worst as Severity };
    if (Number(row.g_severity) === 0) {
      aggregates.bySeverity.set(row.severity as Severity, group);
    } else if (Number(row.g_host_role) === 0 && row.host_role) {
      aggregates.byHostRole.set(String(row.host_role), group);
    } else if (Number(row.g_service) === 0 && row.service) {
      aggregates.byService.set(String(row.service), group);
    } else if (Number(row.g_signal) === 0 && row.signal_key) {
      aggregates.bySignal.set(String(row.signal_key), group);
    } else if (Number(row.g_query) === 0 && row.query_id) {
      aggregates.byQuery.set(String(row.query_id), group);
    }
  }
  return { version, aggregates };
}

/**
 * The top open incidents in decision order: severity, then the ones with a breached response clock
 * (acknowledge or initial response past due and not done; issue 11), then SLO burn, then age. The
 * breach is decided in SQL from the policy's cutoffs at `now`, so an incident cut by the limit cannot
 * hide a breach.
 */
export async function readTopIncidents(
  sql: Sql,
  scope: RequestScope | null,
  cutoffs: string,
  limit = ACTION_REQUIRED_LIMIT
): Promise<{ version: number; top: IncidentRecord[]; breached: Set<string>; responses: Map<string, ResponseRow> }> {
  const params: unknown[] = [cutoffs];
  const where = scopeCondition(scope, params);
  params.push(limit);
  // The counter comes through a one-row join, so an empty result still carries it.
  const { rows } = await sql.query<Row>(
    `SELECT version.v AS version, top.* FROM (SELECT ${VERSION_SQL} AS v) AS version
       LEFT JOIN LATERAL (
         SELECT ${INCIDENT_COLUMNS}, ${RESPONSE_COLUMNS}, ${breachedSql('$1')} AS clock_breached
           FROM incidents WHERE is_open AND ${where}
          ORDER BY severity, clock_breached DESC, slo_burn_rate DESC NULLS LAST, opened_at, id LIMIT $${params.length}) AS top ON TRUE`,
    params
  );
  const found = rows.filter((row) => row.id !== null && row.id !== undefined);
  return {
    version: Number(rows[0]?.version ?? -1),
    top: found.map(incidentFrom),
    breached: new Set(found.filter((row) => row.clock_breached === true).map((row) => String(row.id))),
    responses: new Map(found.map((row) => [String(row.id), responseRowFrom(row)])),
  };
}

/**
 * The runbook IDs the alerts of no-runbook incidents declared (label or annotation `runbook_id`, which
 * may list several). Read only for those few incidents, so a card can name the ID the catalog lacks
 * instead of asking for an annotation the alert already has.
 */
export async function readDeclaredRunbooks(sql: Sql, incidents: IncidentRecord[]): Promise<Map<string, string[]>> {
  const ids = incidents.filter((incident) => incident.missing_runbook).map((incident) => incident.id);
  const declared = new Map<string, string[]>();
  if (ids.length === 0) {
    return declared;
  }
  const { rows } = await sql.query<Row>(
    `SELECT incident_id, labels->>'runbook_id' AS label, annotations->>'runbook_id' AS annotation
       FROM alerts WHERE incident_id = ANY($1::text[]) AND (labels ? 'runbook_id' OR annotations ? 'runbook_id')`,
    [ids]
  );
  for (const row of rows) {
    const id = String(row.incident_id);
    const values = [row.label, row.annotation]
      .filter((value): value is string => typeof value === 'string')
      .flatMap((value) => value.split(/[\s,]+/).filter(Boolean));
    declared.set(id, [...new Set([...(declared.get(id) ?? []), ...values])]);
  }
  return declared;
}

/** The committed incident change counter alone (-1 when it cannot be read). */
export async function readIncidentVersion(sql: Sql): Promise<number> {
  const { rows } = await sql.query<Row>(`SELECT ${VERSION_SQL} AS version`);
  return Number(rows[0]?.version ?? -1);
}

/**
 * Each alert sender's last heartbeat. intake_state belongs to intake/; read here until intake exports
 * its own reader (issue 14, src/api/README.md "Not in that shape yet").
 */
export async function readHeartbeats(sql: Sql): Promise<HeartbeatRead[]> {
  const { rows } = await sql.query<Row>(
    // One row per sender and shard (migration 0016): the latest beat and the sum of the counts.
    `SELECT source, max(last_heartbeat_at) AS last_heartbeat_at, sum(heartbeats)::bigint AS heartbeats FROM intake_state
      GROUP BY source HAVING max(last_heartbeat_at) IS NOT NULL ORDER BY source`
  );
  return rows.map((row) => ({
    source: AlertSource.parse(row.source),
    lastAt: row.last_heartbeat_at instanceof Date ? row.last_heartbeat_at : new Date(String(row.last_heartbeat_at)),
    count: Number(row.heartbeats),
  }));
}
