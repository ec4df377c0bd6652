/**
 * Response-SLA clocks and escalation, as pure functions of an incident's facts, the response policy,
 * the owner team's chain and `now` (the app clock, so tests move time instead of sleeping).
 *
 * Decisions (docs/oncall.md):
 * - every clock runs from the incident's opening; a severity change moves the due times because they
 *   are recomputed from the opening with the new severity's clocks;
 * - unacknowledged, the chain climbs: level 1 at opening, level 2 when the acknowledge clock breaches
 *   (never before level 1's `wait`), then each level after its own `wait`; an acknowledgement stops
 *   the climb;
 * - unresolved at the escalate clock: at least level 2 (the secondary comes to help);
 * - the policy's triggers (open too long, customer/revenue impact, security labels) raise the level to
 *   their `to_level`; the level never goes down; a resolved incident escalates no further.
 */
import { DateTime } from 'luxon';

import type { Severity } from '../../contract/common';
import {
  durationSeconds,
  NEXT_BUSINESS_DAY,
  type BusinessHours,
  type ClockStatus,
  type ResponsePolicyFile,
} from '../../contract/oncall';

export interface ResponseFacts {
  severity: Severity;
  opened_at: Date;
  is_open: boolean;
  acknowledged_at: Date | null;
  responded_at: Date | null;
  /** The level reached so far (stored; never lowered). */
  escalation_level: number;
  /** Labels and annotations of the incident's alerts, merged. */
  signals: ReadonlyArray<Readonly<Record<string, string>>>;
}

export interface Clocks {
  ack_due_at: Date | null;
  response_due_at: Date | null;
  escalate_due_at: Date | null;
}

export interface EscalationStep {
  at: Date;
  level: number;
  reason: string;
}

export interface EscalationState {
  /** The level the incident should be at now (≥ the stored level, ≤ the chain's length). */
  level: number;
  /** Why each level above the stored one is due, in order. */
  reasons: EscalationStep[];
  next_at: Date | null;
  next_level: number | null;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** The level an unresolved incident reaches at its escalate clock. */
export const UNRESOLVED_LEVEL = 2;
/** Highest level when the owner team has no chain (the level is still recorded and shown). */
const LEVELS_WITHOUT_CHAIN = 4;

/**
 * Answers of nextBusinessDay, per business hours and instant. Luxon's zone arithmetic costs ~0.5 ms a
 * call on a busy machine, and a payload opening 10,000 incidents asks it once per incident for the same
 * instant (the payload's arrival): seconds of CPU in the request's event loop (issue 17 item 7). The
 * function is pure, so the cache is exact; it is emptied when full, which bounds it.
 */
const businessDayCache = new WeakMap<BusinessHours, Map<number, number>>();
const BUSINESS_DAY_CACHE_SIZE = 1_000;

/** Start of business hours on the first business day after the day of `from` (in the policy's zone). */
export function nextBusinessDay(hours: BusinessHours, from: Date): Date {
  let cache = businessDayCache.get(hours);
  if (!cache) {
    cache = new Map();
    businessDayCache.set(hours, cache);
  }
  let answer = cache.get(from.getTime());
  if (answer === undefined) {
    if (cache.size >= BUSINESS_DAY_CACHE_SIZE) {
      cache.clear();
    }
    answer = computeNextBusinessDay(hours, from).getTime();
    cache.set(from.getTime(), answer);
  }
  return new Date(answer);
}

function computeNextBusinessDay(hours: BusinessHours, from: Date): Date {
  let day = DateTime.fromJSDate(from, { zone: hours.timezone }).startOf('day');
  for (let i = 0; i < 14; i += 1) {
    day = day.plus({ days: 1 });
    if (hours.days.includes(WEEKDAYS[day.weekday - 1])) {
      const [h, m] = hours.start.split(':').map(Number);
      return day.set({ hour: h, minute: m }).toJSDate();
    }
  }
  return day.toJSDate();
}

function dueAt(policy: ResponsePolicyFile, opened: Date, clock: string): Date {
  if (clock === NEXT_BUSINESS_DAY) {
    return nextBusinessDay(policy.business_hours, opened);
  }
  return new Date(opened.getTime() + durationSeconds(clock) * 1000);
}

export function clocksOf(policy: ResponsePolicyFile, severity: Severity, opened: Date): Clocks {
  const clocks = policy.severities[severity];
  if (clocks === 'best_effort') {
    return { ack_due_at: null, response_due_at: null, escalate_due_at: null };
  }
  return {
    ack_due_at: dueAt(policy, opened, clocks.acknowledge),
    response_due_at: dueAt(policy, opened, clocks.initial_response),
    escalate_due_at: dueAt(policy, opened, clocks.escalate_unresolved),
  };
}

/** The latest start of business hours at or before `now` (in the policy's zone), searching two weeks back. */
function latestBusinessStart(hours: BusinessHours, now: Date): Date {
  const [h, m] = hours.start.split(':').map(Number);
  let day = DateTime.fromJSDate(now, { zone: hours.timezone }).startOf('day');
  for (let i = 0; i < 15; i += 1) {
    const start = day.set({ hour: h, minute: m });
    if (hours.days.includes(WEEKDAYS[day.weekday - 1]) && start.toMillis() <= now.getTime()) {
      return start.toJSDate();
    }
    day = day.minus({ days: 1 });
  }
  return day.toJSDate();
}

export type SlaClock = 'acknowledge' | 'initial_response';

/**
 * The instant before which a clock that started and is still not done is past due at `now`, or null
 * for best effort: `start < cutoff` ⇔ `due(start) < now`. For durations `now - d`; for
 * `next_business_day` the start of the local day of the latest business-hours start (every opening on
 * an earlier day has its next business day at or before it). Lets SQL order by breach without a
 * second copy of the clock rules.
 */
export function breachCutoff(policy: ResponsePolicyFile, severity: Severity, clock: SlaClock, now: Date): Date | null {
  const clocks = policy.severities[severity];
  if (clocks === 'best_effort') {
    return null;
  }
  const value = clock === 'acknowledge' ? clocks.acknowledge : clocks.initial_response;
  if (value !== NEXT_BUSINESS_DAY) {
    return new Date(now.getTime() - durationSeconds(value) * 1000);
  }
  const zone = policy.business_hours.timezone;
  return DateTime.fromJSDate(latestBusinessStart(policy.business_hours, now), { zone }).startOf('day').toJSDate();
}

export function clockStatus(due: Date | null, doneAt: Date | null, now: Date): ClockStatus {
  if (doneAt) {
    return due && doneAt.getTime() > due.getTime() ? 'breached' : 'met';
  }
  return due && now.getTime() > due.getTime() ? 'breached' : 'pending';
}

/** A number stated by any alert's label/annotation `name` (the largest), or null. */
function statedNumber(signals: ResponseFacts['signals'], name: string): number | null {
  let found: number | null = null;
  for (const signal of signals) {
    const value = Number(String(signal[name] ?? '').replace(/[,_\s]/g, ''));
    if (signal[name] !== undefined && Number.isFinite(value)) {
      found = Math.max(found ?? value, value);
    }
  }
  return found;
}

const truthy = (value: string | undefined) =>
  value !== undefined && !['', 'false', '0', 'no'].includes(value.toLowerCase());

/** Every escalation the policy and chain call for, whenever it falls due (past or future). */
export function escalationSteps(
  policy: ResponsePolicyFile,
  waits: readonly number[],
  facts: ResponseFacts
): EscalationStep[] {
  const steps: EscalationStep[] = [];
  const opened = facts.opened_at.getTime();
  const clocks = clocksOf(policy, facts.severity, facts.opened_at);
  if (clocks.ack_due_at) {
    // The unacknowledged ladder; steps after the acknowledgement never happen.
    let at = Math.max(clocks.ack_due_at.getTime(), opened + (waits[0] ?? 0) * 1000);
    const top = waits.length || LEVELS_WITHOUT_CHAIN;
    for (let level = 2; level <= top; level += 1) {
      if (facts.acknowledged_at && facts.acknowledged_at.getTime() <= at) {
        break;
      }
      steps.push({
        at: new Date(at),
        level,
        reason: level === 2 ? 'acknowledge clock breached' : `level ${level - 1} did not acknowledge`,
      });
      at += (waits[level - 1] ?? 0) * 1000;
    }
  }
  if (clocks.escalate_due_at) {
    steps.push({
      at: clocks.escalate_due_at,
      level: UNRESOLVED_LEVEL,
      reason: 'still unresolved at the escalate clock',
    });
  }
  const {
    open_longer_than: open,
    customer_impact_users_above: users,
    revenue_impact_above: revenue,
    labels,
  } = policy.triggers;
  if (open) {
    steps.push({
      at: new Date(opened + durationSeconds(open.after) * 1000),
      level: open.to_level,
      reason: `open longer than ${open.after}`,
    });
  }
  const stated = [
    [users, statedNumber(facts.signals, 'customer_impact_users'), 'users affected'],
    [revenue, statedNumber(facts.signals, 'revenue_impact'), 'revenue impact'],
  ] as const;
  for (const [trigger, value, what] of stated) {
    if (trigger && value !== null && value > trigger.value) {
      steps.push({ at: facts.opened_at, level: trigger.to_level, reason: `${what} ${value} above ${trigger.value}` });
    }
  }
  const flagged = labels?.names.filter((name) => facts.signals.some((signal) => truthy(signal[name]))) ?? [];
  if (labels && flagged.length > 0) {
    steps.push({ at: facts.opened_at, level: labels.to_level, reason: `labelled ${flagged.join(', ')}` });
  }
  return steps.sort((a, b) => a.at.getTime() - b.at.getTime() || a.level - b.level);
}

/** Where the escalation stands at `now`, and when it moves next. `waits`: seconds of each chain level. */
export function escalationAt(
  policy: ResponsePolicyFile,
  waits: readonly number[],
  facts: ResponseFacts,
  now: Date
): EscalationState {
  const top = waits.length || LEVELS_WITHOUT_CHAIN;
  const cap = (level: number) => Math.min(level, top);
  let level = Math.max(1, facts.escalation_level);
  const reasons: EscalationStep[] = [];
  if (!facts.is_open) {
    return { level, reasons, next_at: null, next_level: null };
  }
  const steps = escalationSteps(policy, waits, facts);
  for (const step of steps.filter((s) => s.at.getTime() <= now.getTime())) {
    if (cap(step.level) > level) {
      level = cap(step.level);
      reasons.push({ ...step, level });
    }
  }
  const next = steps.find((step) => step.at.getTime() > now.getTime() && cap(step.level) > level);
  return { level, reasons, next_at: next?.at ?? null, next_level: next ? cap(next.level) : null };
}
