/**
 * Admission for the intake, in front of the store (issue 13.3). Two things used to go wrong under a
 * same-key burst: every payload took a pool connection and then waited on the key's advisory lock with
 * it, so the pool ran dry ("timeout exceeded when trying to connect" → 500) and so did readiness.
 *
 * The gate makes payloads wait in memory instead:
 * - per lock slot (the same slots the transaction locks in PostgreSQL, repository.ts): payloads of one
 *   key in this process run one after another, so at most one of them per replica holds a connection
 *   while it waits for another replica's transaction on that key;
 * - a bounded number of intake transactions run at once, so the other routes, the worker and the
 *   request log always find a free connection.
 * A payload that cannot start within `maxWaitMs`, or finds `maxQueued` payloads already waiting, is
 * refused with 503 and Retry-After: Alertmanager and Grafana retry a 5xx webhook, and an answer they can
 * retry beats one that times out or a 500.
 *
 * async-mutex provides the mutexes and the semaphore with timeouts (its withTimeout releases a lock that
 * is granted after the waiter gave up).
 */
import { E_TIMEOUT, Mutex, Semaphore, withTimeout, type MutexInterface, type SemaphoreInterface } from 'async-mutex';

import { ApiError } from '../errors';

export interface IntakeGateOptions {
  /** Intake transactions running at once in this process. */
  concurrency: number;
  maxWaitMs: number;
  maxQueued: number;
  /** Seconds a refused sender is told to wait. */
  retryAfterSeconds?: number;
}

export interface IntakeGate {
  run<T>(slots: number[], work: () => Promise<T>): Promise<T>;
  /** Payloads waiting or running now (a gauge for /metrics and tests). */
  readonly pending: number;
}

/** Defaults sized for the PostgreSQL pool of 10 connections: 6 for intake, 4 for everything else. */
export const INTAKE_GATE_DEFAULTS: IntakeGateOptions = {
  concurrency: 6,
  maxWaitMs: 5_000,
  maxQueued: 2_000,
  retryAfterSeconds: 1,
};

export function overloaded(reason: string, retryAfterSeconds: number): ApiError {
  return new ApiError(
    503,
    'overloaded',
    `intake is overloaded (${reason}); retry after ${retryAfterSeconds} s — nothing of this payload was written`,
    { retry_after_seconds: retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) }
  );
}

export function createIntakeGate(options: IntakeGateOptions = INTAKE_GATE_DEFAULTS): IntakeGate {
  const retryAfter = options.retryAfterSeconds ?? 1;
  const mutexes = new Map<number, MutexInterface>();
  const semaphore: SemaphoreInterface = new Semaphore(options.concurrency);
  let pending = 0;

  const mutexOf = (slot: number) => {
    let mutex = mutexes.get(slot);
    if (!mutex) {
      mutex = new Mutex();
      mutexes.set(slot, mutex);
    }
    return mutex;
  };

  /** Takes the slots in ascending order (no two payloads can deadlock), then a transaction permit. */
  async function admit(slots: number[]): Promise<Array<() => void>> {
    const deadline = Date.now() + options.maxWaitMs;
    const releases: Array<() => void> = [];
    const remaining = () => Math.max(1, deadline - Date.now());
    try {
      for (const slot of [...new Set(slots)].sort((a, b) => a - b)) {
        releases.push(await withTimeout(mutexOf(slot), remaining()).acquire());
      }
      const [, release] = await withTimeout(semaphore, remaining()).acquire();
      releases.push(release);
      return releases;
    } catch (error) {
      releases.reverse().forEach((release) => release());
      if (error === E_TIMEOUT) {
        throw overloaded(`waited ${options.maxWaitMs} ms for a turn`, retryAfter);
      }
      throw error;
    }
  }

  return {
    async run(slots, work) {
      if (pending >= options.maxQueued) {
        throw overloaded(`${pending} payloads already waiting`, retryAfter);
      }
      pending += 1;
      try {
        const releases = await admit(slots);
        try {
          return await work();
        } finally {
          releases.reverse().forEach((release) => release());
        }
      } finally {
        pending -= 1;
      }
    },
    get pending() {
      return pending;
    },
  };
}
