/**
 * Incidents, alerts and timeline entries in the store: the reads the intake plans from, the writes of
 * a plan (set-based: one statement per table whatever the payload's size), and the reads of the
 * incident routes. PostgreSQL SQL that also runs on PGlite.
 */
import { monotonicFactory } from 'ulid';

import type { AlertSource } from '../../contract/alerts';
import type { HostRole, Severity } from '../../contract/common';
import { OPEN_STATUSES, type IncidentListQuery, type IncidentStatus, type TimelineKind } from '../../contract/incidents';
import type { RequestScope } from '../plugins/auth';
import type { Row, Sql } from '../store';
import { scopeKeyOf, type IntakePlan, type IntakeState, type StoredOccurrence } from './intake-plan';
import type { AlertRecord, IncidentRecord, TimelineRecord } from './model';
import type { NormalizedAlert } from './normalize';

/** ULIDs that stay ordered within one millisecond, so timeline entries written together keep their order. */
const monotonic = monotonicFactory();
export const newIdAt = (at: Date) => monotonic(at.getTime());

/** Serialises intakes, so two payloads of the same new key never open two incidents ("inta"). */
export const INTAKE_LOCK_KEY = 0x696e7461;

const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const record = (value: unknown): Record<string, string> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export const INCIDENT_COLUMNS =
  'id, grouping_key, title, status, severity, signal_key, signal_group, tenant, project, owner_team, service, runbook_ids, ' +
  'missing_runbook, query_id, firing_count, resolved_count, correlation_ids, trace_ids, resource_name, host_role, slo_burn_rate, ' +
  'opened_at, acknowledged_at, resolved_at, closed_at, updated_at, last_alert_at';

export function incidentFrom(row: Row): IncidentRecord {
  return {
    id: String(row.id),
    grouping_key: String(row.grouping_key),
    title: String(row.title),
    status: row.status as IncidentStatus,
    severity: row.severity as Severity,
    signal_key: (row.signal_key as string | null) ?? null,
    signal_group: (row.signal_group as string | null) ?? null,
    tenant: String(row.tenant),
    project: String(row.project),
    owner_team: (row.owner_team as string | null) ?? null,
    service: (row.service as string | null) ?? null,
    runbook_ids: strings(row.runbook_ids),
    missing_runbook: Boolean(row.missing_runbook),
    query_id: (row.query_id as string | null) ?? null,
    firing_count: Number(row.firing_count),
    resolved_count: Number(row.resolved_count),
    correlation_ids: strings(row.correlation_ids),
    trace_ids: strings(row.trace_ids),
    resource_name: (row.resource_name as string | null) ?? null,
    host_role: (row.host_role as HostRole | null) ?? null,
    slo_burn_rate: numberOrNull(row.slo_burn_rate),
    opened_at: date(row.opened_at),
    acknowledged_at: dateOrNull(row.acknowledged_at),
    resolved_at: dateOrNull(row.resolved_at),
    closed_at: dateOrNull(row.closed_at),
    updated_at: date(row.updated_at),
    last_alert_at: date(row.last_alert_at),
  };
}

export const ALERT_COLUMNS =
  'incident_id, fingerprint, source, alertname, status, severity, labels, annotations, starts_at, ends_at, generator_url, ' +
  'signal_key, runbook_ids, missing_runbook, correlation_ids, first_received_at, last_received_at, delivery_correlation_id';

export function alertFrom(row: Row): AlertRecord {
  return {
    incident_id: String(row.incident_id),
    fingerprint: String(row.fingerprint),
    source: row.source as AlertSource,
    alertname: String(row.alertname),
    status: row.status === 'resolved' ? 'resolved' : 'firing',
    severity: row.severity as Severity,
    labels: record(row.labels),
    annotations: record(row.annotations),
    starts_at: date(row.starts_at),
    ends_at: dateOrNull(row.ends_at),
    generator_url: (row.generator_url as string | null) ?? null,
    signal_key: (row.signal_key as string | null) ?? null,
    runbook_ids: strings(row.runbook_ids),
    missing_runbook: Boolean(row.missing_runbook),
    correlation_ids: strings(row.correlation_ids),
    first_received_at: date(row.first_received_at),
    last_received_at: date(row.last_received_at),
    delivery_correlation_id: String(row.delivery_correlation_id),
  };
}

export function timelineFrom(row: Row): TimelineRecord {
  return {
    id: String(row.id),
    incident_id: String(row.incident_id),
    at: date(row.at),
    kind: row.kind as TimelineKind,
    actor: String(row.actor),
    summary: String(row.summary),
    data: row.data && typeof row.data === 'object' ? (row.data as Record<string, unknown>) : {},
    correlation_id: (row.correlation_id as string | null) ?? null,
  };
}

// ---------- intake ----------

/** Reads what `planIntake` needs, locking the incidents it may change (call inside the intake transaction). */
export async function loadIntakeState(tx: Sql, alerts: NormalizedAlert[]): Promise<IntakeState> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [INTAKE_LOCK_KEY]);
  const fingerprints = [...new Set(alerts.map((alert) => alert.fingerprint))];
  const occurrences = new Map<string, StoredOccurrence>();
  if (fingerprints.length > 0) {
    const { rows } = await tx.query<Row>(
      `SELECT DISTINCT ON (fingerprint) fingerprint, incident_id, status, starts_at
         FROM alerts WHERE fingerprint = ANY($1::text[]) ORDER BY fingerprint, starts_at DESC`,
      [fingerprints]
    );
    for (const row of rows) {
      occurrences.set(String(row.fingerprint), {
        incident_id: String(row.incident_id),
        status: row.status === 'resolved' ? 'resolved' : 'firing',
        starts_at: date(row.starts_at),
      });
    }
  }
  const keys = new Map<string, NormalizedAlert>();
  for (const alert of alerts) {
    keys.set(scopeKeyOf(alert), alert);
  }
  const latestByKey = new Map<string, string>();
  if (keys.size > 0) {
    const list = [...keys.values()];
    const { rows } = await tx.query<Row>(
      `SELECT k.tenant, k.project, k.grouping_key, l.id
         FROM unnest($1::text[], $2::text[], $3::text[]) AS k (tenant, project, grouping_key)
         CROSS JOIN LATERAL (
           SELECT id FROM incidents i
            WHERE i.grouping_key = k.grouping_key AND i.tenant = k.tenant AND i.project = k.project
            ORDER BY i.opened_at DESC, i.id DESC LIMIT 1) l`,
      [list.map((a) => a.tenant), list.map((a) => a.project), list.map((a) => a.groupingKey)]
    );
    for (const row of rows) {
      latestByKey.set(
        scopeKeyOf({ tenant: String(row.tenant), project: String(row.project), groupingKey: String(row.grouping_key) }),
        String(row.id)
      );
    }
  }
  const ids = [...new Set([...latestByKey.values(), ...[...occurrences.values()].map((o) => o.incident_id)])].sort();
  const incidents = new Map<string, IncidentRecord>();
  if (ids.length > 0) {
    const { rows } = await tx.query<Row>(`SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [ids]);
    for (const row of rows) {
      const incident = incidentFrom(row);
      incidents.set(incident.id, incident);
    }
  }
  return { occurrences, incidents, latestByKey };
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

function incidentJson(incident: IncidentRecord) {
  return {
    ...incident,
    opened_at: iso(incident.opened_at),
    acknowledged_at: iso(incident.acknowledged_at),
    resolved_at: iso(incident.resolved_at),
    closed_at: iso(incident.closed_at),
    updated_at: iso(incident.updated_at),
    last_alert_at: iso(incident.last_alert_at),
  };
}

const INCIDENT_RECORDSET = `r (id text, grouping_key text, title text, status text, severity text, signal_key text, signal_group text,
  tenant text, project text, owner_team text, service text, runbook_ids jsonb, missing_runbook boolean, query_id text,
  firing_count integer, resolved_count integer, correlation_ids jsonb, trace_ids jsonb, resource_name text, host_role text,
  slo_burn_rate double precision, opened_at timestamptz, acknowledged_at timestamptz, resolved_at timestamptz,
  closed_at timestamptz, updated_at timestamptz, last_alert_at timestamptz)`;

const ALERT_RECORDSET = `r (incident_id text, fingerprint text, source text, alertname text, status text, severity text, labels jsonb,
  annotations jsonb, starts_at timestamptz, ends_at timestamptz, generator_url text, signal_key text, runbook_ids jsonb,
  missing_runbook boolean, correlation_ids jsonb, first_received_at timestamptz, last_received_at timestamptz,
  delivery_correlation_id text)`;

const TIMELINE_RECORDSET = 'r (id text, incident_id text, at timestamptz, kind text, actor text, summary text, data jsonb, correlation_id text)';

function alertJson(alert: AlertRecord) {
  return {
    ...alert,
    starts_at: iso(alert.starts_at),
    ends_at: iso(alert.ends_at),
    first_received_at: iso(alert.first_received_at),
    last_received_at: iso(alert.last_received_at),
  };
}

const INCIDENT_MUTABLE = INCIDENT_COLUMNS.split(', ').filter((column) => column !== 'id');
const ALERT_MUTABLE = [
  'source',
  'alertname',
  'status',
  'severity',
  'labels',
  'annotations',
  'starts_at',
  'ends_at',
  'generator_url',
  'signal_key',
  'runbook_ids',
  'missing_runbook',
  'correlation_ids',
  'last_received_at',
  'delivery_correlation_id',
];

/** Writes a plan: each table in one set-based statement (incidents first: alerts and entries reference them). */
export async function writeIntakePlan(tx: Sql, plan: IntakePlan): Promise<void> {
  if (plan.incidentInserts.length > 0) {
    await tx.query(
      `INSERT INTO incidents (${INCIDENT_COLUMNS}) SELECT ${INCIDENT_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS ${INCIDENT_RECORDSET}`,
      [JSON.stringify(plan.incidentInserts.map(incidentJson))]
    );
  }
  if (plan.incidentUpdates.length > 0) {
    await tx.query(
      `UPDATE incidents AS i SET ${INCIDENT_MUTABLE.map((c) => `${c} = r.${c}`).join(', ')}
         FROM jsonb_to_recordset($1::jsonb) AS ${INCIDENT_RECORDSET} WHERE i.id = r.id`,
      [JSON.stringify(plan.incidentUpdates.map(incidentJson))]
    );
  }
  if (plan.alertInserts.length > 0) {
    await tx.query(
      `INSERT INTO alerts (${ALERT_COLUMNS}) SELECT ${ALERT_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS ${ALERT_RECORDSET}`,
      [JSON.stringify(plan.alertInserts.map(alertJson))]
    );
  }
  if (plan.alertUpdates.length > 0) {
    await tx.query(
      `UPDATE alerts AS a SET ${ALERT_MUTABLE.map((c) => `${c} = r.${c}`).join(', ')}
         FROM jsonb_to_recordset($1::jsonb) AS ${ALERT_RECORDSET}
        WHERE a.incident_id = r.incident_id AND a.fingerprint = r.fingerprint`,
      [JSON.stringify(plan.alertUpdates.map(alertJson))]
    );
  }
  await insertTimeline(tx, plan.timeline);
}

export async function insertTimeline(tx: Sql, entries: TimelineRecord[]): Promise<void> {
  if (entries.length === 0) {
    return;
  }
  await tx.query(
    `INSERT INTO incident_timeline (id, incident_id, at, kind, actor, summary, data, correlation_id)
     SELECT id, incident_id, at, kind, actor, summary, data, correlation_id FROM jsonb_to_recordset($1::jsonb) AS ${TIMELINE_RECORDSET}`,
    [JSON.stringify(entries.map((entry) => ({ ...entry, at: entry.at.toISOString() })))]
  );
}

/** Records that a sender was heard from (re-deliveries included): the overview's data freshness. */
export async function touchIntakeState(tx: Sql, source: AlertSource, at: Date): Promise<void> {
  await tx.query(
    `INSERT INTO intake_state (source, last_received_at, payloads) VALUES ($1, $2, 1)
     ON CONFLICT (source) DO UPDATE SET last_received_at = GREATEST(intake_state.last_received_at, EXCLUDED.last_received_at),
       payloads = intake_state.payloads + 1`,
    [source, at.toISOString()]
  );
}

// ---------- incident routes ----------

/**
 * The SQL condition that keeps a query inside the caller's scope; pushes its values onto `params`.
 * No scope fails closed.
 */
export function scopeSql(scope: RequestScope | null, params: unknown[], alias = ''): string {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  if (scope === null) {
    return 'FALSE';
  }
  if (scope.kind === 'all') {
    return 'TRUE';
  }
  params.push(scope.project);
  let sql = `${column('project')} = $${params.length}`;
  if (scope.tenant !== null) {
    params.push(scope.tenant);
    sql += ` AND ${column('tenant')} = $${params.length}`;
  }
  return sql;
}

export async function findIncident(sql: Sql, id: string, scope: RequestScope | null, options: { forUpdate?: boolean } = {}) {
  const params: unknown[] = [id];
  const where = scopeSql(scope, params);
  const { rows } = await sql.query<Row>(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = $1 AND ${where}${options.forUpdate ? ' FOR UPDATE' : ''}`,
    params
  );
  return rows[0] ? incidentFrom(rows[0]) : null;
}

/** Incidents newest first (ULID order), filtered; `cursor` is the last id of the previous page. */
export async function listIncidents(
  sql: Sql,
  scope: RequestScope | null,
  query: IncidentListQuery
): Promise<{ items: IncidentRecord[]; next_cursor: string | null }> {
  const params: unknown[] = [];
  const where = [scopeSql(scope, params)];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (query.status === 'open') {
    add((p) => `status = ANY(${p}::text[])`, OPEN_STATUSES);
  } else if (query.status) {
    add((p) => `status = ${p}`, query.status);
  }
  if (query.severity) {
    add((p) => `severity = ${p}`, query.severity);
  }
  if (query.signal) {
    add((p) => `signal_key = ${p}`, query.signal);
  }
  if (query.owner_team) {
    add((p) => `owner_team = ${p}`, query.owner_team);
  }
  if (query.tenant) {
    add((p) => `tenant = ${p}`, query.tenant);
  }
  if (query.project) {
    add((p) => `project = ${p}`, query.project);
  }
  if (query.cursor) {
    add((p) => `id < ${p}`, query.cursor);
  }
  params.push(query.limit + 1);
  const { rows } = await sql.query<Row>(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
    params
  );
  const items = rows.slice(0, query.limit).map(incidentFrom);
  return { items, next_cursor: rows.length > query.limit ? items[items.length - 1].id : null };
}

export async function alertsOf(sql: Sql, incidentId: string): Promise<AlertRecord[]> {
  const { rows } = await sql.query<Row>(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE incident_id = $1 ORDER BY starts_at, fingerprint`,
    [incidentId]
  );
  return rows.map(alertFrom);
}

export async function timelineOf(sql: Sql, incidentId: string): Promise<TimelineRecord[]> {
  const { rows } = await sql.query<Row>(
    'SELECT id, incident_id, at, kind, actor, summary, data, correlation_id FROM incident_timeline WHERE incident_id = $1 ORDER BY at, id',
    [incidentId]
  );
  return rows.map(timelineFrom);
}

/** Writes a person's move of an incident (status and lifecycle times). */
export async function updateLifecycle(tx: Sql, incident: IncidentRecord): Promise<void> {
  await tx.query(
    `UPDATE incidents SET status = $2, acknowledged_at = $3, resolved_at = $4, closed_at = $5, updated_at = $6 WHERE id = $1`,
    [incident.id, incident.status, iso(incident.acknowledged_at), iso(incident.resolved_at), iso(incident.closed_at), iso(incident.updated_at)]
  );
}

/** Records activity on an incident (a note, a runbook opened) without changing its status. */
export async function touchIncident(tx: Sql, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE incidents SET updated_at = GREATEST(updated_at, $2) WHERE id = $1', [id, at.toISOString()]);
}
