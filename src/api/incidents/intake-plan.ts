/**
 * What one webhook payload does to the store, decided without touching it: which alert rows to
 * insert or update, which incidents to open or change, and which timeline entries to write. The
 * intake (src/api/intake/ingest.ts) reads the current state, calls `planIntake`, writes the plan in
 * the same transaction. Pure, so every ordering rule is tested directly.
 *
 * Ordering rules — an alert occurrence is identified by (fingerprint, startsAt):
 * - an older occurrence (startsAt before the stored one) changes nothing;
 * - the same occurrence: firing → resolved resolves it; everything else (re-delivery, a firing that
 *   arrives after its own resolved) changes nothing, so a late firing never reopens;
 * - a newer occurrence replaces the stored one (firing again, or resolved when we missed the firing).
 */
import { HostRole } from '../../contract/common';
import type { TimelineKind } from '../../contract/incidents';
import { automaticStatus, lifecycleTimes, SYSTEM_ACTOR, takesNewAlerts } from './lifecycle';
import type { AlertRecord, IncidentRecord, TimelineRecord } from './model';
import type { NormalizedAlert } from './normalize';
import { worstSeverity } from './severity';

/** The stored latest occurrence of a fingerprint and the incident it belongs to. */
export interface StoredOccurrence {
  incident_id: string;
  status: AlertRecord['status'];
  starts_at: Date;
}

export type AlertDecision =
  | { kind: 'unchanged'; reason: 'redelivery' | 'older_occurrence' | 'resolved_before_firing' }
  | {
      kind: 'write';
      newFiring: boolean;
      firingDelta: number;
      resolvedDelta: number;
      event: 'alert_fired' | 'alert_resolved';
    };

/** The ordering rules for one alert against its stored occurrence (undefined: never seen). */
export function decideAlert(
  stored: Pick<StoredOccurrence, 'status' | 'starts_at'> | undefined,
  incoming: Pick<NormalizedAlert, 'status' | 'startsAt'>
): AlertDecision {
  const firing = incoming.status === 'firing';
  const fired = { kind: 'write', event: 'alert_fired', newFiring: true } as const;
  const resolved = { kind: 'write', event: 'alert_resolved', newFiring: false } as const;
  if (!stored) {
    return firing ? { ...fired, firingDelta: 1, resolvedDelta: 0 } : { ...resolved, firingDelta: 0, resolvedDelta: 1 };
  }
  const storedTime = stored.starts_at.getTime();
  const incomingTime = incoming.startsAt.getTime();
  const wasFiring = stored.status === 'firing';
  if (incomingTime < storedTime) {
    return { kind: 'unchanged', reason: 'older_occurrence' };
  }
  if (incomingTime === storedTime) {
    if (wasFiring && !firing) {
      return { ...resolved, firingDelta: -1, resolvedDelta: 1 };
    }
    return { kind: 'unchanged', reason: wasFiring || !firing ? 'redelivery' : 'resolved_before_firing' };
  }
  // A newer occurrence of the same alert.
  if (firing) {
    return { ...fired, firingDelta: wasFiring ? 0 : 1, resolvedDelta: wasFiring ? 0 : -1 };
  }
  return { ...resolved, firingDelta: wasFiring ? -1 : 0, resolvedDelta: wasFiring ? 1 : 0 };
}

/** One alert per fingerprint: the latest occurrence, and for the same occurrence the resolved one. */
export function latestPerFingerprint(alerts: NormalizedAlert[]): NormalizedAlert[] {
  const byFingerprint = new Map<string, NormalizedAlert>();
  for (const alert of alerts) {
    const seen = byFingerprint.get(alert.fingerprint);
    const newer =
      !seen ||
      alert.startsAt.getTime() > seen.startsAt.getTime() ||
      (alert.startsAt.getTime() === seen.startsAt.getTime() && alert.status === 'resolved');
    if (newer) {
      byFingerprint.set(alert.fingerprint, alert);
    }
  }
  return [...byFingerprint.values()];
}

export const scopeKeyOf = (alert: Pick<NormalizedAlert, 'groupingKey' | 'tenant' | 'project'>) =>
  `${alert.tenant}\u0000${alert.project}\u0000${alert.groupingKey}`;

export interface IntakeState {
  /** Latest stored occurrence per fingerprint of the payload. */
  occurrences: ReadonlyMap<string, StoredOccurrence>;
  /** Every incident referenced by an occurrence or a candidate, by id. */
  incidents: ReadonlyMap<string, IncidentRecord>;
  /** The latest incident of each (tenant, project, grouping key) of the payload, by scopeKeyOf. */
  latestByKey: ReadonlyMap<string, string>;
}

export interface IntakeContext {
  now: Date;
  correlationId: string;
  newId: () => string;
}

export interface IntakePlan {
  incidentInserts: IncidentRecord[];
  incidentUpdates: IncidentRecord[];
  alertInserts: AlertRecord[];
  alertUpdates: AlertRecord[];
  timeline: TimelineRecord[];
  created: number;
  updated: number;
  unchanged: number;
  incidentIds: string[];
  missingRunbook: string[];
}

const HOST_ROLE_ORDER = HostRole.options;
const MAX_IDS = 100;

function union(into: string[], values: string[]): string[] {
  const out = [...into];
  for (const value of values) {
    if (!out.includes(value) && out.length < MAX_IDS) {
      out.push(value);
    }
  }
  return out;
}

function firstHostRole(a: HostRole | null, b: HostRole | null): HostRole | null {
  if (a === null || b === null) {
    return a ?? b;
  }
  return HOST_ROLE_ORDER.indexOf(a) <= HOST_ROLE_ORDER.indexOf(b) ? a : b;
}

function maxOrNull(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

function openIncident(alert: NormalizedAlert, id: string, now: Date): IncidentRecord {
  return {
    id,
    grouping_key: alert.groupingKey,
    title: alert.title,
    status: 'detected',
    severity: alert.severity,
    signal_key: alert.signalKey,
    signal_group: alert.signalGroup,
    tenant: alert.tenant,
    project: alert.project,
    owner_team: alert.ownerTeam,
    service: alert.service,
    runbook_ids: [],
    missing_runbook: true,
    query_id: null,
    firing_count: 0,
    resolved_count: 0,
    correlation_ids: [],
    trace_ids: [],
    resource_name: null,
    host_role: null,
    slo_burn_rate: null,
    opened_at: now,
    acknowledged_at: null,
    resolved_at: null,
    closed_at: null,
    updated_at: now,
    last_alert_at: now,
  };
}

/** Folds a written alert into its incident's unions, counters and severity. */
function absorb(
  incident: IncidentRecord,
  alert: NormalizedAlert,
  decision: Extract<AlertDecision, { kind: 'write' }>,
  now: Date
) {
  incident.firing_count = Math.max(0, incident.firing_count + decision.firingDelta);
  incident.resolved_count = Math.max(0, incident.resolved_count + decision.resolvedDelta);
  incident.severity = worstSeverity([incident.severity, alert.severity]) ?? incident.severity;
  incident.signal_key ??= alert.signalKey;
  incident.signal_group ??= alert.signalGroup;
  incident.owner_team ??= alert.ownerTeam;
  incident.service ??= alert.service;
  incident.query_id ??= alert.queryId;
  incident.runbook_ids = union(incident.runbook_ids, alert.runbookIds);
  incident.missing_runbook = incident.runbook_ids.length === 0;
  incident.correlation_ids = union(incident.correlation_ids, alert.correlationIds);
  incident.trace_ids = union(incident.trace_ids, alert.traceIds);
  incident.resource_name ??= alert.resourceName;
  incident.host_role = firstHostRole(incident.host_role, alert.hostRole);
  incident.slo_burn_rate = maxOrNull(incident.slo_burn_rate, alert.sloBurnRate);
  incident.last_alert_at = now;
  incident.updated_at = now;
}

/** A plan with nothing in it yet. */
function emptyPlan(): IntakePlan {
  return {
    incidentInserts: [],
    incidentUpdates: [],
    alertInserts: [],
    alertUpdates: [],
    timeline: [],
    created: 0,
    updated: 0,
    unchanged: 0,
    incidentIds: [],
    missingRunbook: [],
  };
}

/** The alert row a written occurrence becomes. */
function alertRecordOf(alert: NormalizedAlert, incidentId: string, now: Date, correlationId: string): AlertRecord {
  return {
    incident_id: incidentId,
    fingerprint: alert.fingerprint,
    source: alert.source,
    alertname: alert.alertname,
    status: alert.status,
    severity: alert.severity,
    labels: alert.labels,
    annotations: alert.annotations,
    starts_at: alert.startsAt,
    ends_at: alert.endsAt,
    generator_url: alert.generatorUrl,
    silence_url: alert.silenceUrl,
    signal_key: alert.signalKey,
    runbook_ids: alert.runbookIds,
    missing_runbook: alert.missingRunbook,
    correlation_ids: alert.correlationIds,
    first_received_at: now,
    last_received_at: now,
    delivery_correlation_id: correlationId,
  };
}

/**
 * Plans a payload one alert at a time, so that the intake can plan a big payload in chunks and let the
 * event loop breathe between them (issue 17 item 7). `add` each alert of `latestPerFingerprint(...)`,
 * then `finish` once. `planIntake` is the same in one call.
 */
export class IntakePlanner {
  private readonly plan = emptyPlan();
  private readonly working = new Map<string, IncidentRecord>();
  private readonly created = new Set<string>();
  private readonly newFiring = new Set<string>();
  private readonly openedForKey = new Map<string, string>();
  /** Incidents the payload touched, in first-touch order (a Set: 10,000 keys must not cost 10,000²). */
  private readonly touched = new Set<string>();
  private readonly events = new Map<string, AlertEvents>();

  constructor(
    private readonly state: IntakeState,
    private readonly context: IntakeContext
  ) {}

  add(alert: NormalizedAlert): void {
    const { plan, state, context } = this;
    if (alert.missingRunbook) {
      plan.missingRunbook.push(alert.fingerprint);
    }
    const stored = state.occurrences.get(alert.fingerprint);
    const storedIncident = stored ? state.incidents.get(stored.incident_id) : undefined;
    // An occurrence in a closed incident past its reopen window is history: a newer one starts afresh.
    const usable = stored && storedIncident && takesNewAlerts(storedIncident, context.now) ? stored : undefined;
    const decision =
      stored && !usable && alert.startsAt.getTime() <= stored.starts_at.getTime()
        ? ({ kind: 'unchanged', reason: 'older_occurrence' } as const)
        : decideAlert(usable, alert);
    if (decision.kind === 'unchanged') {
      plan.unchanged += 1;
      if (stored) {
        this.touched.add(stored.incident_id);
      }
      return;
    }
    const incident = usable ? this.incidentFor(usable.incident_id) : this.targetFor(alert);
    this.touched.add(incident.id);
    absorb(incident, alert, decision, context.now);
    if (decision.newFiring) {
      this.newFiring.add(incident.id);
    }
    const record = alertRecordOf(alert, incident.id, context.now, context.correlationId);
    if (usable) {
      plan.alertUpdates.push(record);
      plan.updated += 1;
    } else {
      plan.alertInserts.push(record);
      plan.created += 1;
    }
    const eventKey = `${incident.id}\u0000${decision.event}`;
    const group = this.events.get(eventKey) ?? { incidentId: incident.id, kind: decision.event, alerts: [] };
    group.alerts.push(alert);
    this.events.set(eventKey, group);
  }

  finish(): IntakePlan {
    const steps = this.finishing();
    for (;;) {
      const step = steps.next();
      if (step.done) {
        return step.value;
      }
    }
  }

  /**
   * `finish` in steps: pauses after every `every` incidents or timeline groups, where the intake lets
   * the event loop run (a payload of 10,000 groups has 10,000 of each).
   */
  *finishing(every = 250): Generator<void, IntakePlan> {
    const { plan, context } = this;
    let done = 0;
    // One entry per incident and kind per payload: a group of 40 alerts firing together reads as one line.
    for (const group of this.events.values()) {
      plan.timeline.push(alertEntry(group, context.newId(), context.now, context.correlationId));
      if (++done % every === 0) {
        yield;
      }
    }
    for (const [id, incident] of this.working) {
      this.applyAutomaticStatus(id, incident);
      (this.created.has(id) ? plan.incidentInserts : plan.incidentUpdates).push(incident);
      if (++done % every === 0) {
        yield;
      }
    }
    plan.incidentIds = [...this.touched];
    return plan;
  }

  /** A stored incident, copied into the working set on first use. */
  private incidentFor(id: string): IncidentRecord {
    let incident = this.working.get(id);
    if (!incident) {
      const stored = this.state.incidents.get(id);
      if (!stored) {
        throw new Error(`intake state is missing incident ${id}`);
      }
      incident = {
        ...stored,
        runbook_ids: [...stored.runbook_ids],
        correlation_ids: [...stored.correlation_ids],
        trace_ids: [...stored.trace_ids],
      };
      this.working.set(id, incident);
    }
    return incident;
  }

  /** The incident a new occurrence joins: the key's latest one if it still takes alerts, else a new one. */
  private targetFor(alert: NormalizedAlert): IncidentRecord {
    const { state, context } = this;
    const key = scopeKeyOf(alert);
    const opened = this.openedForKey.get(key);
    if (opened) {
      return this.working.get(opened)!;
    }
    const latestId = state.latestByKey.get(key);
    const latest = latestId ? state.incidents.get(latestId) : undefined;
    if (latest && takesNewAlerts(latest, context.now)) {
      return this.incidentFor(latest.id);
    }
    const incident = openIncident(alert, context.newId(), context.now);
    this.working.set(incident.id, incident);
    this.created.add(incident.id);
    this.openedForKey.set(key, incident.id);
    this.plan.timeline.push({
      id: context.newId(),
      incident_id: incident.id,
      at: context.now,
      kind: 'state_changed',
      actor: SYSTEM_ACTOR,
      summary: 'Incident detected',
      data: { from: null, to: 'detected', grouping_key: incident.grouping_key },
      correlation_id: context.correlationId,
    });
    return incident;
  }

  /** Reopens or moves to monitoring what the payload's alerts call for, with its timeline entry. */
  private applyAutomaticStatus(id: string, incident: IncidentRecord): void {
    const { now, correlationId, newId } = this.context;
    const from = incident.status;
    const to = automaticStatus(from, { newFiring: this.newFiring.has(id), firingCount: incident.firing_count });
    if (to === from) {
      return;
    }
    Object.assign(incident, lifecycleTimes(incident, to, now, false), { status: to, updated_at: now });
    this.plan.timeline.push({
      id: newId(),
      incident_id: id,
      at: now,
      kind: 'state_changed',
      actor: SYSTEM_ACTOR,
      summary: to === 'reopened' ? 'Reopened: an alert fired again' : 'Every alert resolved: monitoring',
      data: { from, to, automatic: true },
      correlation_id: correlationId,
    });
  }
}

export function planIntake(alerts: NormalizedAlert[], state: IntakeState, context: IntakeContext): IntakePlan {
  const planner = new IntakePlanner(state, context);
  for (const alert of latestPerFingerprint(alerts)) {
    planner.add(alert);
  }
  return planner.finish();
}

interface AlertEvents {
  incidentId: string;
  kind: Extract<TimelineKind, 'alert_fired' | 'alert_resolved'>;
  alerts: NormalizedAlert[];
}

const NAMES_IN_SUMMARY = 3;

function alertEntry(group: AlertEvents, id: string, at: Date, correlationId: string): TimelineRecord {
  const verb = group.kind === 'alert_fired' ? 'fired' : 'resolved';
  const [first] = group.alerts;
  const names = [...new Set(group.alerts.map((alert) => alert.alertname))];
  const summary =
    group.alerts.length === 1
      ? `${first.alertname} ${verb} (${first.severity})`
      : `${group.alerts.length} alerts ${verb}: ${names.slice(0, NAMES_IN_SUMMARY).join(', ')}${names.length > NAMES_IN_SUMMARY ? ` and ${names.length - NAMES_IN_SUMMARY} more` : ''}`;
  return {
    id,
    incident_id: group.incidentId,
    at,
    kind: group.kind,
    actor: first.source,
    summary,
    data: {
      count: group.alerts.length,
      fingerprints: group.alerts.map((alert) => alert.fingerprint),
      alerts: group.alerts.map((alert) => ({
        fingerprint: alert.fingerprint,
        alertname: alert.alertname,
        severity: alert.severity,
        starts_at: alert.startsAt.toISOString(),
        ends_at: alert.endsAt?.toISOString() ?? null,
      })),
    },
    correlation_id: correlationId,
  };
}
