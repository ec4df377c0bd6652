/**
 * The on-call response of an incident (issue 11): acknowledge, assign / take it, change the severity
 * with a reason; reclassify the signal (issue 12). Each writes its timeline entry and audit row in the same transaction as the change
 * (and, from the notification outbox on, the pages it causes).
 */
import type { AssignRequest, SeverityChangeRequest, SignalChangeRequest } from '../../contract/oncall';
import { appendAudit } from '../audit/append';
import type { ActorAt } from '../access/actor';
import { badRequest, conflict } from '../errors';
import { refreshEscalation } from '../oncall/escalation-store';
import { pageUpdate } from '../oncall/hooks';
import { responsesOf, type ResponseRow } from '../oncall/response';
import type { Sql } from '../store';
import type { IncidentRecord } from './model';
import { findIncident, insertTimeline, newIdAt } from './repository';
import { markAcknowledged, setAssignment, setIncidentSignal, setSeverity } from './response-repository';
import { detailOf, mustFindIncident, type IncidentWorld } from './service';

interface Change {
  kind: 'acknowledged' | 'assigned' | 'severity_changed' | 'signal_changed';
  summary: string;
  data: Record<string, unknown>;
  audit: { action: string; before: Record<string, unknown>; after: Record<string, unknown> };
}

type Decide = (tx: Sql, incident: IncidentRecord, response: ResponseRow, now: Date) => Promise<Change | null>;

/** Locks the incident, applies `decide` (which may answer "nothing to do"), records it; answers the page. */
function change(world: IncidentWorld, caller: ActorAt, id: string, decide: Decide) {
  const { now } = caller;
  return world.store.transaction(async (tx) => {
    const incident = await mustFindIncident(tx, caller, id, true);
    const response = (await responsesOf(tx, [incident.id])).get(incident.id)!;
    const done = await decide(tx, incident, response, now);
    const current = (await findIncident(tx, incident.id, { kind: 'all' }))!; // re-read after the change (already in scope)
    if (done) {
      await insertTimeline(tx, [
        {
          id: newIdAt(now),
          incident_id: incident.id,
          at: now,
          kind: done.kind,
          actor: caller.user,
          summary: done.summary,
          data: done.data,
          correlation_id: caller.audit.correlation_id,
        },
      ]);
      await refreshEscalation(tx, world.catalog, current, now);
      if (!incident.acknowledged_at && current.acknowledged_at) {
        await pageUpdate(tx, world.catalog, current, 'acknowledged', now);
      }
      await appendAudit(tx, caller.audit, { target_type: 'incident', target_id: incident.id, ...done.audit }, now);
    }
    return detailOf(world, tx, current, now);
  });
}

function mustBeOpen(incident: IncidentRecord) {
  if (incident.status === 'resolved' || incident.status === 'closed') {
    throw conflict('incident_not_open', `incident ${incident.id} is ${incident.status}; reopen it first`, {
      status: incident.status,
    });
  }
}

/** Sets acknowledged_* when nobody has; returns whether it did. */
async function acknowledge(tx: Sql, incident: IncidentRecord, user: string, now: Date) {
  if (incident.acknowledged_at) {
    return false;
  }
  await markAcknowledged(tx, incident.id, user, now);
  return true;
}

/** A person takes the incident (stops the escalation ladder); idempotent. */
export function acknowledgeIncident(world: IncidentWorld, caller: ActorAt, id: string) {
  return change(world, caller, id, async (tx, incident, _response, now) => {
    mustBeOpen(incident);
    const user = caller.user;
    if (!(await acknowledge(tx, incident, user, now))) {
      return null;
    }
    return {
      kind: 'acknowledged',
      summary: `Acknowledged by ${user}`,
      data: { user },
      audit: { action: 'incident.acknowledge', before: { acknowledged_at: null }, after: { acknowledged_by: user } },
    };
  });
}

/** Sets the assignee and/or commander; `take: true` assigns (and acknowledges) to the caller. */
export function assignIncident(world: IncidentWorld, caller: ActorAt, id: string, body: AssignRequest) {
  return change(world, caller, id, async (tx, incident, response, now) => {
    const assignee = body.take ? caller.user : body.assignee;
    const next = {
      assignee: assignee === undefined ? response.assignee : assignee,
      commander: body.commander === undefined ? response.commander : body.commander,
    };
    const acknowledged = body.take ? (mustBeOpen(incident), await acknowledge(tx, incident, caller.user, now)) : false;
    if (next.assignee === response.assignee && next.commander === response.commander && !acknowledged) {
      return null;
    }
    await setAssignment(tx, incident.id, next, now);
    const parts = [
      next.assignee !== response.assignee ? `assignee ${next.assignee ?? 'cleared'}` : null,
      next.commander !== response.commander ? `commander ${next.commander ?? 'cleared'}` : null,
    ].filter(Boolean);
    return {
      kind: 'assigned',
      summary: body.take ? `${caller.user} took it` : `Set ${parts.join(', ')}`,
      data: { ...next, take: body.take ?? false, acknowledged },
      audit: {
        action: 'incident.assign',
        before: { assignee: response.assignee, commander: response.commander },
        after: next,
      },
    };
  });
}

/** Changes the severity, with a reason; the response clocks follow the new severity. */
export function changeSeverity(world: IncidentWorld, caller: ActorAt, id: string, body: SeverityChangeRequest) {
  return change(world, caller, id, async (tx, incident, _response, now) => {
    const { severity, reason } = body;
    if (severity === incident.severity) {
      return null;
    }
    await setSeverity(tx, incident.id, severity, now);
    return {
      kind: 'severity_changed',
      summary: `${incident.severity} → ${severity}: ${reason}`,
      data: { from: incident.severity, to: severity, reason },
      audit: { action: 'incident.severity', before: { severity: incident.severity }, after: { severity, reason } },
    };
  });
}

/**
 * A person's reclassification: the catalog signal the incident really is (or none). Recorded as a
 * `signal_changed` timeline entry by that person; the false classification KPI counts incidents with
 * one (or with a person's `severity_changed`). The runbooks the alerts declared stay; recommendations
 * follow the new signal's runbooks.
 */
export function changeSignal(world: IncidentWorld, caller: ActorAt, id: string, body: SignalChangeRequest) {
  return change(world, caller, id, async (tx, incident, _response, now) => {
    const { signal, reason } = body;
    const known = signal === null ? null : world.catalog.signals.get(signal);
    if (signal !== null && !known) {
      throw badRequest(`no signal ${signal} in the catalog`, { signal });
    }
    if (signal === incident.signal_key) {
      return null;
    }
    await setIncidentSignal(tx, incident.id, { key: signal, group: known?.group ?? null }, now);
    return {
      kind: 'signal_changed',
      summary: `Signal ${incident.signal_key ?? 'unclassified'} → ${signal ?? 'unclassified'}: ${reason}`,
      data: { from: incident.signal_key, to: signal, reason },
      audit: {
        action: 'incident.signal',
        before: { signal_key: incident.signal_key },
        after: { signal_key: signal, reason },
      },
    };
  });
}
