/**
 * What a page looks like on each channel, as pure functions: PagerDuty Events API v2, a Slack incoming
 * webhook message in Block Kit, and a generic JSON webhook signed with HMAC-SHA256. Every link is
 * absolute (OPSDECK_GRAFANA_URL + the app path) so that it opens from a phone.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import type { Severity } from '../../contract/common';
import type { IncidentResponse } from '../../contract/oncall';

export type PageEvent = 'opened' | 'escalated' | 'acknowledged' | 'resolved' | 'status_update';

/** A status update as it travels through the outbox (issue 12): what was posted, by whom, for whom. */
export interface StatusUpdateNotice {
  id: string;
  stage: string;
  audience: 'internal' | 'external';
  message: string;
  posted_by: string;
  posted_at: string;
}

/** Everything a channel needs to render one page. */
export interface PageContent {
  delivery_key: string;
  /** PagerDuty's dedup_key: the incident id, `<id>~r<n>` for a reopened occurrence (a new alert). */
  dedup_key?: string;
  event: PageEvent;
  level: number;
  /** The people this page is for (user ids), with display names and Slack ids when known. */
  targets: Array<{ id: string; name: string; slack_id?: string }>;
  incident: {
    id: string;
    title: string;
    severity: Severity;
    status: string;
    owner_team: string | null;
    service: string | null;
    opened_at: string;
    tenant: string;
    project: string;
  };
  response: IncidentResponse;
  /** Absolute links. */
  links: { incident: string; runbooks: Array<{ id: string; title: string; url: string }> };
  /** When the page is rendered (the app clock). */
  at: Date;
  /** event `status_update` only: the update to publish. */
  update?: StatusUpdateNotice;
}

// --- PagerDuty Events API v2 ------------------------------------------------------------------------

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
/** Opsdeck severities → PagerDuty's enum (critical, error, warning, info). */
export const PAGERDUTY_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  sev1: 'critical',
  sev2: 'error',
  sev3: 'warning',
  sev4: 'info',
};

/**
 * trigger on opened/escalated, acknowledge and resolve otherwise. `dedup_key` is the incident id, so
 * PagerDuty keeps one alert per incident and the acknowledge/resolve events close it.
 */
export function pagerDutyEvent(content: PageContent, routingKey: string) {
  const action =
    content.event === 'acknowledged' ? 'acknowledge' : content.event === 'resolved' ? 'resolve' : 'trigger';
  const base = { routing_key: routingKey, event_action: action, dedup_key: content.dedup_key ?? content.incident.id };
  if (action !== 'trigger') {
    return base;
  }
  const { incident, response } = content;
  return {
    ...base,
    payload: {
      summary:
        `[${incident.severity}] ${incident.title}${content.level > 1 ? ` (escalated to level ${content.level})` : ''}`.slice(
          0,
          1024
        ),
      source: incident.service ?? incident.owner_team ?? 'opsdeck',
      severity: PAGERDUTY_SEVERITY[incident.severity],
      timestamp: incident.opened_at,
      component: incident.service ?? undefined,
      group: incident.owner_team ?? undefined,
      class: 'opsdeck-incident',
      custom_details: {
        incident_id: incident.id,
        owner_team: incident.owner_team,
        tenant: incident.tenant,
        project: incident.project,
        escalation_level: content.level,
        paged: content.targets.map((target) => target.id),
        ack_due_at: response.ack_due_at,
        delivery_key: content.delivery_key,
      },
    },
    links: [
      { href: content.links.incident, text: 'Incident in Opsdeck' },
      ...content.links.runbooks.map((runbook) => ({ href: runbook.url, text: `Runbook: ${runbook.title}` })),
    ],
    client: 'Opsdeck',
    client_url: content.links.incident,
  };
}

// --- Slack incoming webhook (Block Kit) ----------------------------------------------------------------

/** `ack due in 3m`, `ack breached 2m ago`, `acknowledged by x`, as the app's badges say it. */
export function ackClockText(response: IncidentResponse, at: Date): string {
  if (response.acknowledged_at) {
    return `acknowledged by ${response.acknowledged_by ?? 'someone'}`;
  }
  if (!response.ack_due_at) {
    return 'best effort (no ack clock)';
  }
  // Whole minutes, rounded towards the breach: "due in 4m" at 4m30s left, "breached 2m ago" at 2m30s late.
  const seconds = (Date.parse(response.ack_due_at) - at.getTime()) / 1000;
  return seconds >= 0 ? `ack due in ${Math.floor(seconds / 60)}m` : `ack breached ${Math.floor(-seconds / 60)}m ago`;
}

const EVENT_TITLE: Record<PageEvent, string> = {
  opened: 'Incident opened',
  escalated: 'Incident escalated',
  acknowledged: 'Incident acknowledged',
  resolved: 'Incident resolved',
  status_update: 'Status update',
};

/** Slack escapes: &, <, > in mrkdwn text. */
const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A status update in Block Kit: the message itself, its stage and audience, who posted it, the link. */
function slackStatusUpdate(content: PageContent, update: StatusUpdateNotice) {
  const { incident } = content;
  const title = `Status update (${update.stage}): [${incident.severity}] ${incident.title}`;
  return {
    text: title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: esc(update.message).slice(0, 3000) } },
      {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Open incident' }, url: content.links.incident },
        ],
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${update.audience === 'external' ? 'External (status feed)' : 'Internal'} · posted by ${esc(update.posted_by)} · Opsdeck · ${esc(incident.id)}`,
          },
        ],
      },
    ],
  };
}

export function slackMessage(content: PageContent) {
  if (content.update) {
    return slackStatusUpdate(content, content.update);
  }
  const { incident, response } = content;
  const who = content.targets
    .map((target) => (target.slack_id ? `<@${target.slack_id}>` : esc(target.name)))
    .join(', ');
  const title = `${EVENT_TITLE[content.event]}: [${incident.severity}] ${incident.title}`;
  const runbooks = content.links.runbooks.map((runbook) => `<${runbook.url}|${esc(runbook.title)}>`).join(' · ');
  return {
    // Shown in notifications and by clients without Block Kit.
    text: title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Severity*\n${incident.severity}` },
          { type: 'mrkdwn', text: `*Owner*\n${esc(incident.owner_team ?? 'unowned')}` },
          { type: 'mrkdwn', text: `*Escalation level*\n${content.level}` },
          { type: 'mrkdwn', text: `*Ack clock*\n${ackClockText(response, content.at)}` },
        ],
      },
      ...(who ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Paging:* ${who}` } }] : []),
      ...(runbooks ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Runbooks:* ${runbooks}` } }] : []),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open incident' },
            url: content.links.incident,
            style: 'primary',
          },
        ],
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Opsdeck · ${esc(incident.id)} · ${esc(content.delivery_key)}` }],
      },
    ],
  };
}

// --- Generic signed webhook ---------------------------------------------------------------------------

export const SIGNATURE_HEADER = 'x-opsdeck-signature';
export const TIMESTAMP_HEADER = 'x-opsdeck-timestamp';
export const DELIVERY_HEADER = 'x-opsdeck-delivery';
export const EVENT_HEADER = 'x-opsdeck-event';
/** Receivers reject a signature whose timestamp is further than this from their clock. */
export const REPLAY_WINDOW_SECONDS = 300;

export function webhookBody(content: PageContent) {
  return {
    delivery_key: content.delivery_key,
    event: content.event,
    level: content.level,
    targets: content.targets.map((target) => target.id),
    incident: content.incident,
    response: content.response,
    links: content.links,
    sent_at: content.at.toISOString(),
    ...(content.update ? { update: content.update } : {}),
  };
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, as Stripe-style receivers check it. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: a fresh timestamp and a matching signature (constant-time compare). */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  now: Date,
  windowSeconds = REPLAY_WINDOW_SECONDS
): { ok: true } | { ok: false; reason: string } {
  const timestamp = Number(headers[TIMESTAMP_HEADER]);
  const signature = String(headers[SIGNATURE_HEADER] ?? '');
  if (!Number.isInteger(timestamp)) {
    return { ok: false, reason: 'missing timestamp' };
  }
  if (Math.abs(now.getTime() / 1000 - timestamp) > windowSeconds) {
    return { ok: false, reason: 'timestamp outside the replay window' };
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { ok: true }
    : { ok: false, reason: 'bad signature' };
}
