/**
 * The on-call worker of one API process: every interval it (1) escalates the incidents whose
 * `next_escalation_at` is due, writing the new level, its timeline entry and its pages in one
 * transaction, and (2) delivers due pages from the outbox. Several processes may run it against one
 * PostgreSQL: both steps lock with FOR UPDATE SKIP LOCKED, and a page is claimed under a lease.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

import { ConfigError } from '../config';
import { insertTimeline, newIdAt } from '../incidents/repository';
import type { Row, Sql } from '../store';
import {
  appLink,
  DELIVERY_HEADER,
  EVENT_HEADER,
  pagerDutyEvent,
  PAGERDUTY_EVENTS_URL,
  SIGNATURE_HEADER,
  signWebhook,
  slackMessage,
  TIMESTAMP_HEADER,
  webhookBody,
  type PageContent,
} from './channels';
import { signalsByIncident } from './escalation-store';
import { escalationAt, type EscalationState } from './clocks';
import type { Catalog } from '../../catalog/model';
import type { IncidentRecord } from '../incidents/model';
import { createOncallMetrics, type OncallMetrics } from './metrics';
import {
  claimPages,
  completePage,
  enqueuePages,
  MAX_ATTEMPTS,
  releasePage,
  type Outcome,
  type OutboxRow,
} from './outbox';
import { RateLimiter } from './rate-limit';
import { chainWaits, factsOf, incidentsByIds, presentResponse, responsesOf, type ResponseRow } from './response';
import { channelConfigured } from './who';

export interface OncallWorkerOptions {
  /** Default 500 ms: the bench's p99 due → delivered target is 2 s. */
  intervalMs?: number;
  /** Do not start the timer (tests call tick()). */
  paused?: boolean;
  fetch?: typeof fetch;
  /** Where channel variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** PagerDuty Events API URL (tests point it at a local receiver). */
  pagerDutyUrl?: string;
  leaseMs?: number;
  batch?: number;
}

export interface OncallWorker {
  tick(): Promise<{ escalated: number; delivered: number; failed: number; retried: number }>;
  readonly metrics: OncallMetrics;
  readonly owner: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    oncall: OncallWorker;
  }
}

const ESCALATION_BATCH = 100;
/** A tick works through at most this many escalation + delivery rounds before yielding to the timer. */
const MAX_ROUNDS = 200;
const DELIVERY_TIMEOUT_MS = 10_000;

/** Refuses to start when a channel is configured but links could not be absolute. */
export function checkPagingConfig(app: FastifyInstance, env: NodeJS.ProcessEnv) {
  const file = app.catalog.current().oncall;
  const configured = file ? Object.keys(file.channels).filter((channel) => channelConfigured(file, channel, env)) : [];
  if (configured.length > 0 && !app.config.grafanaUrl) {
    throw new ConfigError(
      'OPSDECK_GRAFANA_URL',
      `must be set when a notification channel is configured (${configured.join(', ')}): every link in a page is absolute so that it opens from a phone`
    );
  }
}

export function registerOncall(app: FastifyInstance, options: OncallWorkerOptions = {}) {
  const env = options.env ?? process.env;
  checkPagingConfig(app, env);
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const doFetch = options.fetch ?? fetch;
  const leaseMs = options.leaseMs ?? DELIVERY_TIMEOUT_MS + 20_000;
  const batch = options.batch ?? 200;
  const limiter = new RateLimiter();
  const metrics = createOncallMetrics(app);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  /** One batch of due incidents in one transaction; returns how many were looked at and escalated. */
  async function escalateDue(): Promise<{ seen: number; escalated: number }> {
    const now = app.now();
    const catalog = app.catalog.current();
    return app.store.transaction(async (tx) => {
      const { rows } = await tx.query<Row>(
        `SELECT id FROM incidents WHERE is_open AND next_escalation_at <= $1 ORDER BY next_escalation_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now.toISOString(), ESCALATION_BATCH]
      );
      let escalated = 0;
      // Facts of the whole batch in three queries, not three per incident.
      const ids = rows.map((row) => String(row.id));
      // Sequential: one transaction is one connection, which runs one query at a time.
      const incidents = await incidentsByIds(tx, ids);
      const responses = await responsesOf(tx, ids);
      const signals = await signalsByIncident(tx, ids);
      for (const id of ids) {
        const incident = incidents.get(id)!;
        const response = responses.get(id)!;
        const facts = factsOf(incident, response, signals.get(id) ?? []);
        const state = escalationAt(catalog.responsePolicy, chainWaits(catalog, incident.owner_team), facts, now);
        if (state.level > response.escalation_level) {
          escalated += 1;
          await recordEscalation(tx, catalog, incident, state, now);
        }
        // state.next_at is the next step above the level just reached.
        await tx.query('UPDATE incidents SET next_escalation_at = $2 WHERE id = $1', [
          id,
          state.next_at?.toISOString() ?? null,
        ]);
      }
      return { seen: rows.length, escalated };
    });
  }

  async function recordEscalation(
    tx: Sql,
    catalog: Catalog,
    incident: IncidentRecord,
    state: EscalationState,
    now: Date
  ) {
    await tx.query('UPDATE incidents SET escalation_level = $2 WHERE id = $1', [incident.id, state.level]);
    for (const step of state.reasons) {
      await insertTimeline(tx, [
        {
          id: newIdAt(now),
          incident_id: incident.id,
          at: now,
          kind: 'escalated',
          actor: 'system',
          summary: `Escalated to level ${step.level}: ${step.reason}`,
          data: { level: step.level, reason: step.reason, due_at: step.at.toISOString() },
          correlation_id: null,
        },
      ]);
      await enqueuePages(tx, catalog, incident, 'escalated', step.level, now, step.at);
      metrics.escalations.inc({ severity: incident.severity, level: String(step.level) });
    }
  }

  function contentOf(
    page: OutboxRow,
    now: Date,
    incident: IncidentRecord | undefined,
    response: ResponseRow | undefined
  ): PageContent | null {
    const catalog = app.catalog.current();
    if (!incident || !response) {
      return null;
    }
    const users = catalog.oncall?.users ?? [];
    return {
      delivery_key: page.delivery_key,
      event: page.event,
      level: page.level,
      targets: page.targets.map((id) => {
        const user = users.find((candidate) => candidate.id === id);
        return { id, name: user?.name ?? id, slack_id: user?.slack_id };
      }),
      incident: {
        id: incident.id,
        title: incident.title,
        severity: incident.severity,
        status: incident.status,
        owner_team: incident.owner_team,
        service: incident.service,
        opened_at: incident.opened_at.toISOString(),
        tenant: incident.tenant,
        project: incident.project,
      },
      response: presentResponse(catalog, incident, response, now),
      links: {
        incident: appLink(app.config.grafanaUrl, `incidents/${encodeURIComponent(incident.id)}`),
        runbooks: incident.runbook_ids.map((id) => ({
          id,
          title: catalog.runbooks.get(id)?.title ?? id,
          url: appLink(app.config.grafanaUrl, `runbooks/${encodeURIComponent(id)}`),
        })),
      },
      at: now,
      ...(page.update ? { update: page.update } : {}),
    };
  }

  /** One HTTP delivery; a 2xx is delivered, 408/429/5xx and network errors are retried, other 4xx fail. */
  async function send(page: OutboxRow, content: PageContent): Promise<Outcome> {
    const file = app.catalog.current().oncall;
    const channel = file?.channels[page.channel];
    if (!file || !channel || !channelConfigured(file, page.channel, env)) {
      return {
        status: 'skipped',
        error: `channel ${page.channel} is not configured (its environment variables are unset)`,
      };
    }
    let url: string;
    let body: string;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'opsdeck-oncall' };
    if (channel.type === 'pagerduty') {
      // OPSDECK_PAGERDUTY_EVENTS_URL: the EU service region (https://events.eu.pagerduty.com/v2/enqueue) or a proxy.
      url = options.pagerDutyUrl ?? env.OPSDECK_PAGERDUTY_EVENTS_URL ?? PAGERDUTY_EVENTS_URL;
      body = JSON.stringify(pagerDutyEvent(content, env[channel.routing_key_env]!));
    } else if (channel.type === 'slack') {
      url = env[channel.webhook_url_env]!;
      body = JSON.stringify(slackMessage(content));
    } else {
      url = env[channel.url_env]!;
      body = JSON.stringify(webhookBody(content));
      const timestamp = Math.floor(Date.now() / 1000);
      headers[TIMESTAMP_HEADER] = String(timestamp);
      headers[SIGNATURE_HEADER] = signWebhook(env[channel.secret_env]!, timestamp, body);
      headers[DELIVERY_HEADER] = page.delivery_key;
      headers[EVENT_HEADER] = page.event;
    }
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        return { status: 'delivered' };
      }
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
      return { status: retryable ? 'retry' : 'failed', error: `${channel.type} answered HTTP ${response.status}` };
    } catch (error) {
      return { status: 'retry', error: `${channel.type}: ${(error as Error).message}` };
    }
  }

  async function deliverDue() {
    const now = app.now();
    const pages = await claimPages(app.store, owner, now, new Date(now.getTime() + leaseMs), batch);
    const totals = { delivered: 0, failed: 0, retried: 0, claimed: pages.length };
    const catalog = app.catalog.current();
    // One read for the whole batch, sends in parallel, then every outcome recorded in one transaction:
    // per-page transactions on a 10-connection pool were the bottleneck of the burst bench.
    const ids = [...new Set(pages.map((page) => page.incident_id))];
    const incidents = await incidentsByIds(app.store, ids);
    const responses = await responsesOf(app.store, ids);
    const sent: Array<{ page: OutboxRow; outcome: Outcome }> = [];
    await Promise.all(
      pages.map(async (page) => {
        const rate = catalog.oncall?.channels[page.channel]?.rate_per_minute ?? 60;
        const wait = limiter.take(page.channel, rate, Date.now());
        if (wait > 0) {
          await releasePage(app.store, page, owner, new Date(now.getTime() + wait));
          return;
        }
        const content = contentOf(page, now, incidents.get(page.incident_id), responses.get(page.incident_id));
        const outcome: Outcome = content
          ? await send(page, content)
          : { status: 'failed', error: 'incident no longer exists' };
        sent.push({ page, outcome });
      })
    );
    const doneAt = app.now();
    const recorded = await app.store.transaction(async (tx) => {
      const out: typeof sent = [];
      for (const item of sent) {
        if (await completePage(tx, item.page, owner, item.outcome, doneAt)) {
          out.push(item);
        }
      }
      return out;
    });
    for (const { page, outcome } of recorded) {
      const final = outcome.status === 'retry' && page.attempts >= MAX_ATTEMPTS ? 'failed' : outcome.status;
      metrics.notifications.inc({ channel: page.channel_type, outcome: final });
      if (final === 'delivered') {
        totals.delivered += 1;
        metrics.latency.observe(
          { channel: page.channel_type },
          Math.max(0, (doneAt.getTime() - page.due_at.getTime()) / 1000)
        );
      } else if (final === 'retry') {
        totals.retried += 1;
      } else {
        totals.failed += 1;
      }
    }
    return totals;
  }

  /** Escalation batches and delivery batches alternate, so the first pages leave while later incidents still escalate. */
  async function tick() {
    const totals = { escalated: 0, delivered: 0, failed: 0, retried: 0 };
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const escalation = await escalateDue();
      const delivery = await deliverDue();
      totals.escalated += escalation.escalated;
      totals.delivered += delivery.delivered;
      totals.failed += delivery.failed;
      totals.retried += delivery.retried;
      if (escalation.seen < ESCALATION_BATCH && delivery.claimed < batch) {
        break;
      }
    }
    return totals;
  }

  const worker: OncallWorker = {
    owner,
    metrics,
    tick: () => {
      // One tick at a time per process; a caller during a tick waits for it, then runs its own.
      const next = (running ?? Promise.resolve()).catch(() => undefined).then(tick);
      running = next;
      return next;
    },
  };
  app.decorate('oncall', worker);

  const loop = async () => {
    try {
      await worker.tick();
    } catch (error) {
      app.log.warn({ err: error, component: 'oncall' }, 'on-call worker tick failed; retrying next interval');
    }
    if (timer !== null) {
      timer = setTimeout(() => void loop(), options.intervalMs ?? 500);
    }
  };
  app.addHook('onReady', async () => {
    // Without oncall.yaml nothing is ever paged or escalated: no timer.
    if (!options.paused && app.catalog.current().oncall) {
      timer = setTimeout(() => void loop(), 0);
    }
  });
  app.addHook('onClose', async () => {
    if (timer) {
      clearTimeout(timer);
    }
    timer = null;
    await running?.catch(() => undefined);
  });
}
