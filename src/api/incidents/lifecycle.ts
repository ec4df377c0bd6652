/**
 * The incident lifecycle, as pure functions.
 *
 *   detected → triaging → mitigating → monitoring → resolved → closed
 *                                   ↖ (fix did not hold) ↙        │
 *   resolved | closed → reopened → triaging | mitigating | monitoring | resolved
 *
 * Operators may skip ahead (a false alarm goes detected → resolved) but never back, except
 * monitoring → mitigating/triaging (the fix did not hold). `closed` is reachable only from `resolved`
 * and needs a note (the review or postmortem link). A closed incident only reopens.
 *
 * Automatic moves, made by the intake (actor `system`):
 * - every alert resolved while the incident is detected/triaging/mitigating/reopened → `monitoring`;
 * - a new firing alert occurrence while it is monitoring/resolved/closed → `reopened`.
 */
import type { IncidentStatus } from '../../contract/incidents';

export const TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  detected: ['triaging', 'mitigating', 'monitoring', 'resolved'],
  triaging: ['mitigating', 'monitoring', 'resolved'],
  mitigating: ['monitoring', 'resolved'],
  monitoring: ['resolved', 'mitigating', 'triaging'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['triaging', 'mitigating', 'monitoring', 'resolved'],
};

export const SYSTEM_ACTOR = 'system';

export function allowedTransitions(from: IncidentStatus): IncidentStatus[] {
  return [...TRANSITIONS[from]];
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

export function checkTransition(from: IncidentStatus, to: IncidentStatus, note: string | undefined): TransitionCheck {
  if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from];
    return {
      ok: false,
      reason: `an incident that is ${from} cannot move to ${to}; allowed: ${allowed.join(', ') || 'none'}`,
    };
  }
  if (to === 'closed' && !note?.trim()) {
    return { ok: false, reason: 'closing an incident needs a note: the review or postmortem link' };
  }
  return { ok: true };
}

/** Statuses from which "every alert resolved" moves the incident to monitoring. */
const AUTO_MONITOR_FROM: readonly IncidentStatus[] = ['detected', 'triaging', 'mitigating', 'reopened'];
/** Statuses from which a new firing alert reopens the incident. */
const AUTO_REOPEN_FROM: readonly IncidentStatus[] = ['monitoring', 'resolved', 'closed'];

/**
 * The status after the intake changed an incident's alerts: `newFiring` says an alert occurrence
 * started firing (not a re-delivery), `firingCount` is the number of alerts firing afterwards.
 */
export function automaticStatus(
  current: IncidentStatus,
  change: { newFiring: boolean; firingCount: number }
): IncidentStatus {
  if (change.newFiring && AUTO_REOPEN_FROM.includes(current)) {
    return 'reopened';
  }
  if (change.firingCount === 0 && AUTO_MONITOR_FROM.includes(current)) {
    return 'monitoring';
  }
  return current;
}

/** The lifecycle timestamps after a move to `to` at `at` by a person (`manual`) or by the intake. */
export function lifecycleTimes(
  times: { acknowledged_at: Date | null; resolved_at: Date | null; closed_at: Date | null },
  to: IncidentStatus,
  at: Date,
  manual: boolean
): { acknowledged_at: Date | null; resolved_at: Date | null; closed_at: Date | null } {
  const next = { ...times };
  // Acknowledgement is a person's first move; the intake's automatic moves do not count.
  if (manual && next.acknowledged_at === null) {
    next.acknowledged_at = at;
  }
  if (to === 'resolved') {
    next.resolved_at = at;
    next.closed_at = null;
  } else if (to === 'closed') {
    next.resolved_at ??= at;
    next.closed_at = at;
  } else if (to === 'reopened') {
    next.resolved_at = null;
    next.closed_at = null;
  }
  return next;
}

/** MTTA: opened → first acknowledgement; MTTR: opened → (latest) resolution. Seconds, null until known. */
export function responseTimes(incident: { opened_at: Date; acknowledged_at: Date | null; resolved_at: Date | null }): {
  mtta_seconds: number | null;
  mttr_seconds: number | null;
} {
  const seconds = (end: Date | null) =>
    end === null ? null : Math.max(0, (end.getTime() - incident.opened_at.getTime()) / 1000);
  return { mtta_seconds: seconds(incident.acknowledged_at), mttr_seconds: seconds(incident.resolved_at) };
}

/** Closed incidents older than this are not reopened: the key opens a new incident instead. */
export const REOPEN_CLOSED_WITHIN_MS = 7 * 24 * 3600 * 1000;

/**
 * Whether an incident of the alert's grouping key still takes new alerts: every open or resolved
 * incident does; a closed one only within REOPEN_CLOSED_WITHIN_MS of its closing.
 */
export function takesNewAlerts(incident: { status: IncidentStatus; closed_at: Date | null }, now: Date): boolean {
  if (incident.status !== 'closed') {
    return true;
  }
  return incident.closed_at !== null && now.getTime() - incident.closed_at.getTime() <= REOPEN_CLOSED_WITHIN_MS;
}
