/**
 * Delivering pages: render each page for its channel, send it over HTTP with bounded concurrency per
 * target, honouring the target's rate limit shared by every process (rate-limit.ts), and record every
 * outcome of a batch in one transaction (outbox.ts completePages).
 *
 * HTTP 2xx = delivered; 408/429/5xx and network errors are retried with backoff; other 4xx fail at once.
 */
import pLimit from 'p-limit';

import type { Catalog } from '../../catalog/model';
import type { IncidentRecord } from '../incidents/model';
import type { Store } from '../store';
import {
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
import type { HttpPoster } from './http-post';
import type { OncallMetrics } from './metrics';
import {
  completePages,
  finalStatus,
  occurrenceKey,
  releasePages,
  type Outcome,
  type OutboxRow,
  type Sent,
} from './outbox';
import { DEFAULT_RATE_PER_MINUTE, rateKey, reserveTokens } from './rate-limit';
import { incidentsByIds, presentResponse, responsesOf, type ResponseRow } from './response';
import { channelConfigured } from './who';
import { absoluteLink, appLinks } from '../../contract/links';

export const DELIVERY_TIMEOUT_MS = 10_000;
/** Requests in flight per target (PagerDuty routing key, Slack URL, webhook URL) and process. */
export const DEFAULT_CONCURRENCY = 16;

export interface DeliveryDeps {
  store: Store;
  catalog: () => Catalog;
  now: () => Date;
  grafanaUrl: string;
  env: NodeJS.ProcessEnv;
  http: HttpPoster;
  /** PagerDuty Events API URL (tests point it at a local receiver). */
  pagerDutyUrl?: string;
  /** The worker's lease owner. */
  owner: string;
  concurrency: number;
  metrics: OncallMetrics;
}

export interface DeliveryTotals {
  delivered: number;
  failed: number;
  retried: number;
}

/** Pages sent and their outcomes, not yet recorded; `doneAt` is when the last answer came. */
export interface SentBatch {
  sent: Sent[];
  doneAt: Date;
}

/** What the pages of a batch are about: their incidents and response rows. */
export interface DeliveryContext {
  incidents: Map<string, IncidentRecord>;
  responses: Map<string, ResponseRow>;
}

/**
 * Renders pages' content for one delivery batch. What depends only on the incident (its fields, the
 * response clocks, the links) is built once per incident, not once per page: a burst sends each
 * incident to every channel of its level, and this is the worker's CPU per page.
 */
function contentRenderer(deps: DeliveryDeps, context: DeliveryContext, now: Date) {
  const catalog = deps.catalog();
  const users = new Map((catalog.oncall?.users ?? []).map((user) => [user.id, user]));
  const perIncident = new Map<
    string,
    Omit<PageContent, 'delivery_key' | 'dedup_key' | 'event' | 'level' | 'targets'>
  >();
  const incidentPart = (incident: IncidentRecord, response: ResponseRow) => {
    let part = perIncident.get(incident.id);
    if (!part) {
      part = {
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
          incident: absoluteLink(deps.grafanaUrl, appLinks.incident(incident.id)),
          runbooks: incident.runbook_ids.map((id) => ({
            id,
            title: catalog.runbooks.get(id)?.title ?? id,
            url: absoluteLink(deps.grafanaUrl, appLinks.runbook(id)),
          })),
        },
        at: now,
      };
      perIncident.set(incident.id, part);
    }
    return part;
  };
  return (page: OutboxRow): PageContent | null => {
    const incident = context.incidents.get(page.incident_id);
    const response = context.responses.get(page.incident_id);
    if (!incident || !response) {
      return null;
    }
    return {
      ...incidentPart(incident, response),
      delivery_key: page.delivery_key,
      dedup_key: occurrenceKey(page),
      event: page.event,
      level: page.level,
      targets: page.targets.map((id) => {
        const user = users.get(id);
        return { id, name: user?.name ?? id, slack_id: user?.slack_id };
      }),
      ...(page.update ? { update: page.update } : {}),
    };
  };
}

/** The request a page makes on its channel (URL, body, headers). */
function requestOf(deps: DeliveryDeps, page: OutboxRow, content: PageContent) {
  const channel = deps.catalog().oncall!.channels[page.channel];
  const env = deps.env;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'opsdeck-oncall' };
  if (channel.type === 'pagerduty') {
    // OPSDECK_PAGERDUTY_EVENTS_URL: the EU service region (https://events.eu.pagerduty.com/v2/enqueue) or a proxy.
    const url = deps.pagerDutyUrl ?? env.OPSDECK_PAGERDUTY_EVENTS_URL ?? PAGERDUTY_EVENTS_URL;
    return {
      type: channel.type,
      url,
      headers,
      body: JSON.stringify(pagerDutyEvent(content, env[channel.routing_key_env]!)),
    };
  }
  if (channel.type === 'slack') {
    return {
      type: channel.type,
      url: env[channel.webhook_url_env]!,
      headers,
      body: JSON.stringify(slackMessage(content)),
    };
  }
  const body = JSON.stringify(webhookBody(content));
  // The signature's timestamp is wall time: the receiver checks it against its own clock (replay window).
  const timestamp = Math.floor(Date.now() / 1000);
  headers[TIMESTAMP_HEADER] = String(timestamp);
  headers[SIGNATURE_HEADER] = signWebhook(env[channel.secret_env]!, timestamp, body);
  headers[DELIVERY_HEADER] = page.delivery_key;
  headers[EVENT_HEADER] = page.event;
  return { type: channel.type, url: env[channel.url_env]!, headers, body };
}

async function post(deps: DeliveryDeps, page: OutboxRow, content: PageContent): Promise<Outcome> {
  const request = requestOf(deps, page, content);
  try {
    const status = await deps.http.post(request.url, request.headers, request.body);
    if (status >= 200 && status < 300) {
      return { status: 'delivered' };
    }
    const retryable = status === 408 || status === 429 || status >= 500;
    return { status: retryable ? 'retry' : 'failed', error: `${request.type} answered HTTP ${status}` };
  } catch (error) {
    return { status: 'retry', error: `${request.type}: ${(error as Error).message}` };
  }
}

/** Pages grouped by the target they go to; pages of unconfigured channels under `null`. */
function byTarget(deps: DeliveryDeps, pages: readonly OutboxRow[]) {
  const file = deps.catalog().oncall;
  const groups = new Map<string | null, { rate: number; pages: OutboxRow[] }>();
  for (const page of pages) {
    const channel = file?.channels[page.channel];
    const configured = file && channel && channelConfigured(file, page.channel, deps.env);
    const key = configured ? rateKey(channel, deps.env) : null;
    const group = groups.get(key) ?? { rate: channel?.rate_per_minute ?? DEFAULT_RATE_PER_MINUTE, pages: [] };
    group.pages.push(page);
    groups.set(key, group);
  }
  return groups;
}

/** Adds the recorded outcomes to `totals` and counts them on the metrics. */
function count(metrics: OncallMetrics, recorded: readonly Sent[], doneAt: Date, totals: DeliveryTotals) {
  for (const { page, outcome } of recorded) {
    const status = finalStatus(page, outcome);
    metrics.notifications.inc({ channel: page.channel_type, outcome: status });
    if (status === 'delivered') {
      totals.delivered += 1;
      const seconds = Math.max(0, (doneAt.getTime() - page.due_at.getTime()) / 1000);
      metrics.latency.observe({ channel: page.channel_type }, seconds);
    } else if (status === 'retry') {
      totals.retried += 1;
    } else if (status === 'failed') {
      totals.failed += 1;
    }
  }
}

/**
 * Records the outcomes of sent batches in one transaction (each batch at the time it was sent) and
 * counts them on the metrics. Until then the rows stay leased to this worker: a crash in between
 * re-sends them once the lease expires, under the same delivery key (at-least-once transport).
 */
async function recordOutcomes(deps: DeliveryDeps, batches: readonly SentBatch[]): Promise<DeliveryTotals> {
  const totals = { delivered: 0, failed: 0, retried: 0 };
  const live = batches.filter((batch) => batch.sent.length > 0);
  if (live.length === 0) {
    return totals;
  }
  const recorded = await deps.store.transaction(async (tx) => {
    const out: SentBatch[] = [];
    for (const batch of live) {
      out.push({ sent: await completePages(tx, batch.sent, deps.owner, batch.doneAt), doneAt: batch.doneAt });
    }
    return out;
  });
  for (const batch of recorded) {
    count(deps.metrics, batch.sent, batch.doneAt, totals);
  }
  return totals;
}

export function createDelivery(deps: DeliveryDeps) {
  const slots = new Map<string, ReturnType<typeof pLimit>>();
  const slotsOf = (key: string) => {
    let limit = slots.get(key);
    if (!limit) {
      limit = pLimit(deps.concurrency);
      slots.set(key, limit);
    }
    return limit;
  };

  /** Reserves the target's tokens, gives back what the limit does not allow now, sends the rest. */
  async function sendGroup(
    key: string | null,
    rate: number,
    pages: OutboxRow[],
    render: (page: OutboxRow) => PageContent | null,
    now: Date
  ) {
    if (key === null) {
      return pages.map((page): Sent => ({
        page,
        outcome: {
          status: 'skipped',
          error: `channel ${page.channel} is not configured (its environment variables are unset)`,
        },
      }));
    }
    const { granted, retryInMs } = await reserveTokens(deps.store, key, rate, pages.length, now);
    await releasePages(deps.store, pages.slice(granted), deps.owner, new Date(now.getTime() + retryInMs));
    const limit = slotsOf(key);
    // One incident's pages to one target leave in the order they were written (trigger, acknowledge,
    // resolve): a resolve overtaken by a trigger would open a new PagerDuty alert. Incidents run side by side.
    const perIncident = new Map<string, OutboxRow[]>();
    for (const page of pages.slice(0, granted)) {
      perIncident.set(page.incident_id, [...(perIncident.get(page.incident_id) ?? []), page]);
    }
    const sent = await Promise.all(
      [...perIncident.values()].map((sequence) =>
        limit(async () => {
          const out: Sent[] = [];
          for (const page of sequence) {
            const content = render(page);
            const outcome: Outcome = content
              ? await post(deps, page, content)
              : { status: 'failed', error: 'incident no longer exists' };
            out.push({ page, outcome });
          }
          return out;
        })
      )
    );
    return sent.flat();
  }

  /** Sends pages this worker has leased; their outcomes are not recorded yet (see record). */
  async function send(pages: readonly OutboxRow[], known?: DeliveryContext): Promise<SentBatch> {
    const now = deps.now();
    if (pages.length === 0) {
      return { sent: [], doneAt: now };
    }
    const ids = [...new Set(pages.map((page) => page.incident_id))];
    const context = known ?? {
      incidents: await incidentsByIds(deps.store, ids),
      responses: await responsesOf(deps.store, ids),
    };
    const groups = [...byTarget(deps, pages)];
    const render = contentRenderer(deps, context, now);
    const sent = (
      await Promise.all(groups.map(([key, group]) => sendGroup(key, group.rate, group.pages, render, now)))
    ).flat();
    return { sent, doneAt: deps.now() };
  }

  /** Sends pages this worker has leased and records every outcome in one transaction. */
  async function deliver(pages: readonly OutboxRow[], known?: DeliveryContext): Promise<DeliveryTotals> {
    return record([await send(pages, known)]);
  }

  const record = (batches: readonly SentBatch[]) => recordOutcomes(deps, batches);
  return { send, record, deliver };
}
