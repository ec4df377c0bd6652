/**
 * Set-based escalation (issue 11.3): one batch of due incidents costs four statements whatever its
 * size — one read that locks the batch with every fact the rules need (FOR UPDATE SKIP LOCKED, so
 * several processes share the work), one UPDATE of every level and next due time, one INSERT of the
 * `escalated` timeline entries and one INSERT of the pages, written already leased to this worker.
 *
 * The rules themselves stay in one pure function (clocks.ts `escalationAt`): business days in an IANA
 * zone and label/annotation triggers do not belong in a second, SQL copy that could drift from it.
 */
import type { Catalog } from '../../catalog/model';
import type { IncidentRecord, TimelineRecord } from '../incidents/model';
import { INCIDENT_COLUMNS, incidentFrom, insertTimeline, newIdAt } from '../incidents/repository';
import type { Row, Sql } from '../store';
import { escalationAt, type EscalationStep } from './clocks';
import { insertPages, pagesOf, pageSpecsCache, type NewPage, type OutboxRow } from './outbox';
import { chainWaits, factsOf, RESPONSE_COLUMNS, responseRowFrom, type ResponseRow } from './response';

export interface EscalationBatch {
  /** Incidents looked at (a full batch means there may be more). */
  seen: number;
  /** Incidents whose level rose. */
  escalated: number;
  /** Every level reached, for the escalation metric. */
  steps: Array<{ severity: IncidentRecord['severity']; level: number }>;
  /** The new pages, leased to the caller. */
  pages: OutboxRow[];
  /** The batch's incidents and their response rows after the escalation (for rendering the pages). */
  incidents: Map<string, IncidentRecord>;
  responses: Map<string, ResponseRow>;
}

interface Due {
  incident: IncidentRecord;
  response: ResponseRow;
  signals: Array<Record<string, string>>;
}

/** The due incidents, locked, with their response columns and the merged labels/annotations of their alerts. */
async function lockDue(tx: Sql, now: Date, limit: number): Promise<Due[]> {
  const { rows } = await tx.query<Row>(
    `SELECT ${INCIDENT_COLUMNS}, ${RESPONSE_COLUMNS},
            (SELECT COALESCE(jsonb_agg(a.annotations || a.labels), '[]'::jsonb) FROM alerts a WHERE a.incident_id = i.id) AS signals
       FROM incidents i
      WHERE is_open AND next_escalation_at <= $1
      ORDER BY next_escalation_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now.toISOString(), limit]
  );
  return rows.map((row) => ({
    incident: incidentFrom(row),
    response: responseRowFrom(row),
    signals: (row.signals as Array<Record<string, string>>) ?? [],
  }));
}

function escalationEntry(incident: IncidentRecord, step: EscalationStep, now: Date): TimelineRecord {
  return {
    id: newIdAt(now),
    incident_id: incident.id,
    at: now,
    kind: 'escalated',
    actor: 'system',
    summary: `Escalated to level ${step.level}: ${step.reason}`,
    data: { level: step.level, reason: step.reason, due_at: step.at.toISOString() },
    correlation_id: null,
  };
}

/** Escalates one batch of due incidents inside `tx`; see the file comment. */
export async function escalateBatch(
  tx: Sql,
  catalog: Catalog,
  now: Date,
  limit: number,
  claim: { owner: string; leaseUntil: Date }
): Promise<EscalationBatch> {
  const due = await lockDue(tx, now, limit);
  const specsFor = pageSpecsCache(catalog, now);
  const updates: Array<{ id: string; level: number; next: string | null }> = [];
  const entries: TimelineRecord[] = [];
  const newPages: NewPage[] = [];
  const batch: EscalationBatch = {
    seen: due.length,
    escalated: 0,
    steps: [],
    pages: [],
    incidents: new Map(),
    responses: new Map(),
  };
  for (const { incident, response, signals } of due) {
    const facts = factsOf(incident, response, signals);
    const state = escalationAt(catalog.responsePolicy, chainWaits(catalog, incident.owner_team), facts, now);
    for (const step of state.reasons) {
      entries.push(escalationEntry(incident, step, now));
      newPages.push(
        ...pagesOf(
          catalog,
          incident,
          'escalated',
          step.level,
          now,
          step.at,
          specsFor(incident, 'escalated', step.level)
        )
      );
      batch.steps.push({ severity: incident.severity, level: step.level });
    }
    batch.escalated += state.reasons.length > 0 ? 1 : 0;
    // state.next_at is the next step above the level just reached.
    updates.push({ id: incident.id, level: state.level, next: state.next_at?.toISOString() ?? null });
    batch.incidents.set(incident.id, incident);
    batch.responses.set(incident.id, { ...response, escalation_level: state.level });
  }
  if (updates.length > 0) {
    await tx.query(
      `UPDATE incidents i SET escalation_level = GREATEST(i.escalation_level, u.level), next_escalation_at = u.next
         FROM jsonb_to_recordset($1::jsonb) AS u(id text, level int, next timestamptz)
        WHERE i.id = u.id`,
      [JSON.stringify(updates)]
    );
  }
  await insertTimeline(tx, entries);
  batch.pages = await insertPages(tx, newPages, now, claim);
  return batch;
}
