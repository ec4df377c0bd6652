/**
 * The pages that changes cause, written inside the transaction of the change: an incident opened
 * (level 1), acknowledged, resolved. Escalations are written by the worker (worker.ts).
 */
import type { Catalog } from '../../catalog/model';
import type { IncidentRecord, TimelineRecord } from '../incidents/model';
import { yieldToEventLoop, type Sql } from '../store';
import type { PageEvent, StatusUpdateNotice } from './channels';
import { refreshEscalation } from './escalation-store';
import { enqueuePages, enqueueStatusUpdate } from './outbox';
import { incidentsByIds, responsesOf } from './response';

export async function pageOpenedIncidents(tx: Sql, catalog: Catalog, opened: readonly IncidentRecord[], now: Date) {
  if (!catalog.oncall) {
    return;
  }
  for (const [index, incident] of opened.entries()) {
    // A payload can open 10,000 incidents. On the embedded store every query completes synchronously,
    // so this loop would never let the event loop run (73 s without an answer in the bench): yield.
    if (index > 0 && index % 25 === 0) {
      await yieldToEventLoop();
    }
    await enqueuePages(tx, catalog, incident, 'opened', 1, now, incident.opened_at);
    await refreshEscalation(tx, catalog, incident, now);
  }
}

/** acknowledged / resolved: one update to every channel paged so far (levels 1 … current). */
export async function pageUpdate(
  tx: Sql,
  catalog: Catalog,
  incident: IncidentRecord,
  event: Extract<PageEvent, 'acknowledged' | 'resolved'>,
  now: Date
) {
  if (!catalog.oncall) {
    return;
  }
  const level = (await responsesOf(tx, [incident.id])).get(incident.id)?.escalation_level ?? 1;
  await enqueuePages(tx, catalog, incident, event, level, now);
}

/**
 * A resolved or closed incident that an alert (or a person) reopens is a new page, as Grafana OnCall
 * re-pages a re-fired alert group: a new occurrence starts now — its clocks restart, the chain starts
 * again at level 1, and its pages get delivery keys (and a PagerDuty dedup_key) of their own. The
 * acknowledgement and first response of the previous occurrence are cleared (they stay on the
 * timeline and in the audit log; MTTA then measures to the latest acknowledgement, as MTTR measures to
 * the latest resolution). A move out of `monitoring` is not a reopen of a finished incident: nothing
 * is re-paged.
 */
export async function pageReopenedIncidents(tx: Sql, catalog: Catalog, ids: readonly string[], now: Date) {
  if (ids.length === 0) {
    return;
  }
  await tx.query(
    `UPDATE incidents SET occurrence = occurrence + 1, occurrence_at = $2, acknowledged_at = NULL, acknowledged_by = NULL,
            responded_at = NULL, responded_by = NULL, escalation_level = 1
      WHERE id = ANY($1::text[])`,
    [ids, now.toISOString()]
  );
  if (!catalog.oncall) {
    return;
  }
  for (const incident of (await incidentsByIds(tx, ids)).values()) {
    await enqueuePages(tx, catalog, incident, 'opened', 1, now);
    await refreshEscalation(tx, catalog, incident, now);
  }
}

/** Whether a move starts a new occurrence (see pageReopenedIncidents). */
export const startsOccurrence = (from: string, to: string) =>
  to === 'reopened' && (from === 'resolved' || from === 'closed');

/** The incidents a batch of timeline entries reopened from resolved or closed (the intake's automatic moves). */
export function reopenedIn(entries: readonly TimelineRecord[]): string[] {
  return entries
    .filter((entry) => entry.kind === 'state_changed')
    .filter((entry) => startsOccurrence(String(entry.data?.from), String(entry.data?.to)))
    .map((entry) => entry.incident_id);
}

/** A status update, written in the transaction that posts it, to the owner team's Slack and webhook channels. */
export async function publishStatusUpdate(
  tx: Sql,
  catalog: Pick<Catalog, 'oncall'>,
  incident: IncidentRecord,
  update: StatusUpdateNotice,
  now: Date
) {
  if (!catalog.oncall) {
    return;
  }
  await enqueueStatusUpdate(tx, catalog, incident, update, now);
}
