/**
 * Incidents, alerts and timeline entries in the store: the reads the intake plans from, the writes of
 * a plan (set-based: one statement per table whatever the payload's size), and the reads of the
 * incident routes. PostgreSQL SQL that also runs on PGlite.
 */
import { monotonicFactory } from 'ulid';

import type { AlertSource } from '../../contract/alerts';
import type { HostRole, Severity } from '../../contract/common';
import {
  OPEN_STATUSES,
  type IncidentListQuery,
  type IncidentStatus,
  type TimelineKind,
} from '../../contract/incidents';
import type { RequestScope } from '../access/identity';
import { scopeCondition } from '../access/scope';
import { chunksOf, yieldToEventLoop, type Row, type Sql } from '../store';
import { scopeKeyOf, type IntakePlan, type IntakeState, type StoredOccurrence } from './intake-plan';
import type { AlertRecord, IncidentRecord, TimelineRecord } from './model';
import type { NormalizedAlert } from './normalize';

/** ULIDs that stay ordered within one millisecond, so timeline entries written together keep their order. */
const monotonic = monotonicFactory();
export const newIdAt = (at: Date) => monotonic(at.getTime());

/**
 * Namespace of the intake's advisory locks ("inta"). Each (tenant, project, grouping key) hashes onto
 * one of INTAKE_LOCK_SLOTS lock slots; a payload locks the slots of its keys, in ascending order (so two
 * intakes never deadlock). Payloads of the same key serialise — two of them never open two incidents —
 * while payloads of different keys run side by side unless their keys share a slot (then they only wait
 * for each other). The fixed set bounds the locks one payload takes (issue 17.6: 10,000 keys used to take
 * 10,000 locks and could exhaust PostgreSQL's shared lock table, max_locks_per_transaction ×
 * max_connections entries for all sessions together). The in-process intake gate (intake/gate.ts) queues
 * on the same slots.
 * (An alert's key follows from its labels, as its fingerprint does, so one fingerprint has one key.)
 */
export const INTAKE_LOCK_NAMESPACE = 0x696e7461;
export const INTAKE_LOCK_SLOTS = 256;

/** The lock slot of a scope key: 32-bit FNV-1a, modulo INTAKE_LOCK_SLOTS. */
export function intakeLockSlot(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % INTAKE_LOCK_SLOTS;
}

/** The distinct lock slots of a payload's alerts, ascending. */
export function intakeLockSlots(alerts: Array<Pick<NormalizedAlert, 'groupingKey' | 'tenant' | 'project'>>): number[] {
  return [...new Set(alerts.map((alert) => intakeLockSlot(scopeKeyOf(alert))))].sort((a, b) => a - b);
}

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
  'incident_id, fingerprint, source, alertname, status, severity, labels, annotations, starts_at, ends_at, generator_url, silence_url, ' +
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
    silence_url: (row.silence_url as string | null) ?? null,
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

/**
 * Reads what `planIntake` needs, locking the incidents it may change (call inside the intake
 * transaction): the payload's key locks, then per chunk of `chunkSize` alerts one statement with the
 * stored occurrences, the latest incident of each key and those incidents FOR UPDATE (each must start
 * after the locks are held, so that its snapshot sees every intake of the same keys that committed
 * before). A payload of up to `chunkSize` alerts costs two round trips; a bigger one yields to the event
 * loop between its chunks (issue 17 item 7). Chunks cannot see each other's intakes change underneath:
 * every writer of these occurrences and keys holds the same key locks.
 */
export async function loadIntakeState(tx: Sql, alerts: NormalizedAlert[], chunkSize = 1_000): Promise<IntakeState> {
  const keys = new Map<string, NormalizedAlert>();
  for (const alert of alerts) {
    keys.set(scopeKeyOf(alert), alert);
  }
  await tx.query(
    'SELECT count(pg_advisory_xact_lock($1, k)) FROM (SELECT k FROM unnest($2::int4[]) AS u (k) ORDER BY k) AS ordered',
    [INTAKE_LOCK_NAMESPACE, intakeLockSlots([...keys.values()])]
  );
  const state = { occurrences: new Map(), incidents: new Map(), latestByKey: new Map() } satisfies IntakeState;
  const fingerprints = [...new Set(alerts.map((alert) => alert.fingerprint))];
  const keyList = [...keys.values()];
  const rounds = Math.max(Math.ceil(fingerprints.length / chunkSize), Math.ceil(keyList.length / chunkSize));
  for (let round = 0; round < rounds; round += 1) {
    if (round > 0) {
      await yieldToEventLoop();
    }
    const slice = <T>(items: T[]) => items.slice(round * chunkSize, (round + 1) * chunkSize);
    readIntakeRows(state, await queryIntakeState(tx, slice(fingerprints), slice(keyList)));
  }
  return state;
}

/** One statement: stored occurrences of `fingerprints`, the latest incident of each key, those incidents locked. */
function queryIntakeState(tx: Sql, fingerprints: string[], keys: NormalizedAlert[]) {
  // FOR UPDATE: a concurrent lifecycle move waits, or is seen, never overwritten.
  return tx.query<Row>(
    `WITH occurrences AS (
       SELECT DISTINCT ON (fingerprint) fingerprint, incident_id, status, starts_at
         FROM alerts WHERE fingerprint = ANY($1::text[]) ORDER BY fingerprint, starts_at DESC),
     latest AS (
       SELECT k.tenant, k.project, k.grouping_key, l.id
         FROM unnest($2::text[], $3::text[], $4::text[]) AS k (tenant, project, grouping_key)
         CROSS JOIN LATERAL (
           SELECT id FROM incidents i
            WHERE i.grouping_key = k.grouping_key AND i.tenant = k.tenant AND i.project = k.project
            ORDER BY i.opened_at DESC, i.id DESC LIMIT 1) l),
     locked AS (
       SELECT ${INCIDENT_COLUMNS} FROM incidents
        WHERE id IN (SELECT incident_id FROM occurrences UNION SELECT id FROM latest)
        ORDER BY id FOR UPDATE)
     SELECT 'occurrence' AS row_kind, fingerprint, incident_id AS id, status, starts_at, NULL AS tenant, NULL AS project,
            NULL AS grouping_key, NULL::jsonb AS incident
       FROM occurrences
     UNION ALL
     SELECT 'latest', NULL, id, NULL, NULL, tenant, project, grouping_key, NULL FROM latest
     UNION ALL
     SELECT 'incident', NULL, id, NULL, NULL, NULL, NULL, NULL, to_jsonb(locked) FROM locked`,
    [fingerprints, keys.map((a) => a.tenant), keys.map((a) => a.project), keys.map((a) => a.groupingKey)]
  );
}

function readIntakeRows(
  state: {
    occurrences: Map<string, StoredOccurrence>;
    incidents: Map<string, IncidentRecord>;
    latestByKey: Map<string, string>;
  },
  { rows }: { rows: Row[] }
) {
  for (const row of rows) {
    if (row.row_kind === 'occurrence') {
      state.occurrences.set(String(row.fingerprint), {
        incident_id: String(row.id),
        status: row.status === 'resolved' ? 'resolved' : 'firing',
        starts_at: date(row.starts_at),
      });
    } else if (row.row_kind === 'latest') {
      state.latestByKey.set(
        scopeKeyOf({ tenant: String(row.tenant), project: String(row.project), groupingKey: String(row.grouping_key) }),
        String(row.id)
      );
    } else {
      const incident = incidentFrom(row.incident as Row);
      state.incidents.set(incident.id, incident);
    }
  }
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
  annotations jsonb, starts_at timestamptz, ends_at timestamptz, generator_url text, silence_url text, signal_key text, runbook_ids jsonb,
  missing_runbook boolean, correlation_ids jsonb, first_received_at timestamptz, last_received_at timestamptz,
  delivery_correlation_id text)`;

const TIMELINE_RECORDSET =
  'r (id text, incident_id text, at timestamptz, kind text, actor text, summary text, data jsonb, correlation_id text)';

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
  'silence_url',
  'signal_key',
  'runbook_ids',
  'missing_runbook',
  'correlation_ids',
  'last_received_at',
  'delivery_correlation_id',
];

/**
 * Each sender's row is sharded by connection (migration 0016): payloads of one sender on different
 * connections no longer queue on one row lock until COMMIT. Readers aggregate the shards.
 */
const INTAKE_STATE_SHARD = 'pg_backend_pid() % 16';

interface PlanPart {
  name: string;
  rows: unknown[];
  /** Row → its JSON for jsonb_to_recordset, applied per statement (10,000 rows at once stalled the loop). */
  json: (row: never) => unknown;
  sql: (placeholder: string) => string;
}

/** What a plan writes, table by table, in an order that satisfies the foreign keys (incidents first). */
function planParts(plan: IntakePlan): PlanPart[] {
  return [
    {
      name: 'incident_inserts',
      rows: plan.incidentInserts,
      json: incidentJson,
      sql: (p) =>
        `INSERT INTO incidents (${INCIDENT_COLUMNS}) SELECT ${INCIDENT_COLUMNS} FROM jsonb_to_recordset(${p}) AS ${INCIDENT_RECORDSET}`,
    },
    {
      name: 'incident_updates',
      rows: plan.incidentUpdates,
      json: incidentJson,
      sql: (p) =>
        `UPDATE incidents AS i SET ${INCIDENT_MUTABLE.map((c) => `${c} = r.${c}`).join(', ')} FROM jsonb_to_recordset(${p}) AS ${INCIDENT_RECORDSET} WHERE i.id = r.id`,
    },
    {
      name: 'alert_inserts',
      rows: plan.alertInserts,
      json: alertJson,
      sql: (p) =>
        `INSERT INTO alerts (${ALERT_COLUMNS}) SELECT ${ALERT_COLUMNS} FROM jsonb_to_recordset(${p}) AS ${ALERT_RECORDSET}`,
    },
    {
      name: 'alert_updates',
      rows: plan.alertUpdates,
      json: alertJson,
      sql: (p) => `UPDATE alerts AS a SET ${ALERT_MUTABLE.map((c) => `${c} = r.${c}`).join(', ')}
             FROM jsonb_to_recordset(${p}) AS ${ALERT_RECORDSET} WHERE a.incident_id = r.incident_id AND a.fingerprint = r.fingerprint`,
    },
    {
      name: 'timeline_inserts',
      rows: plan.timeline,
      json: (entry: TimelineRecord) => ({ ...entry, at: entry.at.toISOString() }),
      sql: (p) => `INSERT INTO incident_timeline (id, incident_id, at, kind, actor, summary, data, correlation_id)
             SELECT id, incident_id, at, kind, actor, summary, data, correlation_id FROM jsonb_to_recordset(${p}) AS ${TIMELINE_RECORDSET}`,
    },
  ];
}

/** The parts cut into statements of at most `chunkRows` rows each, in order. */
function statementsOf(parts: PlanPart[], chunkRows: number): PlanPart[][] {
  const statements: PlanPart[][] = [[]];
  let rowsInStatement = 0;
  for (const part of parts) {
    for (const rows of chunksOf(part.rows, chunkRows)) {
      if (rowsInStatement > 0 && rowsInStatement + rows.length > chunkRows) {
        statements.push([]);
        rowsInStatement = 0;
      }
      statements[statements.length - 1].push({ ...part, name: `${part.name}_${statements.length}`, rows });
      rowsInStatement += rows.length;
    }
  }
  return statements;
}

/**
 * Writes a plan and notes the sender as heard from. Each statement is set-based (data-modifying CTEs,
 * one per table), so a payload of up to `chunkRows` rows costs one round trip whatever its shape; a
 * bigger plan is written in statements of at most `chunkRows` rows with a turn of the event loop
 * between them (issue 17 item 7), all in the caller's transaction, so the payload stays all-or-nothing.
 * Foreign keys are checked at the end of each statement; incidents are written before their alerts.
 */
export async function writeIntakePlan(
  tx: Sql,
  plan: IntakePlan,
  heard: { source: AlertSource; at: Date },
  chunkRows = 1_000
): Promise<void> {
  const statements = statementsOf(planParts(plan), chunkRows);
  for (let i = 0; i < statements.length; i += 1) {
    if (i > 0) {
      await yieldToEventLoop();
    }
    const last = i === statements.length - 1;
    const params: unknown[] = last ? [heard.source, heard.at.toISOString()] : [];
    const ctes = statements[i].map((part) => {
      params.push(JSON.stringify(part.rows.map((row) => part.json(row as never))));
      return `${part.name} AS (${part.sql(`$${params.length}::jsonb`)})`;
    });
    const finalStatement = last
      ? `INSERT INTO intake_state (source, shard, last_received_at, payloads) VALUES ($1, ${INTAKE_STATE_SHARD}, $2, 1)
     ON CONFLICT (source, shard) DO UPDATE SET last_received_at = GREATEST(intake_state.last_received_at, EXCLUDED.last_received_at),
       payloads = intake_state.payloads + 1`
      : 'SELECT 1';
    await tx.query(`${ctes.length > 0 ? `WITH ${ctes.join(',\n')}\n` : ''}${finalStatement}`, params);
  }
}

/** Counts a payload's firing heartbeats for its sender (the row exists: writeIntakePlan upserted it). */
export async function noteHeartbeats(tx: Sql, source: string, at: Date, beats: number): Promise<void> {
  if (beats === 0) {
    return;
  }
  await tx.query(
    `UPDATE intake_state SET last_heartbeat_at = GREATEST(last_heartbeat_at, $2::timestamptz), heartbeats = heartbeats + $3
      WHERE source = $1 AND shard = ${INTAKE_STATE_SHARD}`,
    [source, at.toISOString(), beats]
  );
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

// ---------- incident routes ----------

export async function findIncident(
  sql: Sql,
  id: string,
  scope: RequestScope | null,
  options: { forUpdate?: boolean } = {}
) {
  const params: unknown[] = [id];
  const where = scopeCondition(scope, params);
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
  const where = [scopeCondition(scope, params)];
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
  addDetailFilters(query, add);
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

/**
 * The list's finer filters. IDs held in JSONB arrays use containment (the GIN index serves
 * correlation IDs); `q` uses strpos over lower-cased text rather than LIKE, so `%` and `_` typed by a
 * user are literal characters and need no escaping.
 */
function addDetailFilters(query: IncidentListQuery, add: (condition: (p: string) => string, value: unknown) => void) {
  if (query.resource_name) {
    add((p) => `resource_name = ${p}`, query.resource_name);
  }
  if (query.host_role) {
    add((p) => `host_role = ${p}`, query.host_role);
  }
  if (query.assignee) {
    add((p) => `assignee = ${p}`, query.assignee);
  }
  if (query.trace_id) {
    add((p) => `trace_ids @> jsonb_build_array(${p}::text)`, query.trace_id);
  }
  if (query.correlation_id) {
    add((p) => `correlation_ids @> jsonb_build_array(${p}::text)`, query.correlation_id);
  }
  if (query.from) {
    // Active at some point at or after `from`: still open, or resolved at/after it.
    add((p) => `(resolved_at IS NULL OR resolved_at >= ${p}::timestamptz)`, query.from);
  }
  if (query.to) {
    add((p) => `opened_at <= ${p}::timestamptz`, query.to);
  }
  if (query.q) {
    add(
      (p) => `(strpos(lower(title || ' ' || id || ' ' || grouping_key || ' ' || coalesce(resource_name, '') || ' ' ||
                 correlation_ids::text || ' ' || trace_ids::text), lower(${p})) > 0
            OR EXISTS (SELECT 1 FROM alerts a, jsonb_each_text(a.labels) AS l (name, value)
                        WHERE a.incident_id = incidents.id
                          AND strpos(lower(l.name || '=' || l.value), lower(${p})) > 0))`,
      query.q
    );
  }
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
    [
      incident.id,
      incident.status,
      iso(incident.acknowledged_at),
      iso(incident.resolved_at),
      iso(incident.closed_at),
      iso(incident.updated_at),
    ]
  );
}

/** Records activity on an incident (a note, a runbook opened) without changing its status. */
export async function touchIncident(tx: Sql, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE incidents SET updated_at = GREATEST(updated_at, $2) WHERE id = $1', [id, at.toISOString()]);
}
