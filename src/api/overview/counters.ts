/**
 * The process's own counters: what the overview's `in_memory` source mode reads when there is no
 * metrics backend (or it failed). Each replica counts only the requests it served itself.
 *
 * - A rolling window (30 slots of 10 s = the last 5 minutes) of answered API requests: count, 5xx
 *   count and a latency histogram, for the golden blocks (traffic, error ratio, latency p95).
 * - Event-loop utilisation over the last 10–20 s, for the saturation block.
 * - `platform_role_requests_total{host_role}` / `platform_role_errors_total{host_role}` (5xx), one series
 *   per host role, counted since the process started under the host role it runs on
 *   (OPSDECK_HOST_ROLE); the other roles stay at 0 on this replica.
 * - `opsdeck_overview_backend_errors_total{reason}` and `opsdeck_overview_source_mode{mode}`.
 * All of them are also exported on /metrics.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';

import { HostRole } from '../../contract/common';
import type { SourceMode } from '../../contract/overview';

export const WINDOW_SLOTS = 30;
export const SLOT_MS = 10_000;
/** Upper bounds (seconds) of the latency histogram; the last bucket is +Inf. */
export const LATENCY_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Slot {
  start: number;
  requests: number;
  errors: number;
  buckets: number[];
}

export interface WindowSummary {
  /** Seconds the window covers (less than 5 minutes just after start). */
  seconds: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  /** 5xx / all, null without requests. */
  errorRatio: number | null;
  /** Estimated from the histogram as histogram_quantile does; null without requests. */
  latencyP95Seconds: number | null;
}

export interface ProcessCounters {
  readonly hostRole: HostRole;
  record(statusCode: number, durationMs: number): void;
  window(): WindowSummary;
  /** Event-loop utilisation (0–1) over the last 10–20 s. */
  saturation(): number;
  platformRoles(): Record<HostRole, { requests: number; errors: number }>;
  backendError(reason: string): void;
  sourceMode(mode: SourceMode): void;
}

/** The q-quantile of a cumulative-free bucket histogram, interpolated linearly inside the bucket. */
export function histogramQuantile(
  q: number,
  buckets: readonly number[],
  bounds: readonly number[] = LATENCY_BOUNDS
): number | null {
  const total = buckets.reduce((sum, n) => sum + n, 0);
  if (total === 0) {
    return null;
  }
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i += 1) {
    if (seen + buckets[i] >= rank && buckets[i] > 0) {
      if (i >= bounds.length) {
        // +Inf bucket: like Prometheus, answer the highest finite bound.
        return bounds[bounds.length - 1];
      }
      const lower = i === 0 ? 0 : bounds[i - 1];
      return lower + (bounds[i] - lower) * ((rank - seen) / buckets[i]);
    }
    seen += buckets[i];
  }
  return bounds[bounds.length - 1];
}

/** The prom-client series of the counters, every label value at 0 from the start (so /metrics lists them). */
function createSeries(registers: Registry[]) {
  const roleRequests = new Counter({
    name: 'platform_role_requests_total',
    help: 'API requests this process answered, by the host role it runs on (OPSDECK_HOST_ROLE)',
    labelNames: ['host_role'],
    registers,
  });
  const roleErrors = new Counter({
    name: 'platform_role_errors_total',
    help: 'API requests this process answered with a 5xx, by the host role it runs on',
    labelNames: ['host_role'],
    registers,
  });
  const backendErrors = new Counter({
    name: 'opsdeck_overview_backend_errors_total',
    help: 'Overview answers that fell back to in_memory because the metrics backend failed, by reason',
    labelNames: ['reason'],
    registers,
  });
  const mode = new Gauge({
    name: 'opsdeck_overview_source_mode',
    help: '1 for the source mode the last overview answer used, 0 for the other',
    labelNames: ['mode'],
    registers,
  });
  for (const role of HostRole.options) {
    roleRequests.inc({ host_role: role }, 0);
    roleErrors.inc({ host_role: role }, 0);
  }
  mode.set({ mode: 'in_memory' }, 0);
  mode.set({ mode: 'backend' }, 0);
  return { roleRequests, roleErrors, backendErrors, mode };
}

/** The rolling window of answered requests and the event-loop marks it rotates with its slots. */
function createWindow(clock: () => number) {
  const started = clock();
  const slots: Slot[] = [];
  let eluMarks: [EventLoopUtilization, EventLoopUtilization] = [
    performance.eventLoopUtilization(),
    performance.eventLoopUtilization(),
  ];
  let lastRotation = started;

  const current = (now: number): Slot => {
    const start = now - (now % SLOT_MS);
    let slot = slots[slots.length - 1];
    if (!slot || slot.start !== start) {
      slot = { start, requests: 0, errors: 0, buckets: new Array(LATENCY_BOUNDS.length + 1).fill(0) };
      slots.push(slot);
      while (slots.length > WINDOW_SLOTS) {
        slots.shift();
      }
    }
    if (now - lastRotation >= SLOT_MS) {
      eluMarks = [eluMarks[1], performance.eventLoopUtilization()];
      lastRotation = now;
    }
    return slot;
  };

  return {
    record(isError: boolean, durationMs: number) {
      const slot = current(clock());
      const seconds = durationMs / 1000;
      const bucket = LATENCY_BOUNDS.findIndex((bound) => seconds <= bound);
      slot.requests += 1;
      slot.buckets[bucket < 0 ? LATENCY_BOUNDS.length : bucket] += 1;
      slot.errors += isError ? 1 : 0;
    },
    summary(): WindowSummary {
      const now = clock();
      current(now);
      const oldest = now - WINDOW_SLOTS * SLOT_MS;
      const live = slots.filter((slot) => slot.start > oldest);
      const requests = live.reduce((sum, slot) => sum + slot.requests, 0);
      const errors = live.reduce((sum, slot) => sum + slot.errors, 0);
      const buckets = new Array(LATENCY_BOUNDS.length + 1).fill(0);
      for (const slot of live) {
        slot.buckets.forEach((n, i) => (buckets[i] += n));
      }
      const seconds = Math.max(1, Math.min(WINDOW_SLOTS * SLOT_MS, now - started) / 1000);
      return {
        seconds,
        requests,
        errors,
        requestsPerSecond: requests / seconds,
        errorRatio: requests === 0 ? null : errors / requests,
        latencyP95Seconds: histogramQuantile(0.95, buckets),
      };
    },
    saturation(): number {
      current(clock());
      return performance.eventLoopUtilization(performance.eventLoopUtilization(), eluMarks[0]).utilization;
    },
  };
}

type RoleTotals = Record<HostRole, { requests: number; errors: number }>;

export function createProcessCounters(options: {
  registry?: Registry;
  hostRole: HostRole;
  clock?: () => number;
}): ProcessCounters {
  const series = createSeries(options.registry ? [options.registry] : []);
  const window = createWindow(options.clock ?? (() => Date.now()));
  const totals = Object.fromEntries(HostRole.options.map((role) => [role, { requests: 0, errors: 0 }])) as RoleTotals;
  const role = { host_role: options.hostRole };
  return {
    hostRole: options.hostRole,
    record(statusCode, durationMs) {
      const isError = statusCode >= 500;
      window.record(isError, durationMs);
      totals[options.hostRole].requests += 1;
      series.roleRequests.inc(role);
      if (isError) {
        totals[options.hostRole].errors += 1;
        series.roleErrors.inc(role);
      }
    },
    window: () => window.summary(),
    saturation: () => window.saturation(),
    platformRoles() {
      return Object.fromEntries(HostRole.options.map((name) => [name, { ...totals[name] }])) as RoleTotals;
    },
    backendError(reason) {
      series.backendErrors.inc({ reason });
    },
    sourceMode(used) {
      series.mode.set({ mode: 'in_memory' }, used === 'in_memory' ? 1 : 0);
      series.mode.set({ mode: 'backend' }, used === 'backend' ? 1 : 0);
    },
  };
}
