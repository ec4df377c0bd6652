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
import type { IncidentRecord, TimelineRecord } from '../incidents/model';
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

/**
 * Pages in the order they were written (ids are time-ordered ULIDs): UPDATE/INSERT … RETURNING gives
 * rows in no particular order, and one incident's pages must leave in order (delivery.ts).
 */
const inWrittenOrder = (pages: OutboxRow[]) => pages.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

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

export interface PageSpec {
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

/**
 * The delivery key of a page of the incident's running occurrence: `<incident>:…` for the first,
 * `<incident>~r<n>:…` after the n-1th reopen, so a reopened incident is paged again (the keys of the
 * first occurrence exist already) and every page of one occurrence is still written once. Taken from
 * the incident row in the INSERT itself, so no caller has to know the occurrence.
 */
const OCCURRENCE_KEY_SQL = `CASE WHEN i.occurrence > 1
  THEN i.id || '~r' || i.occurrence || substr(p.delivery_key, length(p.incident_id) + 1)
  ELSE p.delivery_key END`;

/** What a receiver deduplicates one occurrence of an incident on (PagerDuty dedup_key): the key's first part. */
export const occurrenceKey = (page: Pick<OutboxRow, 'delivery_key' | 'incident_id'>) =>
  page.delivery_key.startsWith(`${page.incident_id}~r`)
    ? page.delivery_key.slice(0, page.delivery_key.indexOf(':', page.incident_id.length))
    : page.incident_id;

/** A page to write: its identity and who it is for. */
export interface NewPage extends PageSpec {
  incident_id: string;
  delivery_key: string;
  event: PageEvent;
  level: number;
  due_at: Date;
  /** event `status_update` only: what the message says. */
  update?: StatusUpdateNotice | null;
}

/** The pages of one (incident, event, level) as rows to write (pure; see pageSpecs). */
export function pagesOf(
  catalog: Catalog,
  incident: IncidentRecord,
  event: PageEvent,
  level: number,
  now: Date,
  dueAt: Date = now,
  specs: PageSpec[] = pageSpecs(catalog, incident, event, level, now)
): NewPage[] {
  return specs.map((spec) => ({
    ...spec,
    incident_id: incident.id,
    delivery_key: `${incident.id}:${event}:${level}:${spec.target}:${spec.channel}`,
    event,
    level,
    due_at: dueAt,
  }));
}

/**
 * Page specs memoised per (team, event, level) for one instant: a burst of escalations of one team
 * resolves its schedule once, not once per incident.
 */
export function pageSpecsCache(catalog: Catalog, at: Date) {
  const cache = new Map<string, PageSpec[]>();
  return (incident: IncidentRecord, event: PageEvent, level: number) => {
    const key = `${incident.owner_team}\u0000${event}\u0000${level}`;
    let specs = cache.get(key);
    if (!specs) {
      specs = pageSpecs(catalog, incident, event, level, at);
      cache.set(key, specs);
    }
    return specs;
  };
}

/**
 * Writes pages in one statement (idempotent: an existing delivery key is left alone) and returns the
 * new rows. With `claim` the new rows are written already leased to that worker (attempt 1), so the
 * worker that caused them sends them without a second round trip to claim them.
 */
export async function insertPages(
  tx: Sql,
  pages: readonly NewPage[],
  now: Date,
  claim?: { owner: string; leaseUntil: Date }
): Promise<OutboxRow[]> {
  if (pages.length === 0) {
    return [];
  }
  const records = pages.map((page) => ({
    id: newIdAt(now),
    delivery_key: page.delivery_key,
    incident_id: page.incident_id,
    event: page.event,
    level: page.level,
    target: page.target,
    targets: page.targets,
    channel: page.channel,
    channel_type: page.type,
    due_at: page.due_at.toISOString(),
    status_update: page.update ?? null,
  }));
  const { rows } = await tx.query<Row>(
    `INSERT INTO notification_outbox (id, delivery_key, incident_id, event, level, target, targets, channel, channel_type,
                                      created_at, due_at, next_attempt_at, lease_owner, lease_until, attempts, status_update)
     SELECT p.id, ${OCCURRENCE_KEY_SQL}, p.incident_id, event, level, target, targets, channel, channel_type, $2, due_at, $2, $3, $4,
            CASE WHEN $3::text IS NULL THEN 0 ELSE 1 END, p.status_update
       FROM jsonb_to_recordset($1::jsonb) AS p(id text, delivery_key text, incident_id text, event text, level int,
            target text, targets jsonb, channel text, channel_type text, due_at timestamptz, status_update jsonb)
       JOIN incidents i ON i.id = p.incident_id
     ORDER BY p.id
     ON CONFLICT (delivery_key) DO NOTHING
     RETURNING ${OUTBOX_COLUMNS}`,
    [JSON.stringify(records), now.toISOString(), claim?.owner ?? null, claim?.leaseUntil.toISOString() ?? null]
  );
  return inWrittenOrder(rows.map(outboxFrom));
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
  return (await insertPages(tx, pagesOf(catalog, incident, event, level, now, dueAt), now)).length;
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
  const pages: NewPage[] = channels.flatMap((channel) => {
    const type = file.channels[channel]?.type;
    if (type !== 'slack' && type !== 'webhook') {
      return [];
    }
    return [
      {
        channel,
        type,
        target: `team:${team}`,
        targets: [],
        incident_id: incident.id,
        delivery_key: `${incident.id}:status_update:${update.id}:${channel}`,
        event: 'status_update' as const,
        level: 0,
        due_at: now,
        update,
      },
    ];
  });
  return (await insertPages(tx, pages, now)).length;
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
  return inWrittenOrder(rows.map(outboxFrom));
}

/** Gives claimed pages back untouched (rate limit): their attempt does not count. */
export async function releasePages(sql: Sql, pages: readonly OutboxRow[], owner: string, retryAt: Date): Promise<void> {
  if (pages.length === 0) {
    return;
  }
  await sql.query(
    `UPDATE notification_outbox SET lease_owner = NULL, lease_until = NULL, attempts = attempts - 1, next_attempt_at = $3
      WHERE id = ANY($1::text[]) AND lease_owner = $2 AND status = 'pending'`,
    [pages.map((page) => page.id), owner, retryAt.toISOString()]
  );
}

export async function releasePage(sql: Sql, page: OutboxRow, owner: string, retryAt: Date): Promise<void> {
  await releasePages(sql, [page], owner, retryAt);
}

export type Outcome =
  { status: 'delivered' } | { status: 'skipped' | 'failed'; error: string } | { status: 'retry'; error: string };

export interface Sent {
  page: OutboxRow;
  outcome: Outcome;
}

/** The status a delivery outcome leaves the row in: a retry past the last attempt is a failure. */
export const finalStatus = (page: OutboxRow, outcome: Outcome) =>
  outcome.status === 'retry' ? (page.attempts >= MAX_ATTEMPTS ? 'failed' : 'retry') : outcome.status;

function pageTimelineEntry(
  page: OutboxRow,
  status: 'delivered' | 'failed',
  error: string | null,
  now: Date
): TimelineRecord {
  const who = page.targets.length > 0 ? page.targets.join(', ') : page.target;
  return {
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
  };
}

/** One UPDATE's worth of outcomes: the rows that end in the same state. */
interface OutcomeGroup {
  ids: string[];
  status: string;
  error: string | null;
  next_attempt_at: string | null;
}

/** Outcomes grouped by the row state they lead to (a burst's are nearly all `delivered`: one group). */
function outcomeGroups(sent: readonly Sent[], now: Date): OutcomeGroup[] {
  const groups = new Map<string, OutcomeGroup>();
  for (const { page, outcome } of sent) {
    const status = finalStatus(page, outcome);
    const state = {
      status: status === 'retry' ? 'pending' : status,
      error: 'error' in outcome ? outcome.error.slice(0, 500) : null,
      next_attempt_at: status === 'retry' ? new Date(now.getTime() + backoffMs(page.attempts)).toISOString() : null,
    };
    const key = JSON.stringify(state);
    const group = groups.get(key) ?? { ...state, ids: [] };
    group.ids.push(page.id);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Records delivery outcomes in a few statements whatever their number: one UPDATE per resulting row
 * state (of the rows this worker still holds the lease of; others were taken over: nothing is written
 * for them), then one INSERT of a timeline entry for every final outcome but `skipped`. Returns the
 * outcomes recorded.
 *
 * Why `id = ANY(ids)` per state and not one join with a jsonb_to_recordset of every outcome: in a
 * burst the table's statistics are stale (it held no pending rows when last analysed), and PostgreSQL
 * drove that join from the pending rows, rescanning the recordset for each one: 30–40 s per 2,000
 * outcomes with 20,000 pages pending (auto_explain during bench/oncall.bench.ts). An id list has no
 * such plan: the primary key, or one pass with a hashed list.
 */
export async function completePages(tx: Sql, sent: readonly Sent[], owner: string, now: Date): Promise<Sent[]> {
  if (sent.length === 0) {
    return [];
  }
  const recorded = new Set<string>();
  for (const group of outcomeGroups(sent, now)) {
    const { rows } = await tx.query<Row>(
      `UPDATE notification_outbox o
          SET status = $3, last_error = $4, lease_owner = NULL, lease_until = NULL,
              next_attempt_at = COALESCE($5::timestamptz, o.next_attempt_at),
              delivered_at = CASE WHEN $3 = 'delivered' THEN $6::timestamptz END
        WHERE o.id = ANY($1::text[]) AND o.lease_owner = $2 AND o.status = 'pending'
        RETURNING o.id`,
      [group.ids, owner, group.status, group.error, group.next_attempt_at, now.toISOString()]
    );
    rows.forEach((row) => recorded.add(String(row.id)));
  }
  const done = sent.filter(({ page }) => recorded.has(page.id));
  // A channel nobody configured is not news on every incident: the outbox row and the
  // opsdeck_notifications_total{outcome="skipped"} counter record it; the On-call page shows it.
  const entries = done.flatMap(({ page, outcome }) => {
    const status = finalStatus(page, outcome);
    const error = 'error' in outcome ? outcome.error.slice(0, 500) : null;
    return status === 'delivered' || status === 'failed' ? [pageTimelineEntry(page, status, error, now)] : [];
  });
  await insertTimeline(tx, entries);
  return done;
}

/** completePages for one page; whether it was recorded. */
export async function completePage(
  tx: Sql,
  page: OutboxRow,
  owner: string,
  outcome: Outcome,
  now: Date
): Promise<boolean> {
  return (await completePages(tx, [{ page, outcome }], owner, now)).length > 0;
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
