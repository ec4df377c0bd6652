/**
 * The remediation worker: runs approved actions exactly once, checks their verification query when it
 * falls due, expires undecided requests, and applies audit retention. Everything is driven by
 * `app.now()` and by `tick()`, so tests move the clock and call `tick()` instead of sleeping; the
 * server also ticks every OPSDECK_REMEDIATION_INTERVAL_MS and once at start (which is how executions
 * interrupted by a crash resume).
 *
 * Exactly once: the decision's transaction wrote the execution intent (status pending) before anyone
 * called the executor. A worker claims it with a conditional UPDATE (pending → running, with a lease),
 * calls the executor with the intent's Idempotency-Key, and records the result only if its claim is
 * still the current one. A crash before the call leaves `pending` (resumed, called once); a crash
 * during the call leaves `running` until the lease runs out, then the call is re-sent with the same
 * key, which the executor uses to recognise the repeat.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ulid } from 'ulid';

import type { ActionDefinition } from '../../contract/approvals';
import { appendAudit, type AuditContext } from '../audit/append';
import { purgeAudit } from '../audit/purge';
import { queryAll } from '../prometheus';
import type { Sql } from '../store';
import { isStoreUnavailable } from '../store/errors';
import { fillPromql, runExecutor, type ExecutorResult, type Fetch } from './executor';
import { appendTimeline } from './incidents';
import { findApproval, type ApprovalRecord } from './store';

const MINUTE = 60_000;
/** A claim outlives the executor's timeout by this much before another worker may take it over. */
const LEASE_MARGIN_MS = 60_000;
const BATCH = 20;
const PURGE_EVERY_MS = 24 * 60 * MINUTE;
const PROMETHEUS_TIMEOUT_MS = 5_000;
/** 8 attempts with doubling backoff from 250 ms: about a minute, inside the lease margin. */
const RESULT_WRITE_ATTEMPTS = 8;
const RESULT_WRITE_BACKOFF_MS = 250;

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

const systemContext = (approval: Pick<ApprovalRecord, 'tenant' | 'project' | 'correlation_id'>): AuditContext => ({
  actor: 'opsdeck',
  role: 'system',
  tenant: approval.tenant,
  project: approval.project,
  correlation_id: approval.correlation_id,
  source_ip: null,
});

export function registerRemediation(app: FastifyInstance, options: RemediationOptions = {}) {
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | null = null;
  let lastPurgeAt: number | null = null;
  let closing = false;
  const log = (): FastifyBaseLogger => app.log.child({ component: 'remediation' });
  const doFetch: Fetch = options.fetch ?? fetch;

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  async function claim(approvalId: string, action: ActionDefinition | undefined) {
    const now = app.now();
    const leaseMs = (action?.executor.type === 'http' ? action.executor.timeout_ms : 0) + LEASE_MARGIN_MS;
    return app.store.transaction(async (tx) => {
      const claimed = await tx.query<{ idempotency_key: string; attempts: number }>(
        `UPDATE executions
            SET status = 'running', attempts = attempts + 1, lease_until = $2, started_at = COALESCE(started_at, $3)
          WHERE approval_id = $1 AND (status = 'pending' OR (status = 'running' AND lease_until < $3))
      RETURNING idempotency_key, attempts`,
        [approvalId, new Date(now.getTime() + leaseMs).toISOString(), now.toISOString()]
      );
      if (claimed.rows.length === 0) {
        return null;
      }
      await tx.query(
        "UPDATE approvals SET status = 'executing', updated_at = $2 WHERE id = $1 AND status IN ('approved', 'executing')",
        [approvalId, now.toISOString()]
      );
      const approvers = await tx.query<{ decided_by: string }>(
        "SELECT decided_by FROM approval_decisions WHERE approval_id = $1 AND decision = 'approve' ORDER BY id",
        [approvalId]
      );
      return {
        key: claimed.rows[0].idempotency_key,
        attempt: Number(claimed.rows[0].attempts),
        approvedBy: approvers.rows.map((r) => r.decided_by),
      };
    });
  }

  async function execute(approvalId: string): Promise<boolean> {
    const approval = await findApproval(app.store, approvalId, { kind: 'all' });
    if (!approval) {
      return false;
    }
    const action = app.catalog.current().actions.get(approval.action_id);
    const claimed = await claim(approvalId, action);
    if (!claimed) {
      return false;
    }
    const result: ExecutorResult = action
      ? await runExecutor(
          action,
          {
            approval_id: approval.id,
            incident_id: approval.incident_id,
            tenant: approval.tenant,
            project: approval.project,
            action_id: approval.action_id,
            parameters: approval.parameters,
            requested_by: approval.requested_by,
            approved_by: claimed.approvedBy,
            correlation_id: approval.correlation_id,
          },
          claimed.key,
          { baseUrl: app.config.executorBaseUrl, token: app.config.executorToken, fetch: doFetch }
        )
      : {
          ok: false,
          http_status: null,
          output_excerpt: `action ${approval.action_id} is no longer in the catalog`,
          duration_ms: 0,
        };
    await withStoreRetries(() => finish(approval, action, claimed.attempt, result));
    return true;
  }

  /**
   * The executor has acted: its result must be recorded, or after the lease the call is sent again.
   * A store that is briefly away (a failover, a restart, a full pool) is waited for instead, with
   * backoff; `finish` is conditional on the claim's attempt number, so a retry never records twice.
   */
  async function withStoreRetries(work: () => Promise<void>) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await work();
        return;
      } catch (error) {
        if (!isStoreUnavailable(error) || attempt >= RESULT_WRITE_ATTEMPTS || closing) {
          throw error;
        }
        log().warn({ err: error, attempt }, 'recording an execution result failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RESULT_WRITE_BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
  }

  async function finish(
    approval: ApprovalRecord,
    action: ActionDefinition | undefined,
    attempt: number,
    result: ExecutorResult
  ) {
    const now = app.now();
    await app.store.transaction(async (tx) => {
      const status = result.ok ? 'succeeded' : 'failed';
      const recorded = await tx.query(
        `UPDATE executions
            SET status = $3, http_status = $4, output_excerpt = $5, duration_ms = $6, finished_at = $7, lease_until = NULL
          WHERE approval_id = $1 AND status = 'running' AND attempts = $2
      RETURNING approval_id`,
        [approval.id, attempt, status, result.http_status, result.output_excerpt, result.duration_ms, now.toISOString()]
      );
      if (recorded.rows.length === 0) {
        // Another worker took the claim over after our lease ran out; its result counts.
        return;
      }
      await tx.query('UPDATE approvals SET status = $2, updated_at = $3 WHERE id = $1', [
        approval.id,
        status,
        now.toISOString(),
      ]);
      const verification = result.ok ? action?.verification : undefined;
      if (verification) {
        await tx.query(
          `INSERT INTO verifications (approval_id, promql, status, due_at) VALUES ($1, $2, 'pending', $3) ON CONFLICT (approval_id) DO NOTHING`,
          [
            approval.id,
            fillPromql(verification.promql, approval.parameters),
            new Date(now.getTime() + verification.hold_minutes * MINUTE).toISOString(),
          ]
        );
      }
      const http = result.http_status === null ? '' : ` (HTTP ${result.http_status})`;
      await appendTimeline(tx, {
        incident_id: approval.incident_id,
        at: now,
        kind: result.ok ? 'action_executed' : 'action_failed',
        actor: 'opsdeck',
        summary: result.ok
          ? `${approval.action_title} ran${http} in ${Math.round(result.duration_ms)} ms${verification ? `; verification due in ${verification.hold_minutes} min` : ''}`
          : `${approval.action_title} failed${http}: ${result.output_excerpt.slice(0, 200)}`,
        data: { approval_id: approval.id, http_status: result.http_status, duration_ms: result.duration_ms, attempt },
        correlation_id: approval.correlation_id,
      });
      await appendAudit(
        tx,
        systemContext(approval),
        {
          action: result.ok ? 'execution.succeeded' : 'execution.failed',
          target_type: 'approval',
          target_id: approval.id,
          before: { status: 'executing' },
          after: { status, http_status: result.http_status, duration_ms: result.duration_ms, attempt },
        },
        now
      );
    });
  }

  async function evaluate(promql: string): Promise<{ passed: boolean; detail: string } | { skipped: string }> {
    const base = app.config.prometheusUrl;
    if (!base) {
      return { skipped: 'OPSDECK_PROMETHEUS_URL is not set; the verification query was not run' };
    }
    let values: number[];
    try {
      const [samples] = await queryAll(base, [promql], { timeoutMs: PROMETHEUS_TIMEOUT_MS, fetchImpl: doFetch });
      values = samples.map((sample) => sample.value);
    } catch (error) {
      return { passed: false, detail: `Prometheus query failed: ${(error as Error).message}` };
    }
    const passed = values.length > 0 && values.every((v) => Number.isFinite(v) && v !== 0);
    return {
      passed,
      detail:
        values.length === 0
          ? 'the query returned no samples: the condition does not hold'
          : `${values.length} sample${values.length === 1 ? '' : 's'}: ${values.slice(0, 5).join(', ')}${passed ? '' : ' (a zero or non-finite value fails)'}`,
    };
  }

  async function verify(approvalId: string, promql: string): Promise<boolean> {
    const outcome = await evaluate(promql);
    const now = app.now();
    const status = 'skipped' in outcome ? 'skipped' : outcome.passed ? 'passed' : 'failed';
    const detail = 'skipped' in outcome ? outcome.skipped : outcome.detail;
    return app.store.transaction(async (tx) => {
      const updated = await tx.query(
        `UPDATE verifications SET status = $2, checked_at = $3, detail = $4 WHERE approval_id = $1 AND status = 'pending' RETURNING approval_id`,
        [approvalId, status, now.toISOString(), detail]
      );
      if (updated.rows.length === 0) {
        return false;
      }
      const approval = (await findApproval(tx, approvalId, { kind: 'all' }))!;
      if (status !== 'skipped') {
        await appendTimeline(tx, {
          incident_id: approval.incident_id,
          at: now,
          kind: status === 'passed' ? 'verification_passed' : 'verification_failed',
          actor: 'opsdeck',
          summary: `${approval.action_title}: verification ${status} — ${detail}`,
          data: { approval_id: approvalId, promql, status },
          correlation_id: approval.correlation_id,
        });
      }
      await appendAudit(
        tx,
        systemContext(approval),
        {
          action: `verification.${status}`,
          target_type: 'approval',
          target_id: approvalId,
          before: { status: 'pending' },
          after: { status, detail },
        },
        now
      );
      return true;
    });
  }

  async function expire(sql: Sql, now: Date): Promise<number> {
    const due = await sql.query<{ id: string }>(
      "SELECT id FROM approvals WHERE status = 'pending' AND expires_at <= $1 ORDER BY id LIMIT $2",
      [now.toISOString(), BATCH]
    );
    let count = 0;
    for (const { id } of due.rows) {
      const changed = await app.store.transaction(async (tx) => {
        const moved = await tx.query(
          "UPDATE approvals SET status = 'expired', updated_at = $2 WHERE id = $1 AND status = 'pending' AND expires_at <= $2 RETURNING id",
          [id, now.toISOString()]
        );
        if (moved.rows.length === 0) {
          return false;
        }
        const approval = (await findApproval(tx, id, { kind: 'all' }))!;
        await appendTimeline(tx, {
          incident_id: approval.incident_id,
          at: now,
          kind: 'approval_decided',
          actor: 'opsdeck',
          summary: `${approval.action_title} expired undecided after ${Math.round((approval.expires_at.getTime() - approval.requested_at.getTime()) / MINUTE)} min`,
          data: { approval_id: id, status: 'expired' },
          correlation_id: approval.correlation_id,
        });
        await appendAudit(
          tx,
          systemContext(approval),
          {
            action: 'approval.expired',
            target_type: 'approval',
            target_id: id,
            before: { status: 'pending' },
            after: { status: 'expired' },
          },
          now
        );
        return true;
      });
      count += changed ? 1 : 0;
    }
    return count;
  }

  async function tickOnce(): Promise<TickReport> {
    const now = app.now();
    const report: TickReport = { expired: 0, executed: 0, verified: 0, purged: 0 };
    report.expired = await expire(app.store, now);
    const runnable = await app.store.query<{ approval_id: string }>(
      `SELECT approval_id FROM executions
        WHERE status = 'pending' OR (status = 'running' AND lease_until < $1)
        ORDER BY created_at LIMIT $2`,
      [now.toISOString(), BATCH]
    );
    for (const { approval_id } of runnable.rows) {
      report.executed += (await execute(approval_id)) ? 1 : 0;
    }
    const due = await app.store.query<{ approval_id: string; promql: string }>(
      "SELECT approval_id, promql FROM verifications WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT $2",
      [now.toISOString(), BATCH]
    );
    for (const { approval_id, promql } of due.rows) {
      report.verified += (await verify(approval_id, promql)) ? 1 : 0;
    }
    if (lastPurgeAt === null || now.getTime() - lastPurgeAt >= PURGE_EVERY_MS) {
      lastPurgeAt = now.getTime();
      const purge = await purgeAudit(app.store, {
        retentionDays: app.config.auditRetentionDays,
        now,
        correlationId: `retention-${ulid(now.getTime())}`,
      });
      report.purged = purge.purged;
      if (purge.purged > 0) {
        log().info(
          { purged: purge.purged, cutoff: purge.cutoff, checkpoint_id: purge.checkpoint_id },
          'audit retention purge'
        );
      }
    }
    return report;
  }

  const runner: RemediationRunner = {
    kick(approvalId) {
      if (options.paused || closing) {
        return;
      }
      track(execute(approvalId)).catch((err: unknown) =>
        log().error({ err, approval_id: approvalId }, 'execution failed to run')
      );
    },
    tick() {
      return track(tickOnce());
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
