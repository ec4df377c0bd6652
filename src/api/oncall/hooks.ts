/**
 * The pages that changes cause, written inside the transaction of the change: an incident opened
 * (level 1), acknowledged, resolved. Escalations are written by the worker (worker.ts).
 */
import type { Catalog } from '../../catalog/model';
import type { IncidentRecord, TimelineRecord } from '../incidents/model';
import { forEachChunk, type Sql } from '../store';
import type { PageEvent, StatusUpdateNotice } from './channels';
import { escalationAt } from './clocks';
import { signalsByIncident } from './escalation-store';
import { enqueuePages, enqueueStatusUpdate, insertPages, pagesOf, pageSpecsCache } from './outbox';
import { chainWaits, EMPTY_RESPONSE, factsOf, incidentsByIds, responsesOf } from './response';

/**
 * Level-1 pages of incidents a change just opened, and their escalation clocks, set-based (issue 17
 * item 7): per chunk of `chunkSize` incidents one INSERT of the pages, two reads (response columns,
 * alerts' labels) and one UPDATE of `next_escalation_at`, whatever the chunk's size — as the
 * escalation worker does (escalation-batch.ts). One incident at a time this was five statements per
 * incident: a payload opening 10,000 incidents ran 50,000 statements, on the embedded store all of them
 * synchronously in this thread. The event loop gets a turn between chunks. Same transaction as the
 * change (the outbox rule, issue 11): a page is never lost, and its delivery key keeps it written once.
 */
export async function pageOpenedIncidents(
  tx: Sql,
  catalog: Catalog,
  opened: readonly IncidentRecord[],
  now: Date,
  chunkSize = DEFAULT_CHUNK
) {
  if (!catalog.oncall) {
    return;
  }
  const page = levelOnePager(tx, catalog, now);
  await forEachChunk(opened, chunkSize, (chunk) => page(chunk, (incident) => incident.opened_at));
}

/** Incidents paged per chunk when the caller does not say (the intake passes its own chunk size). */
const DEFAULT_CHUNK = 250;

/**
 * Pages level 1 of a chunk of incidents in one INSERT (due at `dueAt` of each), then refreshes their
 * escalation clocks. The page specs are resolved once per (team, event, level) for all chunks.
 */
function levelOnePager(tx: Sql, catalog: Catalog, now: Date) {
  const specsFor = pageSpecsCache(catalog, now);
  return async (incidents: readonly IncidentRecord[], dueAt: (incident: IncidentRecord) => Date) => {
    const pages = incidents.flatMap((incident) =>
      pagesOf(catalog, incident, 'opened', 1, now, dueAt(incident), specsFor(incident, 'opened', 1))
    );
    await insertPages(tx, pages, now);
    await refreshEscalations(tx, catalog, incidents, now);
  };
}

/**
 * refreshEscalation (escalation-store.ts) for many incidents in three statements: when a level above
 * the paged one is already due, now; else the next step; null when nothing is pending.
 */
async function refreshEscalations(tx: Sql, catalog: Catalog, incidents: readonly IncidentRecord[], now: Date) {
  const ids = incidents.map((incident) => incident.id);
  const responses = await responsesOf(tx, ids);
  const signals = await signalsByIncident(tx, ids);
  const updates = incidents.map((incident) => {
    const response = responses.get(incident.id) ?? EMPTY_RESPONSE(incident.id);
    const facts = factsOf(incident, response, signals.get(incident.id) ?? []);
    const state = escalationAt(catalog.responsePolicy, chainWaits(catalog, incident.owner_team), facts, now);
    const next = state.level > response.escalation_level ? now : state.next_at;
    return { id: incident.id, next: next ? next.toISOString() : null };
  });
  await tx.query(
    `UPDATE incidents i SET next_escalation_at = u.next
       FROM jsonb_to_recordset($1::jsonb) AS u(id text, next timestamptz)
      WHERE i.id = u.id`,
    [JSON.stringify(updates)]
  );
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
export async function pageReopenedIncidents(
  tx: Sql,
  catalog: Catalog,
  ids: readonly string[],
  now: Date,
  chunkSize = DEFAULT_CHUNK
) {
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
  const page = levelOnePager(tx, catalog, now);
  await forEachChunk(ids, chunkSize, async (chunk) => page([...(await incidentsByIds(tx, chunk)).values()], () => now));
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
