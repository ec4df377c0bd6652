/**
 * Who is on call when: pure functions over a team's schedule (catalog/oncall.yaml). No clock of its own:
 * every function takes the instants it works on, so the API, the linter and the tests agree.
 *
 * Time-zone arithmetic uses luxon (well kept, IANA zones through Intl): shifts of whole days are stepped
 * in the schedule's local calendar, so a Monday 09:00 Europe/London handoff stays at 09:00 local after
 * a daylight-saving change; shorter shifts are fixed lengths of real time.
 */
import { DateTime } from 'luxon';

import { durationSeconds, type OncallRole, type RotationLayer, type Schedule } from '../../contract/oncall';

export interface Segment {
  from: Date;
  until: Date;
  /** null: nobody is on call for this role (a gap). */
  user: string | null;
  /** `rotation:<layer name>` or `override`. */
  source: string | null;
}

const DAY_SECONDS = 86_400;

/** The k-th handoff instant of a layer (k = 0 is `start`). */
function boundary(layer: RotationLayer, zone: string, k: number): Date {
  const seconds = durationSeconds(layer.shift);
  const start = DateTime.fromISO(layer.start, { setZone: true }).setZone(zone);
  if (seconds % DAY_SECONDS === 0) {
    return start.plus({ days: k * (seconds / DAY_SECONDS) }).toJSDate();
  }
  return new Date(start.toMillis() + k * seconds * 1000);
}

/** Index of the shift of `layer` that contains `at` (negative before the layer starts). */
function shiftIndex(layer: RotationLayer, zone: string, at: Date): number {
  const seconds = durationSeconds(layer.shift);
  const startMs = Date.parse(layer.start);
  let k = Math.floor((at.getTime() - startMs) / (seconds * 1000));
  // Calendar-day shifts are an hour longer or shorter across DST: correct the estimate by one step.
  while (boundary(layer, zone, k).getTime() > at.getTime()) {
    k -= 1;
  }
  while (boundary(layer, zone, k + 1).getTime() <= at.getTime()) {
    k += 1;
  }
  return k;
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Whether `at` lies in the layer's daily window (always true without one); `to` < `from` wraps midnight. */
function inWindow(layer: RotationLayer, zone: string, at: Date): boolean {
  if (!layer.window) {
    return true;
  }
  const local = DateTime.fromJSDate(at, { zone });
  const minute = local.hour * 60 + local.minute;
  const from = minutesOf(layer.window.from);
  const to = minutesOf(layer.window.to);
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** Who a layer puts on call at `at`, or null when it does not cover that moment. */
export function layerUserAt(layer: RotationLayer, zone: string, at: Date): string | null {
  if (at.getTime() < Date.parse(layer.start) || !inWindow(layer, zone, at)) {
    return null;
  }
  const k = shiftIndex(layer, zone, at);
  return layer.users[((k % layer.users.length) + layer.users.length) % layer.users.length];
}

/** The user on call for `role` at `at`, and why: an override covering `at` wins, then the last layer that covers it. */
export function onCallAt(schedule: Schedule, role: OncallRole, at: Date): { user: string; source: string } | null {
  const t = at.getTime();
  for (let i = schedule.overrides.length - 1; i >= 0; i -= 1) {
    const override = schedule.overrides[i];
    if (override.role === role && Date.parse(override.from) <= t && t < Date.parse(override.to)) {
      return { user: override.user, source: 'override' };
    }
  }
  for (let i = schedule.layers.length - 1; i >= 0; i -= 1) {
    const layer = schedule.layers[i];
    if (layer.role !== role) {
      continue;
    }
    const user = layerUserAt(layer, schedule.timezone, at);
    if (user) {
      return { user, source: `rotation:${layer.name}` };
    }
  }
  return null;
}

/** Every instant in [from, to) where the answer of onCallAt may change. */
function changePoints(schedule: Schedule, role: OncallRole, from: Date, to: Date): number[] {
  const points = new Set<number>([from.getTime()]);
  const add = (ms: number) => {
    if (ms > from.getTime() && ms < to.getTime()) {
      points.add(ms);
    }
  };
  for (const override of schedule.overrides.filter((o) => o.role === role)) {
    add(Date.parse(override.from));
    add(Date.parse(override.to));
  }
  for (const layer of schedule.layers.filter((l) => l.role === role)) {
    add(Date.parse(layer.start));
    const first = Math.max(shiftIndex(layer, schedule.timezone, from), 0);
    for (let k = first; boundary(layer, schedule.timezone, k).getTime() < to.getTime(); k += 1) {
      add(boundary(layer, schedule.timezone, k).getTime());
    }
    if (layer.window) {
      let day = DateTime.fromJSDate(from, { zone: schedule.timezone }).startOf('day').minus({ days: 1 });
      while (day.toMillis() < to.getTime()) {
        for (const time of [layer.window.from, layer.window.to]) {
          add(day.plus({ minutes: minutesOf(time) }).toMillis());
        }
        day = day.plus({ days: 1 });
      }
    }
  }
  return [...points].sort((a, b) => a - b);
}

/**
 * The schedule of `role` over [from, to) as consecutive segments of one user (or of nobody), adjacent
 * segments of the same user and source merged. The iCalendar export and the app's timeline draw these.
 */
export function segments(schedule: Schedule, role: OncallRole, from: Date, to: Date): Segment[] {
  const points = changePoints(schedule, role, from, to);
  const out: Segment[] = [];
  points.forEach((start, index) => {
    const until = new Date(points[index + 1] ?? to.getTime());
    const who = onCallAt(schedule, role, new Date(start));
    const last = out[out.length - 1];
    if (last && last.user === (who?.user ?? null) && last.source === (who?.source ?? null)) {
      last.until = until;
      return;
    }
    out.push({ from: new Date(start), until, user: who?.user ?? null, source: who?.source ?? null });
  });
  return out;
}

/** The shift that contains `at` (merged over adjacent segments of the same user), or null in a gap. */
export function currentShift(schedule: Schedule, role: OncallRole, at: Date, horizonDays = 35): Segment | null {
  const span = horizonDays * DAY_SECONDS * 1000;
  const all = segments(schedule, role, new Date(at.getTime() - span), new Date(at.getTime() + span));
  const index = all.findIndex((segment) => segment.from <= at && at < segment.until);
  const found = all[index];
  if (!found || found.user === null) {
    return null;
  }
  let { from, until } = found;
  for (let i = index - 1; i >= 0 && all[i].user === found.user; i -= 1) {
    from = all[i].from;
  }
  for (let i = index + 1; i < all.length && all[i].user === found.user; i += 1) {
    until = all[i].until;
  }
  return { ...found, from, until };
}

/** Gaps in the primary schedule over [from, to): the linter demands none in the next 14 days. */
export function primaryGaps(schedule: Schedule, from: Date, to: Date): Segment[] {
  return segments(schedule, 'primary', from, to).filter((segment) => segment.user === null);
}
