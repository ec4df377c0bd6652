/**
 * Incidents as the API reads and changes them: the list and the detail page (with their on-call
 * response), lifecycle transitions, notes and operator activity. Every change writes its timeline entry
 * and one audit row in the same transaction. Takes plain values (store, caller, catalog), never a request.
 */
import type { Catalog } from '../../catalog/model';
import type {
  IncidentDetail,
  IncidentListQuery,
  TimelineEventRequest,
  TransitionRequest,
} from '../../contract/incidents';
import { appendAudit } from '../audit/append';
import type { ActorAt } from '../access/actor';
import { ApiError, badRequest, conflict, notFound } from '../errors';
import { refreshEscalation } from '../oncall/escalation-store';
import { pageReopenedIncidents, pageUpdate, startsOccurrence } from '../oncall/hooks';
import { presentResponse, responsesOf } from '../oncall/response';
import { assertClosable } from '../postmortems/service';
import type { Sql, Store } from '../store';
import { checkTransition, lifecycleTimes } from './lifecycle';
import type { IncidentRecord, TimelineRecord } from './model';
import { incidentDetail, incidentSummary, timelineEntry, type PresentContext } from './present';
import {
  alertsOf,
  findIncident,
  insertTimeline,
  listIncidents,
  newIdAt,
  timelineOf,
  touchIncident,
  updateLifecycle,
} from './repository';
import { markResponded } from './response-repository';

/** What incident reads and changes work with, besides the caller. */
export interface IncidentWorld extends PresentContext {
  store: Store;
  catalog: Catalog;
}

/** The incident in the caller's scope, or 404 (locked FOR UPDATE when asked). */
export async function mustFindIncident(sql: Sql, caller: ActorAt, id: string, forUpdate = false) {
  const incident = await findIncident(sql, id, caller.scope, { forUpdate });
  if (!incident) {
    throw notFound('incident_not_found', `no incident ${id} in this project`, { incident_id: id });
  }
  return incident;
}

/** The incident page: alerts, timeline, links, and its on-call response. */
export async function detailOf(
  world: IncidentWorld,
  sql: Sql,
  incident: IncidentRecord,
  now: Date
): Promise<IncidentDetail> {
  const detail = incidentDetail(world, incident, await alertsOf(sql, incident.id), await timelineOf(sql, incident.id));
  const response = (await responsesOf(sql, [incident.id])).get(incident.id);
  return response ? { ...detail, response: presentResponse(world.catalog, incident, response, now) } : detail;
}

export async function incidentPage(world: IncidentWorld, caller: ActorAt, query: IncidentListQuery) {
  const page = await listIncidents(world.store, caller.scope, query);
  const responses = await responsesOf(
    world.store,
    page.items.map((incident) => incident.id)
  );
  const items = page.items.map((incident) => {
    const response = responses.get(incident.id);
    const summary = incidentSummary(world, incident);
    return response
      ? { ...summary, response: presentResponse(world.catalog, incident, response, caller.now) }
      : summary;
  });
  return { items, next_cursor: page.next_cursor };
}

export async function getIncident(world: IncidentWorld, caller: ActorAt, id: string) {
  return detailOf(world, world.store, await mustFindIncident(world.store, caller, id), caller.now);
}

/**
 * A person's first status update (a note) or state move is the initial response; a state move also
 * acknowledges when nobody has (see lifecycleTimes). Both remember who.
 */
async function recordResponse(tx: Sql, catalog: Catalog, incident: IncidentRecord, user: string, now: Date) {
  await markResponded(tx, incident.id, user, now);
  const current = await findIncident(tx, incident.id, { kind: 'all' });
  if (current) {
    await refreshEscalation(tx, catalog, current, now);
  }
}

/** Moves an incident through its lifecycle (closing needs a note, and a postmortem where policy says so). */
export async function transitionIncident(world: IncidentWorld, caller: ActorAt, id: string, body: TransitionRequest) {
  const { now } = caller;
  const { to, note } = body;
  return world.store.transaction(async (tx) => {
    const incident = await mustFindIncident(tx, caller, id, true);
    const check = checkTransition(incident.status, to, note);
    if (!check.ok) {
      if (to === 'closed' && incident.status === 'resolved') {
        throw badRequest(check.reason, { field: 'note' });
      }
      throw conflict('invalid_transition', check.reason, { from: incident.status, to });
    }
    if (to === 'closed') {
      await assertClosable(tx, world.catalog.postmortemPolicy, incident);
    }
    const from = incident.status;
    const moved: IncidentRecord = {
      ...incident,
      ...lifecycleTimes(incident, to, now, true),
      status: to,
      updated_at: now,
    };
    await updateLifecycle(tx, moved);
    await recordResponse(tx, world.catalog, moved, caller.user, now);
    if (startsOccurrence(incident.status, to)) {
      // A reopen of a finished incident is a new page (oncall/hooks.ts).
      await pageReopenedIncidents(tx, world.catalog, [incident.id], now);
    } else if (to === 'resolved' || (incident.acknowledged_at === null && moved.acknowledged_at !== null)) {
      await pageUpdate(tx, world.catalog, moved, to === 'resolved' ? 'resolved' : 'acknowledged', now);
    }
    await insertTimeline(tx, [
      {
        id: newIdAt(now),
        incident_id: incident.id,
        at: now,
        kind: 'state_changed',
        actor: caller.user,
        summary: `${from} → ${to}${note ? `: ${note}` : ''}`,
        data: { from, to, note: note ?? null, automatic: false },
        correlation_id: caller.audit.correlation_id,
      },
    ]);
    const detail = await detailOf(world, tx, (await findIncident(tx, moved.id, { kind: 'all' })) ?? moved, now);
    await appendAudit(
      tx,
      caller.audit,
      {
        action: 'incident.transition',
        target_type: 'incident',
        target_id: incident.id,
        before: { status: from },
        after: { status: to, note: note ?? null },
      },
      now
    );
    return detail;
  });
}

export type ActivityEntry = Omit<TimelineRecord, 'id' | 'incident_id' | 'at' | 'actor' | 'correlation_id'>;

/** One timeline entry by the caller (a note is also a status update: the initial response). */
export async function recordActivity(
  world: IncidentWorld,
  caller: ActorAt,
  incidentId: string,
  entry: ActivityEntry,
  action: string,
  isStatusUpdate = false
) {
  const { now } = caller;
  return world.store.transaction(async (tx) => {
    const incident = await mustFindIncident(tx, caller, incidentId, true);
    const record: TimelineRecord = {
      ...entry,
      id: newIdAt(now),
      incident_id: incident.id,
      at: now,
      actor: caller.user,
      correlation_id: caller.audit.correlation_id,
    };
    await insertTimeline(tx, [record]);
    await touchIncident(tx, incident.id, now);
    if (isStatusUpdate) {
      await recordResponse(tx, world.catalog, incident, caller.user, now);
    }
    await appendAudit(
      tx,
      caller.audit,
      {
        action,
        target_type: 'incident',
        target_id: incident.id,
        after: { timeline_id: record.id, kind: record.kind, ...record.data },
      },
      now
    );
    return timelineEntry(record);
  });
}

/** What an operator-activity event records: resolved against the catalog (404 for an unknown id). */
export function activityOf(catalog: Catalog, event: TimelineEventRequest): ActivityEntry {
  if (event.kind === 'saved_query_opened') {
    const query = catalog.queries.get(event.query_id);
    if (!query) {
      throw notFound('query_not_found', `no saved query ${event.query_id} in the catalog`, {
        query_id: event.query_id,
      });
    }
    return { kind: event.kind, summary: `Opened saved query ${query.id}`, data: { query_id: query.id } };
  }
  const runbook = catalog.runbooks.get(event.runbook_id);
  if (!runbook) {
    throw notFound('runbook_not_found', `no runbook ${event.runbook_id} in the catalog`, {
      runbook_id: event.runbook_id,
    });
  }
  if (event.kind === 'runbook_opened') {
    return { kind: event.kind, summary: `Opened runbook ${runbook.id}`, data: { runbook_id: runbook.id } };
  }
  const step = catalog.documents.get(runbook.id)?.checklist.find((item) => item.id === event.step_id);
  if (!step) {
    throw new ApiError(400, 'invalid_request', `runbook ${runbook.id} has no checklist step ${event.step_id}`, {
      runbook_id: runbook.id,
      step_id: event.step_id,
    });
  }
  return {
    kind: event.kind,
    summary: `${event.done ? 'Done' : 'Undone'}: ${step.text}`,
    data: { runbook_id: runbook.id, step_id: step.id, section: step.section, done: event.done },
  };
}
