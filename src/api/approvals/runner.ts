/**
 * The remediation worker: runs approved actions exactly once (worker/execute.ts), checks their
 * verification query when it falls due (worker/verify.ts), expires undecided requests
 * (worker/expire.ts), and applies audit retention (audit/retention.ts). This file only schedules those
 * steps on plain values (worker/context.ts); plugins/remediation.ts wires it to the Fastify instance.
 * Everything is driven by `ctx.now()` and by `tick()`, so tests move the clock and call `tick()`
 * instead of sleeping; the server also ticks every OPSDECK_REMEDIATION_INTERVAL_MS and once at start
 * (which is how executions interrupted by a crash resume).
 */
import { createAuditRetention } from '../audit/retention';
import type { Fetch } from './executor';
import { dueVerifications, runnableExecutions } from './execution-repository';
import { BATCH, type WorkerContext } from './worker/context';
import { execute } from './worker/execute';
import { expireUndecided } from './worker/expire';
import { verify } from './worker/verify';

export interface RemediationOptions {
  /** Do nothing on start or on kick (tests that build a crash state). `tick()` still works. */
  paused?: boolean;
  /** fetch used for executors and Prometheus (tests may inject one). */
  fetch?: Fetch;
}

export interface TickReport {
  expired: number;
  executed: number;
  verified: number;
  purged: number;
}

export interface RemediationRunner {
  /** Runs this approval's execution soon (after the transaction that approved it committed). */
  kick(approvalId: string): void;
  /** One pass over everything due at ctx.now(). */
  tick(): Promise<TickReport>;
  /** Resolves when no kicked or ticked work is running. */
  idle(): Promise<void>;
}

/** The runner with its lifecycle: `start` when the API is ready, `stop` when it closes. */
export interface RemediationWorker extends RemediationRunner {
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** One pass over everything due at ctx.now(): expire, execute, verify, then retention. */
async function tickOnce(ctx: WorkerContext, purgeIfDue: (now: Date) => Promise<number>): Promise<TickReport> {
  const now = ctx.now();
  const report: TickReport = { expired: 0, executed: 0, verified: 0, purged: 0 };
  report.expired = await expireUndecided(ctx, now);
  for (const approvalId of await runnableExecutions(ctx.store, now, BATCH)) {
    report.executed += (await execute(ctx, approvalId)) ? 1 : 0;
  }
  for (const { approval_id, promql } of await dueVerifications(ctx.store, now, BATCH)) {
    report.verified += (await verify(ctx, approval_id, promql)) ? 1 : 0;
  }
  report.purged = await purgeIfDue(now);
  return report;
}

/** `ctx.closing()` is this worker's own state: true once `stop()` was called. */
export function createRemediationWorker(
  ctx: Omit<WorkerContext, 'closing'>,
  options: { paused?: boolean } = {}
): RemediationWorker {
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | null = null;
  let closing = false;
  const worker: WorkerContext = { ...ctx, closing: () => closing };
  const { log } = ctx;
  const retention = createAuditRetention(ctx.store, () => ctx.config.auditRetentionDays, log);

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  const runner: RemediationWorker = {
    kick(approvalId) {
      if (options.paused || closing) {
        return;
      }
      track(execute(worker, approvalId)).catch((err: unknown) =>
        log().error({ err, approval_id: approvalId }, 'execution failed to run')
      );
    },
    tick() {
      return track(tickOnce(worker, (now) => retention.purgeIfDue(now)));
    },
    async idle() {
      while (inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
      }
    },
    start(intervalMs) {
      if (options.paused) {
        return;
      }
      // Resume whatever a previous process left: approved but never run, or cut off mid-call.
      runner.tick().catch((err: unknown) => log().error({ err }, 'remediation recovery at start failed'));
      if (intervalMs > 0) {
        timer = setInterval(() => {
          runner.tick().catch((err: unknown) => log().error({ err }, 'remediation tick failed'));
        }, intervalMs);
        timer.unref();
      }
    },
    async stop() {
      closing = true;
      if (timer) {
        clearInterval(timer);
      }
      await runner.idle();
    },
  };
  return runner;
}
