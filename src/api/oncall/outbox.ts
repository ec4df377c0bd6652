/**
 * The notification outbox: pages are written in the same transaction as their cause, then claimed by
 * a worker with a lease (FOR UPDATE SKIP LOCKED, so several API processes share the work and never
 * send the same row at the same time) and marked delivered, retried with exponential backoff, or failed.
 *
 * Identity of a page: (incident, event, level, target, channel) → `delivery_key`, UNIQUE in the table,
 * so a retried cause (a re-delivered webhook, a second worker escalating the same incident) writes it
 * once. Transport is at-least-once: a process killed after the receiver answered and before the row
 * is marked re-sends it when the lease expires, with the same delivery key for the receiver to
 * deduplicate on (PagerDuty dedup_key, X-Opsdeck-Delivery).
 */
import type { Catalog } from '../../catalog/model';
import type { IncidentRecord } from '../incidents/model';
import { insertTimeline, newIdAt } from '../incidents/repository';
import type { Row, Sql } from '../store';
import type { PageEvent, StatusUpdateNotice } from './channels';
import { levelTargets } from './who';

export interface OutboxRow {
  id: string;
  delivery_key: string;
  incident_id: string;
  event: PageEvent;
  level: number;
  target: string;
  targets: string[];
  channel: string;
  channel_type: 'pagerduty' | 'slack' | 'webhook';
  attempts: number;
  due_at: Date;
  /** event `status_update` only. */
  update: StatusUpdateNotice | null;
}

/** Retries: 2 s, 4 s, 8 s … capped at 5 min; after MAX_ATTEMPTS the page is `failed` (timeline says so). */
export const MAX_ATTEMPTS = 8;
export const backoffMs = (attempts: number) => Math.min(2_000 * 2 ** Math.max(0, attempts - 1), 300_000);

const OUTBOX_COLUMNS =
  'id, delivery_key, incident_id, event, level, target, targets, channel, channel_type, attempts, due_at, status_update';

function outboxFrom(row: Row): OutboxRow {
  return {
    id: String(row.id),
    delivery_key: String(row.delivery_key),
    incident_id: String(row.incident_id),
    event: row.event as PageEvent,
    level: Number(row.level),
    target: String(row.target),
    targets: Array.isArray(row.targets) ? row.targets.map(String) : [],
    channel: String(row.channel),
    channel_type: row.channel_type as OutboxRow['channel_type'],
    attempts: Number(row.attempts),
    due_at: new Date(row.due_at as string),
    update: (row.status_update as StatusUpdateNotice | null) ?? null,
  };
}

interface PageSpec {
  channel: string;
  type: OutboxRow['channel_type'];
  target: string;
  targets: string[];
}

/**
 * The pages of one (incident, event, level): for opened/escalated, the level's people through each of
 * its channels (a webhook gets one page per person; PagerDuty and Slack, which address a service or a
 * room, one page naming them all); for acknowledged/resolved, one update to every channel paged so far.
 */
function pageSpecs(catalog: Catalog, incident: IncidentRecord, event: PageEvent, level: number, at: Date): PageSpec[] {
  const file = catalog.oncall;
  const team = incident.owner_team;
  const chain = team ? file?.teams[team]?.escalation : undefined;
  if (!file || !team || !chain) {
    return [];
  }
  const levels =
    event === 'opened' || event === 'escalated'
      ? chain.filter((l) => l.level === level)
      : chain.filter((l) => l.level <= level);
  const specs = new Map<string, PageSpec>();
  for (const config of levels) {
    const targets = event === 'opened' || event === 'escalated' ? levelTargets(file, team, config.level, at) : [];
    for (const channel of config.channels) {
      const type = file.channels[channel]?.type;
      if (!type) {
        continue;
      }
      const perPerson = type === 'webhook' && targets.length > 0;
      for (const target of perPerson ? targets : [`team:${team}`]) {
        specs.set(`${channel}:${target}`, { channel, type, target, targets: perPerson ? [target] : targets });
      }
    }
  }
  return [...specs.values()];
}

/** One outbox row; an existing delivery key is left alone (a retried cause writes nothing). */
async function insertPage(
  tx: Sql,
  row: {
    key: string;
    incident_id: string;
    event: PageEvent;
    level: number;
    spec: PageSpec;
    update: StatusUpdateNotice | null;
  },
  now: Date,
  dueAt: Date
): Promise<number> {
  const result = await tx.query(
    `INSERT INTO notification_outbox (id, delivery_key, incident_id, event, level, target, targets, channel, channel_type, created_at, due_at, next_attempt_at, status_update)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $10, $12::jsonb)
     ON CONFLICT (delivery_key) DO NOTHING`,
    [
      newIdAt(now),
      row.key,
      row.incident_id,
      row.event,
      row.level,
      row.spec.target,
      JSON.stringify(row.spec.targets),
      row.spec.channel,
      row.spec.type,
      now.toISOString(),
      dueAt.toISOString(),
      row.update === null ? null : JSON.stringify(row.update),
    ]
  );
  return result.rowCount;
}

/** Writes the pages of an event (idempotent: an existing delivery key is left alone). Returns how many were new. */
export async function enqueuePages(
  tx: Sql,
  catalog: Catalog,
  incident: IncidentRecord,
  event: Exclude<PageEvent, 'status_update'>,
  level: number,
  now: Date,
  dueAt: Date = now
): Promise<number> {
  let written = 0;
  for (const spec of pageSpecs(catalog, incident, event, level, now)) {
    const key = `${incident.id}:${event}:${level}:${spec.target}:${spec.channel}`;
    written += await insertPage(tx, { key, incident_id: incident.id, event, level, spec, update: null }, now, dueAt);
  }
  return written;
}

/**
 * A status update to every Slack and webhook channel of the owner team's escalation chain (all
 * levels: whoever may be paged for it hears what is said about it). Not PagerDuty: an update is not
 * an alert, Events API v2 has no event for it, and a trigger would page someone again. Returns how
 * many rows were new (one per channel; keyed by the update, so a retried post writes none).
 */
export async function enqueueStatusUpdate(
  tx: Sql,
  catalog: Pick<Catalog, 'oncall'>,
  incident: IncidentRecord,
  update: StatusUpdateNotice,
  now: Date
): Promise<number> {
  const file = catalog.oncall;
  const team = incident.owner_team;
  const chain = team ? file?.teams[team]?.escalation : undefined;
  if (!file || !team || !chain) {
    return 0;
  }
  const channels = [...new Set(chain.flatMap((level) => level.channels))];
  let written = 0;
  for (const channel of channels) {
    const type = file.channels[channel]?.type;
    if (type !== 'slack' && type !== 'webhook') {
      continue;
    }
    const spec: PageSpec = { channel, type, target: `team:${team}`, targets: [] };
    const key = `${incident.id}:status_update:${update.id}:${channel}`;
    written += await insertPage(
      tx,
      { key, incident_id: incident.id, event: 'status_update', level: 0, spec, update },
      now,
      now
    );
  }
  return written;
}

/** Claims up to `limit` due pages for `owner` until `leaseUntil` (pages whose lease expired included). */
export async function claimPages(
  sql: Sql,
  owner: string,
  now: Date,
  leaseUntil: Date,
  limit: number
): Promise<OutboxRow[]> {
  const { rows } = await sql.query<Row>(
    `UPDATE notification_outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
      WHERE id IN (SELECT id FROM notification_outbox
                    WHERE status = 'pending' AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until < $3)
                    ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING ${OUTBOX_COLUMNS}`,
    [owner, leaseUntil.toISOString(), now.toISOString(), limit]
  );
  return rows.map(outboxFrom);
}

/** Gives a claimed page back untouched (rate limit): its attempt does not count. */
export async function releasePage(sql: Sql, page: OutboxRow, owner: string, retryAt: Date): Promise<void> {
  await sql.query(
    `UPDATE notification_outbox SET lease_owner = NULL, lease_until = NULL, attempts = attempts - 1, next_attempt_at = $3
      WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
    [page.id, owner, retryAt.toISOString()]
  );
}

export type Outcome =
  { status: 'delivered' } | { status: 'skipped' | 'failed'; error: string } | { status: 'retry'; error: string };

/**
 * Records a delivery outcome if this worker still holds the lease (else another took over: nothing is
 * written), with a timeline entry for every final outcome. Returns whether it was recorded.
 */
export async function completePage(
  tx: Sql,
  page: OutboxRow,
  owner: string,
  outcome: Outcome,
  now: Date
): Promise<boolean> {
  if (outcome.status === 'retry' && page.attempts < MAX_ATTEMPTS) {
    const result = await tx.query(
      `UPDATE notification_outbox SET lease_owner = NULL, lease_until = NULL, last_error = $3, next_attempt_at = $4
        WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
      [page.id, owner, outcome.error.slice(0, 500), new Date(now.getTime() + backoffMs(page.attempts)).toISOString()]
    );
    return result.rowCount > 0;
  }
  const status = outcome.status === 'retry' ? 'failed' : outcome.status;
  const error = 'error' in outcome ? outcome.error.slice(0, 500) : null;
  const result = await tx.query(
    `UPDATE notification_outbox SET status = $3, last_error = $4, lease_owner = NULL, lease_until = NULL,
            delivered_at = CASE WHEN $3 = 'delivered' THEN $5::timestamptz END
      WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
    [page.id, owner, status, error, now.toISOString()]
  );
  if (result.rowCount === 0) {
    return false;
  }
  if (status === 'skipped') {
    // A channel nobody configured is not news on every incident: the outbox row and the
    // opsdeck_notifications_total{outcome="skipped"} counter record it; the On-call page shows it.
    return true;
  }
  const who = page.targets.length > 0 ? page.targets.join(', ') : page.target;
  await insertTimeline(tx, [
    {
      id: newIdAt(now),
      incident_id: page.incident_id,
      at: now,
      kind: status === 'delivered' ? 'page_sent' : 'page_failed',
      actor: 'system',
      summary: outcomeSummary(page, status, who, error),
      data: {
        delivery_key: page.delivery_key,
        channel: page.channel,
        channel_type: page.channel_type,
        event: page.event,
        level: page.level,
        targets: page.targets,
        outcome: status,
        attempts: page.attempts,
        error,
      },
      correlation_id: null,
    },
  ]);
  return true;
}

function outcomeSummary(page: OutboxRow, status: string, who: string, error: string | null): string {
  if (page.event === 'status_update') {
    return status === 'delivered'
      ? `Status update (${page.update?.stage ?? 'update'}) sent via ${page.channel}`
      : `Status update via ${page.channel} ${status} after ${page.attempts} attempt(s): ${error}`;
  }
  return status === 'delivered'
    ? `Paged ${who} via ${page.channel} (${page.event}, level ${page.level})`
    : `Page to ${who} via ${page.channel} ${status} after ${page.attempts} attempt(s): ${error}`;
}
