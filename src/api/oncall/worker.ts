/**
 * The on-call worker of one API process: every interval it (1) escalates the incidents whose
 * `next_escalation_at` is due, set-based, a batch per transaction (escalation-batch.ts), writing their
 * pages already leased to itself, and (2) delivers pages (delivery.ts) — the new ones while the next
 * batch escalates, then every other due page of the outbox (retries, pages of other causes, pages a
 * crashed process left behind). Several processes may run it against one PostgreSQL: both steps lock
 * with FOR UPDATE SKIP LOCKED, and a page is claimed under a lease.
 */
import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';

import type { Catalog } from '../../catalog/model';
import { ConfigError } from '../config';
import type { Store } from '../store';
import {
  createDelivery,
  DEFAULT_CONCURRENCY,
  DELIVERY_TIMEOUT_MS,
  type DeliveryTotals,
  type SentBatch,
} from './delivery';
import { escalateBatch } from './escalation-batch';
import { nextEscalationDue } from './escalation-store';
import { createHttpPoster, type HttpPoster } from './http-post';
import { createOncallMetrics, type OncallMetrics } from './metrics';
import { claimPages } from './outbox';
import { channelConfigured } from './who';

export interface OncallWorkerOptions {
  /** Default 500 ms: the bench's p99 due → delivered target is 2 s. */
  intervalMs?: number;
  /** Do not start the timer (tests call tick()). */
  paused?: boolean;
  /** Where channel variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** PagerDuty Events API URL (tests point it at a local receiver). */
  pagerDutyUrl?: string;
  leaseMs?: number;
  /** Pages claimed per delivery batch. */
  batch?: number;
  /** Incidents escalated per transaction. */
  escalationBatch?: number;
  /** Requests in flight per target and process (default 16). */
  concurrency?: number;
}

export type TickTotals = DeliveryTotals & { escalated: number };

export interface OncallWorker {
  tick(): Promise<TickTotals>;
  readonly metrics: OncallMetrics;
  readonly owner: string;
}

/** The worker with its lifecycle: `start` when the API is ready, `stop` when it closes. */
export interface OncallWorkerLifecycle extends OncallWorker {
  start(): void;
  stop(): Promise<void>;
}

/** What the worker needs of the API process (plugins/oncall.ts passes the instance's parts). */
export interface OncallDeps {
  store: Store;
  now(): Date;
  catalog(): Catalog;
  /** OPSDECK_GRAFANA_URL: every link in a page is absolute. */
  grafanaUrl: string;
  /** The process's metrics registry (/metrics). */
  registry: Registry;
  log: { warn(details: object, message: string): void };
}

/** A tick works through at most this many batches of each step before yielding to the timer. */
const MAX_ROUNDS = 200;
const LEASE_MS = 30_000;
/** Incidents in a tick's first escalation batch (then `escalationBatch`). */
const FIRST_ESCALATION_BATCH = 200;
/** Sent pages whose outcomes may wait to be recorded (see outcomeBuffer). */
const MAX_UNRECORDED = 20_000;
/** Escalation transactions in parallel per process on PostgreSQL (the pool has 10 connections). */
const ESCALATION_LANES = 3;

/** Refuses to start when a channel is configured but links could not be absolute. */
export function checkPagingConfig(catalog: Catalog, grafanaUrl: string, env: NodeJS.ProcessEnv) {
  const file = catalog.oncall;
  const configured = file ? Object.keys(file.channels).filter((channel) => channelConfigured(file, channel, env)) : [];
  if (configured.length > 0 && !grafanaUrl) {
    throw new ConfigError(
      'OPSDECK_GRAFANA_URL',
      `must be set when a notification channel is configured (${configured.join(', ')}): every link in a page is absolute so that it opens from a phone`
    );
  }
}

function addTotals(into: TickTotals, more: Partial<TickTotals>) {
  into.escalated += more.escalated ?? 0;
  into.delivered += more.delivered ?? 0;
  into.failed += more.failed ?? 0;
  into.retried += more.retried ?? 0;
}

/**
 * Outcomes of a burst's pages wait to be recorded until its sends are done: recording them costs the
 * database and this process as much as escalating, and a page's latency ends when it is delivered.
 * They are recorded sooner when the oldest waits a third of the lease (long before another process
 * could take the rows over) or too many have piled up.
 */
function outcomeBuffer(
  record: (batches: readonly SentBatch[]) => Promise<DeliveryTotals>,
  now: () => Date,
  leaseMs: number,
  totals: TickTotals
) {
  const waiting: SentBatch[] = [];
  let size = 0;
  const flush = async () => {
    const batches = waiting.splice(0, waiting.length);
    size = 0;
    addTotals(totals, await record(batches));
  };
  return {
    add(batch: SentBatch) {
      waiting.push(batch);
      size += batch.sent.length;
    },
    flush,
    async flushIfDue() {
      const oldest = waiting[0]?.doneAt.getTime();
      if (size >= MAX_UNRECORDED || (oldest !== undefined && now().getTime() - oldest > leaseMs / 3)) {
        await flush();
      }
    },
  };
}

type OutcomeBuffer = ReturnType<typeof outcomeBuffer>;

/** One tick: escalation batches (their pages delivered alongside), then the rest of the due outbox. */
function createTick(
  app: OncallDeps,
  options: OncallWorkerOptions,
  owner: string,
  metrics: OncallMetrics,
  http: HttpPoster
) {
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const batch = options.batch ?? 500;
  const escalationBatch = options.escalationBatch ?? 1_000;
  const delivery = createDelivery({
    store: app.store,
    catalog: app.catalog,
    now: app.now,
    grafanaUrl: app.grafanaUrl,
    env: options.env ?? process.env,
    http,
    pagerDutyUrl: options.pagerDutyUrl,
    owner,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    metrics,
  });
  const lease = (now: Date) => ({ owner, leaseUntil: new Date(now.getTime() + leaseMs) });

  /** Escalation batches one after the other; each batch's pages are sent while the next escalates. */
  async function escalationLane(totals: TickTotals, deliveries: Array<Promise<void>>, outcomes: OutcomeBuffer) {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const now = app.now();
      const catalog = app.catalog();
      // The first batch is small so that the first pages leave while the rest of a burst escalates.
      const size = round === 0 ? Math.min(FIRST_ESCALATION_BATCH, escalationBatch) : escalationBatch;
      const result = await app.store.transaction((tx) => escalateBatch(tx, catalog, now, size, lease(now)));
      for (const step of result.steps) {
        metrics.escalations.inc({ severity: step.severity, level: String(step.level) });
      }
      totals.escalated += result.escalated;
      // A failed delivery leaves its pages leased: they are retried when the lease expires.
      deliveries.push(delivery.send(result.pages, result).then((batch) => outcomes.add(batch)));
      await outcomes.flushIfDue();
      if (result.seen < size) {
        return;
      }
    }
  }

  /**
   * Several lanes escalate side by side on PostgreSQL (SKIP LOCKED gives each its own incidents; the
   * embedded store runs one transaction at a time anyway): a burst is bound by the database's work
   * per batch, which several connections share out.
   */
  async function escalateAll(totals: TickTotals) {
    const deliveries: Array<Promise<void>> = [];
    const outcomes = outcomeBuffer(delivery.record, app.now, leaseMs, totals);
    const lanes = app.store.kind === 'postgres' ? ESCALATION_LANES : 1;
    try {
      await Promise.all(Array.from({ length: lanes }, () => escalationLane(totals, deliveries, outcomes)));
    } finally {
      const settled = await Promise.allSettled(deliveries);
      await outcomes.flush();
      const failure = settled.find((outcome) => outcome.status === 'rejected');
      if (failure) {
        throw (failure as PromiseRejectedResult).reason;
      }
    }
  }

  return async function tick(): Promise<TickTotals> {
    const totals: TickTotals = { escalated: 0, delivered: 0, failed: 0, retried: 0 };
    await escalateAll(totals);
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const now = app.now();
      const { owner: claimer, leaseUntil } = lease(now);
      const pages = await claimPages(app.store, claimer, now, leaseUntil, batch);
      addTotals(totals, await delivery.deliver(pages));
      if (pages.length < batch) {
        break;
      }
    }
    return totals;
  };
}

/**
 * How long the worker sleeps: until the next escalation falls due when that is sooner than the
 * interval, so a clock is acted on when it falls due rather than up to an interval later (the
 * interval stays the longest sleep: other processes write clocks and pages too). A due time already
 * past is someone else's batch or a lock this tick skipped: the interval, not a busy loop.
 */
export async function untilNextDue(store: Store, now: Date, interval: number): Promise<number> {
  const due = await nextEscalationDue(store).catch(() => null);
  const wait = due ? due.getTime() - now.getTime() : interval;
  // +2 ms: a timer may fire a millisecond before the wall clock reads the due time.
  return wait > 0 && wait < interval ? wait + 2 : interval;
}

/**
 * The worker of one process. `tick()` runs one pass (tests call it with the app clock); `start()`
 * runs passes on a timer until `stop()`, which waits for the running pass.
 */
export function createOncallWorker(deps: OncallDeps, options: OncallWorkerOptions = {}): OncallWorkerLifecycle {
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const metrics = createOncallMetrics(deps);
  const http = createHttpPoster(4 * (options.concurrency ?? DEFAULT_CONCURRENCY), DELIVERY_TIMEOUT_MS);
  const runTick = createTick(deps, options, owner, metrics, http);
  const interval = options.intervalMs ?? 500;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  // One tick at a time per process; a caller during a tick waits for it, then runs its own.
  const tick = () => {
    const next = (running ?? Promise.resolve()).catch(() => undefined).then(runTick);
    running = next;
    return next;
  };
  const loop = async () => {
    try {
      await tick();
    } catch (error) {
      deps.log.warn({ err: error, component: 'oncall' }, 'on-call worker tick failed; retrying next interval');
    }
    if (timer !== null) {
      const wait = await untilNextDue(deps.store, deps.now(), interval);
      // stop() may have run while we asked.
      if (timer !== null) {
        timer = setTimeout(() => void loop(), wait);
      }
    }
  };
  return {
    owner,
    metrics,
    tick,
    start() {
      // Without oncall.yaml nothing is ever paged or escalated: no timer.
      if (!options.paused && deps.catalog().oncall) {
        timer = setTimeout(() => void loop(), 0);
      }
    },
    async stop() {
      if (timer) {
        clearTimeout(timer);
      }
      timer = null;
      await running?.catch(() => undefined);
      http.close();
    },
  };
}
