/**
 * Keeps an incident's `next_escalation_at` right after every change that moves its clocks (acknowledge,
 * severity, transitions), so that the escalation worker finds due incidents with one index scan.
 */
import type { Catalog } from '../../catalog/model';
import type { IncidentRecord } from '../incidents/model';
import type { Row, Sql } from '../store';
import { escalationAt, type EscalationState, type ResponseFacts } from './clocks';
import { chainWaits, factsOf, responsesOf } from './response';

/** Labels and annotations of each alert of the incident (impact and security triggers read them). */
export async function signalsOf(sql: Sql, incidentId: string): Promise<ResponseFacts['signals']> {
  const { rows } = await sql.query<Row>('SELECT labels, annotations FROM alerts WHERE incident_id = $1', [incidentId]);
  return rows.map((row) => ({
    ...(row.annotations as Record<string, string>),
    ...(row.labels as Record<string, string>),
  }));
}

/** signalsOf for several incidents in one query. */
export async function signalsByIncident(
  sql: Sql,
  ids: readonly string[]
): Promise<Map<string, Array<Record<string, string>>>> {
  const out = new Map<string, Array<Record<string, string>>>();
  if (ids.length === 0) {
    return out;
  }
  const { rows } = await sql.query<Row>(
    'SELECT incident_id, labels, annotations FROM alerts WHERE incident_id = ANY($1::text[])',
    [ids]
  );
  for (const row of rows) {
    const list = out.get(String(row.incident_id)) ?? [];
    list.push({ ...(row.annotations as Record<string, string>), ...(row.labels as Record<string, string>) });
    out.set(String(row.incident_id), list);
  }
  return out;
}

/** Where the incident's escalation stands at `now` with every fact (alerts included). */
export async function escalationOf(
  sql: Sql,
  catalog: Catalog,
  incident: IncidentRecord,
  now: Date
): Promise<EscalationState> {
  const response = (await responsesOf(sql, [incident.id])).get(incident.id)!;
  const facts = factsOf(incident, response, await signalsOf(sql, incident.id));
  return escalationAt(catalog.responsePolicy, chainWaits(catalog, incident.owner_team), facts, now);
}

/**
 * Writes when the worker must next look at the incident: now when a level above the paged one is
 * already due, else the next step, null when nothing is pending (resolved, top of the chain).
 */
export async function refreshEscalation(
  tx: Sql,
  catalog: Catalog,
  incident: IncidentRecord,
  now: Date
): Promise<Date | null> {
  const response = (await responsesOf(tx, [incident.id])).get(incident.id)!;
  const state = await escalationOf(tx, catalog, incident, now);
  const next = state.level > response.escalation_level ? now : state.next_at;
  await tx.query('UPDATE incidents SET next_escalation_at = $2 WHERE id = $1', [
    incident.id,
    next ? next.toISOString() : null,
  ]);
  return next;
}

/** The earliest escalation still to come (null: none pending), so the worker can wake up right then. */
export async function nextEscalationDue(sql: Sql): Promise<Date | null> {
  const { rows } = await sql.query<Row>(
    'SELECT min(next_escalation_at) AS due FROM incidents WHERE is_open AND next_escalation_at IS NOT NULL'
  );
  return rows[0]?.due ? new Date(rows[0].due as string) : null;
}
