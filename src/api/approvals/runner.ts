/**
 * The remediation worker: runs approved actions exactly once (worker/execute.ts), checks their
 * verification query when it falls due (worker/verify.ts), expires undecided requests
 * (worker/expire.ts), and applies audit retention (audit/retention.ts). This file only wires those
 * steps to the Fastify instance. Everything is driven by `app.now()` and by `tick()`, so tests move
 * the clock and call `tick()` instead of sleeping; the server also ticks every
 * OPSDECK_REMEDIATION_INTERVAL_MS and once at start (which is how executions interrupted by a crash
 * resume).
 */
import type { FastifyInstance } from 'fastify';

import { createAuditRetention } from '../audit/retention';
import type { Fetch } from './executor';
import type { WorkerContext } from './worker/context';
import { execute, runnableExecutions } from './worker/execute';
import { expireUndecided } from './worker/expire';
import { dueVerifications, verify } from './worker/verify';

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
  /** One pass over everything due at app.now(). */
  tick(): Promise<TickReport>;
  /** Resolves when no kicked or ticked work is running. */
  idle(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    remediation: RemediationRunner;
  }
}

/** One pass over everything due at ctx.now(): expire, execute, verify, then retention. */
async function tickOnce(ctx: WorkerContext, purgeIfDue: (now: Date) => Promise<number>): Promise<TickReport> {
  const now = ctx.now();
  const report: TickReport = { expired: 0, executed: 0, verified: 0, purged: 0 };
  report.expired = await expireUndecided(ctx, now);
  for (const approvalId of await runnableExecutions(ctx.store, now)) {
    report.executed += (await execute(ctx, approvalId)) ? 1 : 0;
  }
  for (const { approval_id, promql } of await dueVerifications(ctx.store, now)) {
    report.verified += (await verify(ctx, approval_id, promql)) ? 1 : 0;
  }
  report.purged = await purgeIfDue(now);
  return report;
}

export function registerRemediation(app: FastifyInstance, options: RemediationOptions = {}) {
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | null = null;
  let closing = false;
  const log = () => app.log.child({ component: 'remediation' });
  const ctx: WorkerContext = {
    store: app.store,
    now: () => app.now(),
    catalog: () => app.catalog.current(),
    config: app.config,
    fetch: options.fetch ?? fetch,
    log,
    closing: () => closing,
  };
  const retention = createAuditRetention(app.store, () => app.config.auditRetentionDays, log);

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  const runner: RemediationRunner = {
    kick(approvalId) {
      if (options.paused || closing) {
        return;
      }
      track(execute(ctx, approvalId)).catch((err: unknown) =>
        log().error({ err, approval_id: approvalId }, 'execution failed to run')
      );
    },
    tick() {
      return track(tickOnce(ctx, (now) => retention.purgeIfDue(now)));
    },
    async idle() {
      while (inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
      }
    },
  };
  app.decorate('remediation', runner);

  app.addHook('onReady', async () => {
    if (options.paused) {
      return;
    }
    // Resume whatever a previous process left: approved but never run, or cut off mid-call.
    runner.tick().catch((err: unknown) => log().error({ err }, 'remediation recovery at start failed'));
    if (app.config.remediationIntervalMs > 0) {
      timer = setInterval(() => {
        runner.tick().catch((err: unknown) => log().error({ err }, 'remediation tick failed'));
      }, app.config.remediationIntervalMs);
      timer.unref();
    }
  });
  app.addHook('onClose', async () => {
    closing = true;
    if (timer) {
      clearInterval(timer);
    }
    await runner.idle();
  });
}
