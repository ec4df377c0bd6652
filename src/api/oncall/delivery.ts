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

const DELIVERY_TIMEOUT_MS = 10_000;
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

/** What the pages of a batch are about: their incidents and response rows. */
export interface DeliveryContext {
  incidents: Map<string, IncidentRecord>;
  responses: Map<string, ResponseRow>;
}

function contentOf(deps: DeliveryDeps, page: OutboxRow, context: DeliveryContext, now: Date): PageContent | null {
  const catalog = deps.catalog();
  const incident = context.incidents.get(page.incident_id);
  const response = context.responses.get(page.incident_id);
  if (!incident || !response) {
    return null;
  }
  const users = catalog.oncall?.users ?? [];
  return {
    delivery_key: page.delivery_key,
    dedup_key: occurrenceKey(page),
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
      incident: absoluteLink(deps.grafanaUrl, appLinks.incident(incident.id)),
      runbooks: incident.runbook_ids.map((id) => ({
        id,
        title: catalog.runbooks.get(id)?.title ?? id,
        url: absoluteLink(deps.grafanaUrl, appLinks.runbook(id)),
      })),
    },
    at: now,
    ...(page.update ? { update: page.update } : {}),
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

async function send(deps: DeliveryDeps, page: OutboxRow, content: PageContent): Promise<Outcome> {
  const request = requestOf(deps, page, content);
  try {
    const status = await deps.http.post(request.url, request.headers, request.body, DELIVERY_TIMEOUT_MS);
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

/** Totals of the recorded outcomes, counted on the metrics. */
function count(metrics: OncallMetrics, recorded: readonly Sent[], doneAt: Date): DeliveryTotals {
  const totals = { delivered: 0, failed: 0, retried: 0 };
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
  async function sendGroup(key: string | null, rate: number, pages: OutboxRow[], context: DeliveryContext, now: Date) {
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
            const content = contentOf(deps, page, context, now);
            const outcome: Outcome = content
              ? await send(deps, page, content)
              : { status: 'failed', error: 'incident no longer exists' };
            out.push({ page, outcome });
          }
          return out;
        })
      )
    );
    return sent.flat();
  }

  /** Delivers pages this worker has leased; every outcome of the batch is recorded in one transaction. */
  async function deliver(pages: readonly OutboxRow[], known?: DeliveryContext): Promise<DeliveryTotals> {
    if (pages.length === 0) {
      return { delivered: 0, failed: 0, retried: 0 };
    }
    const now = deps.now();
    const ids = [...new Set(pages.map((page) => page.incident_id))];
    const context = known ?? {
      incidents: await incidentsByIds(deps.store, ids),
      responses: await responsesOf(deps.store, ids),
    };
    const groups = [...byTarget(deps, pages)];
    const sent = (
      await Promise.all(groups.map(([key, group]) => sendGroup(key, group.rate, group.pages, context, now)))
    ).flat();
    const doneAt = deps.now();
    const recorded = await deps.store.transaction((tx) => completePages(tx, sent, deps.owner, doneAt));
    return count(deps.metrics, recorded, doneAt);
  }

  return { deliver };
}
