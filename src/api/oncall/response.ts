/**
 * The on-call columns of an incident row (0007) and the `response` object built from them, the
 * catalog's policy and chain, and the app clock.
 */
import type { Catalog } from '../../catalog/model';
import { durationSeconds, type IncidentResponse } from '../../contract/oncall';
import type { IncidentRecord } from '../incidents/model';
import { scopeCondition } from '../access/scope';
import { INCIDENT_COLUMNS, incidentFrom } from '../incidents/repository';
import type { RequestScope } from '../access/identity';
import type { Row, Sql } from '../store';
import { breachCutoff, clocksOf, clockStatus, escalationAt, type ResponseFacts } from './clocks';
import { Severity } from '../../contract/common';

export interface ResponseRow {
  id: string;
  acknowledged_by: string | null;
  responded_at: Date | null;
  responded_by: string | null;
  assignee: string | null;
  commander: string | null;
  escalation_level: number;
  next_escalation_at: Date | null;
  /** 1 when opened, +1 on every reopen of a resolved or closed incident (a reopen is a new page). */
  occurrence: number;
  /** When the running occurrence began (null for the first: the opening). The clocks run from it. */
  occurrence_at: Date | null;
}

export const EMPTY_RESPONSE = (id: string): ResponseRow => ({
  id,
  acknowledged_by: null,
  responded_at: null,
  responded_by: null,
  assignee: null,
  commander: null,
  escalation_level: 1,
  next_escalation_at: null,
  occurrence: 1,
  occurrence_at: null,
});

const dateOrNull = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

export function responseRowFrom(row: Row): ResponseRow {
  return {
    id: String(row.id),
    acknowledged_by: textOrNull(row.acknowledged_by),
    responded_at: dateOrNull(row.responded_at),
    responded_by: textOrNull(row.responded_by),
    assignee: textOrNull(row.assignee),
    commander: textOrNull(row.commander),
    escalation_level: Number(row.escalation_level ?? 1),
    next_escalation_at: dateOrNull(row.next_escalation_at),
    occurrence: Number(row.occurrence ?? 1),
    occurrence_at: dateOrNull(row.occurrence_at),
  };
}

export const RESPONSE_COLUMNS =
  'id, acknowledged_by, responded_at, responded_by, assignee, commander, escalation_level, next_escalation_at, occurrence, occurrence_at';

/** Where the incident's clocks start: its opening, or the start of its running occurrence. */
export const clockStart = (incident: IncidentRecord, response: ResponseRow) =>
  response.occurrence_at ?? incident.opened_at;

/** The on-call columns of several incidents (one query for a page of a list). */
export async function responsesOf(sql: Sql, ids: readonly string[]): Promise<Map<string, ResponseRow>> {
  if (ids.length === 0) {
    return new Map();
  }
  const { rows } = await sql.query<Row>(`SELECT ${RESPONSE_COLUMNS} FROM incidents WHERE id = ANY($1::text[])`, [ids]);
  return new Map(rows.map((row) => [String(row.id), responseRowFrom(row)]));
}

/** Several incidents by id, whatever their scope (the worker's batch read). */
export async function incidentsByIds(sql: Sql, ids: readonly string[]): Promise<Map<string, IncidentRecord>> {
  if (ids.length === 0) {
    return new Map();
  }
  const { rows } = await sql.query<Row>(`SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = ANY($1::text[])`, [ids]);
  return new Map(rows.map((row) => [String(row.id), incidentFrom(row)]));
}

/** Seconds each level of the owner team's chain waits; [] when the team has none. */
export function chainWaits(catalog: Catalog, team: string | null): number[] {
  const config = team ? catalog.oncall?.teams[team] : undefined;
  return config ? config.escalation.map((level) => durationSeconds(level.wait)) : [];
}

export function factsOf(
  incident: IncidentRecord,
  response: ResponseRow,
  signals: ResponseFacts['signals'] = []
): ResponseFacts {
  return {
    severity: incident.severity,
    opened_at: clockStart(incident, response),
    is_open: incident.status !== 'resolved' && incident.status !== 'closed',
    acknowledged_at: incident.acknowledged_at,
    responded_at: response.responded_at,
    escalation_level: response.escalation_level,
    signals,
  };
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * The response object. `escalation_level` is the level actually paged (stored); `next_escalation_at`
 * is the next step the policy calls for above it, which the escalation worker acts on (it may be a
 * moment in the past while the worker catches up).
 */
export function presentResponse(
  catalog: Catalog,
  incident: IncidentRecord,
  response: ResponseRow,
  now: Date
): IncidentResponse {
  const start = clockStart(incident, response);
  const clocks = clocksOf(catalog.responsePolicy, incident.severity, start);
  const facts = factsOf(incident, response);
  // Evaluated just before the opening: every step is "next", the first one above the stored level wins.
  const pending = escalationAt(
    catalog.responsePolicy,
    chainWaits(catalog, incident.owner_team),
    facts,
    new Date(start.getTime() - 1)
  );
  return {
    ack_due_at: iso(clocks.ack_due_at),
    ack_status: clockStatus(clocks.ack_due_at, incident.acknowledged_at, now),
    acknowledged_at: iso(incident.acknowledged_at),
    acknowledged_by: response.acknowledged_by,
    response_due_at: iso(clocks.response_due_at),
    response_status: clockStatus(clocks.response_due_at, response.responded_at, now),
    responded_at: iso(response.responded_at),
    responded_by: response.responded_by,
    escalate_due_at: iso(clocks.escalate_due_at),
    escalation_level: response.escalation_level,
    next_escalation_at: iso(pending.next_at),
    next_escalation_level: pending.next_level,
    assignee: response.assignee,
    commander: response.commander,
  };
}

// ---------- ordering by breached clocks (the ops page's Action required) ----------

/** Where an incident's clocks start: its opening, or its latest reopening (a reopen is a new page). */
export const CLOCK_START_SQL = 'COALESCE(occurrence_at, opened_at)';

/** Per severity, the acknowledge and initial-response cutoffs at `now` (see clocks.ts breachCutoff), as a query parameter. */
export function breachCutoffs(catalog: Catalog, now: Date): string {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const policy = catalog.responsePolicy;
  return JSON.stringify(
    Object.fromEntries(
      Severity.options.map((severity) => [
        severity,
        {
          ack: iso(breachCutoff(policy, severity, 'acknowledge', now)),
          response: iso(breachCutoff(policy, severity, 'initial_response', now)),
        },
      ])
    )
  );
}

const cutoffOf = (param: string, clock: 'ack' | 'response') =>
  `(${param}::jsonb -> severity::text ->> '${clock}')::timestamptz`;
const notDone = (column: string) => `(${column} IS NULL OR ${column} < ${CLOCK_START_SQL})`;

/**
 * SQL, true when the row's acknowledge or initial-response clock is past due and still not done (since
 * the clock started). `param` is the placeholder of breachCutoffs().
 */
export function breachedSql(param: string): string {
  return (
    `(COALESCE(${notDone('acknowledged_at')} AND ${CLOCK_START_SQL} < ${cutoffOf(param, 'ack')}, FALSE) OR ` +
    `COALESCE(${notDone('responded_at')} AND ${CLOCK_START_SQL} < ${cutoffOf(param, 'response')}, FALSE))`
  );
}

/**
 * The next moment an open incident of the scope crosses into breach (its clock falls due), or null:
 * until then an ordering by breach read now stays exact.
 */
export async function readNextBreach(
  sql: Sql,
  catalog: Catalog,
  scope: RequestScope | null,
  now: Date
): Promise<Date | null> {
  const params: unknown[] = [breachCutoffs(catalog, now)];
  const where = scopeCondition(scope, params);
  const { rows } = await sql.query<Row>(
    `SELECT severity::text AS severity,
            min(${CLOCK_START_SQL}) FILTER (WHERE ${notDone('acknowledged_at')} AND ${CLOCK_START_SQL} >= ${cutoffOf('$1', 'ack')}) AS ack,
            min(${CLOCK_START_SQL}) FILTER (WHERE ${notDone('responded_at')} AND ${CLOCK_START_SQL} >= ${cutoffOf('$1', 'response')}) AS response
       FROM incidents WHERE is_open AND ${where} GROUP BY severity`,
    params
  );
  let next: number | null = null;
  for (const row of rows) {
    const severity = Severity.parse(row.severity);
    const dues = [
      row.ack ? clocksOf(catalog.responsePolicy, severity, new Date(row.ack as string)).ack_due_at : null,
      row.response
        ? clocksOf(catalog.responsePolicy, severity, new Date(row.response as string)).response_due_at
        : null,
    ];
    for (const due of dues) {
      if (due && (next === null || due.getTime() < next)) {
        next = due.getTime();
      }
    }
  }
  return next === null ? null : new Date(next);
}
