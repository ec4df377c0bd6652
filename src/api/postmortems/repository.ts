/** postmortems, postmortem_action_items and runbook_review_flags: all their SQL. */
import type { ActionItem, ActionItemQuery, ActionItemState, Postmortem } from '../../contract/communication';
import { scopeCondition } from '../access/scope';
import type { RequestScope } from '../access/identity';
import type { Row, Sql } from '../store';

export interface PostmortemRecord {
  id: string;
  incident_id: string;
  tenant: string;
  project: string;
  status: 'draft' | 'published';
  external_url: string | null;
  markdown: string;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

export interface ActionItemRecord {
  id: string;
  title: string;
  owner: string;
  due_at: Date;
  status: 'open' | 'done';
  done_at: Date | null;
}

const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));
const asDateOrNull = (value: unknown) => (value === null || value === undefined ? null : asDate(value));
const iso = (value: Date | null) => (value === null ? null : value.toISOString());

const POSTMORTEM_COLUMNS =
  'id, incident_id, tenant, project, status, external_url, markdown, created_by, created_at, updated_at, published_at';
const ITEM_COLUMNS = 'id, postmortem_id, incident_id, tenant, project, title, owner, due_at, status, done_at';

function postmortemFrom(row: Row): PostmortemRecord {
  return {
    id: String(row.id),
    incident_id: String(row.incident_id),
    tenant: String(row.tenant),
    project: String(row.project),
    status: row.status === 'published' ? 'published' : 'draft',
    external_url: (row.external_url as string | null) ?? null,
    markdown: String(row.markdown),
    created_by: String(row.created_by),
    created_at: asDate(row.created_at),
    updated_at: asDate(row.updated_at),
    published_at: asDateOrNull(row.published_at),
  };
}

/** `overdue` is open past its due date at `now`: derived on read, never stored, so it cannot go stale. */
export function itemState(status: string, dueAt: Date, now: Date): ActionItemState {
  if (status === 'done') {
    return 'done';
  }
  return dueAt.getTime() < now.getTime() ? 'overdue' : 'open';
}

function itemFrom(row: Row, now: Date): ActionItem {
  const due = asDate(row.due_at);
  return {
    id: String(row.id),
    postmortem_id: String(row.postmortem_id),
    incident_id: String(row.incident_id),
    tenant: String(row.tenant),
    project: String(row.project),
    title: String(row.title),
    owner: String(row.owner),
    due_at: due.toISOString(),
    state: itemState(String(row.status), due, now),
    done_at: iso(asDateOrNull(row.done_at)),
  };
}

export async function findPostmortemOf(sql: Sql, incidentId: string, forUpdate = false) {
  const { rows } = await sql.query<Row>(
    `SELECT ${POSTMORTEM_COLUMNS} FROM postmortems WHERE incident_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [incidentId]
  );
  return rows[0] ? postmortemFrom(rows[0]) : null;
}

export async function insertPostmortem(tx: Sql, record: PostmortemRecord): Promise<void> {
  await tx.query(
    `INSERT INTO postmortems (${POSTMORTEM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      record.id,
      record.incident_id,
      record.tenant,
      record.project,
      record.status,
      record.external_url,
      record.markdown,
      record.created_by,
      record.created_at.toISOString(),
      record.updated_at.toISOString(),
      iso(record.published_at),
    ]
  );
}

export async function updatePostmortem(tx: Sql, record: PostmortemRecord): Promise<void> {
  await tx.query(
    'UPDATE postmortems SET status = $2, markdown = $3, updated_at = $4, published_at = $5 WHERE id = $1',
    [record.id, record.status, record.markdown, record.updated_at.toISOString(), iso(record.published_at)]
  );
}

/** Replaces the postmortem's action items with `items` (in order); ids that stay keep their state. */
export async function replaceActionItems(tx: Sql, postmortem: PostmortemRecord, items: ActionItemRecord[]) {
  await tx.query('DELETE FROM postmortem_action_items WHERE postmortem_id = $1 AND NOT (id = ANY($2::text[]))', [
    postmortem.id,
    items.map((item) => item.id),
  ]);
  for (const [position, item] of items.entries()) {
    await tx.query(
      `INSERT INTO postmortem_action_items (${ITEM_COLUMNS}, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, owner = EXCLUDED.owner, due_at = EXCLUDED.due_at,
         position = EXCLUDED.position`,
      [
        item.id,
        postmortem.id,
        postmortem.incident_id,
        postmortem.tenant,
        postmortem.project,
        item.title,
        item.owner,
        item.due_at.toISOString(),
        item.status,
        iso(item.done_at),
        position,
      ]
    );
  }
}

export async function actionItemsOf(sql: Sql, postmortemId: string, now: Date): Promise<ActionItem[]> {
  const { rows } = await sql.query<Row>(
    `SELECT ${ITEM_COLUMNS} FROM postmortem_action_items WHERE postmortem_id = $1 ORDER BY position`,
    [postmortemId]
  );
  return rows.map((row) => itemFrom(row, now));
}

export async function setActionItemStatus(
  tx: Sql,
  id: string,
  scope: RequestScope | null,
  status: 'open' | 'done',
  now: Date
): Promise<ActionItem | null> {
  const params: unknown[] = [id, status, status === 'done' ? now.toISOString() : null];
  const where = scopeCondition(scope, params);
  const { rows } = await tx.query<Row>(
    `UPDATE postmortem_action_items SET status = $2, done_at = $3 WHERE id = $1 AND ${where} RETURNING ${ITEM_COLUMNS}`,
    params
  );
  return rows[0] ? itemFrom(rows[0], now) : null;
}

/** Action items of the caller's scope, soonest due first (then id), one page. */
export async function listActionItems(sql: Sql, scope: RequestScope | null, query: ActionItemQuery, now: Date) {
  const params: unknown[] = [];
  const where = [scopeCondition(scope, params)];
  const add = (condition: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (query.state === 'done') {
    where.push(`status = 'done'`);
  } else if (query.state === 'overdue') {
    add((p) => `status = 'open' AND due_at < ${p}::timestamptz`, now.toISOString());
  } else if (query.state === 'open') {
    add((p) => `status = 'open' AND due_at >= ${p}::timestamptz`, now.toISOString());
  }
  if (query.owner) {
    add((p) => `owner = ${p}`, query.owner);
  }
  if (query.cursor) {
    const [due, id] = decodeItemCursor(query.cursor);
    params.push(due, id);
    where.push(`(due_at, id) > ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(query.limit + 1);
  const { rows } = await sql.query<Row>(
    `SELECT ${ITEM_COLUMNS} FROM postmortem_action_items WHERE ${where.join(' AND ')}
      ORDER BY due_at, id LIMIT $${params.length}`,
    params
  );
  const items = rows.slice(0, query.limit).map((row) => itemFrom(row, now));
  const last = items[items.length - 1];
  return {
    items,
    next_cursor: rows.length > query.limit ? encodeItemCursor(last.due_at, last.id) : null,
  };
}

export const encodeItemCursor = (due: string, id: string) =>
  Buffer.from(JSON.stringify([due, id]), 'utf8').toString('base64url');

/** [due_at, id]; throws on a cursor this API did not issue (service.ts listActionItems turns it into a 400). */
export function decodeItemCursor(cursor: string): [string, string] {
  const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  if (!Array.isArray(value) || value.length !== 2 || Number.isNaN(Date.parse(String(value[0])))) {
    throw new Error('not a cursor');
  }
  return [String(value[0]), String(value[1])];
}

export async function insertReviewFlags(
  tx: Sql,
  postmortem: PostmortemRecord,
  runbookIds: string[],
  now: Date
): Promise<void> {
  for (const runbookId of runbookIds) {
    await tx.query(
      `INSERT INTO runbook_review_flags (runbook_id, postmortem_id, incident_id, tenant, project, flagged_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [runbookId, postmortem.id, postmortem.incident_id, postmortem.tenant, postmortem.project, now.toISOString()]
    );
  }
}

export async function reviewFlagsOf(sql: Sql, postmortemId: string): Promise<string[]> {
  const { rows } = await sql.query<Row>(
    'SELECT runbook_id FROM runbook_review_flags WHERE postmortem_id = $1 ORDER BY runbook_id',
    [postmortemId]
  );
  return rows.map((row) => String(row.runbook_id));
}

/** Runbooks whose review a published postmortem made due, in the caller's scope, with when. */
export async function flaggedRunbooks(sql: Sql, scope: RequestScope | null) {
  const params: unknown[] = [];
  const where = scopeCondition(scope, params);
  const { rows } = await sql.query<Row>(
    `SELECT runbook_id, max(flagged_at) AS flagged_at, count(*)::int AS postmortems FROM runbook_review_flags
      WHERE ${where} GROUP BY runbook_id ORDER BY runbook_id`,
    params
  );
  return rows.map((row) => ({
    runbook_id: String(row.runbook_id),
    flagged_at: asDate(row.flagged_at).toISOString(),
    postmortems: Number(row.postmortems),
  }));
}

export function toPostmortem(
  record: PostmortemRecord,
  items: ActionItem[],
  flags: string[],
  dueAt: Date | null
): Postmortem {
  return {
    id: record.id,
    incident_id: record.incident_id,
    tenant: record.tenant,
    project: record.project,
    status: record.status,
    external_url: record.external_url,
    markdown: record.markdown,
    created_by: record.created_by,
    created_at: record.created_at.toISOString(),
    updated_at: record.updated_at.toISOString(),
    published_at: iso(record.published_at),
    due_at: iso(dueAt),
    action_items: items,
    runbooks_flagged: flags,
  };
}

/**
 * Incidents whose postmortem the policy requires and which do not have a finished one (published, or a
 * link to one kept elsewhere), with the due date: resolution + the severity's due_hours.
 */
export async function missingPostmortems(
  sql: Sql,
  scope: RequestScope | null,
  required: Array<{ severity: string; hours: number }>
) {
  if (required.length === 0) {
    return [];
  }
  const params: unknown[] = [required.map((r) => r.severity), required.map((r) => r.hours)];
  const where = scopeCondition(scope, params, { tenant: 'i.tenant', project: 'i.project' });
  const { rows } = await sql.query<Row>(
    `SELECT i.id, i.title, i.severity, i.tenant, i.project, i.resolved_at,
            i.resolved_at + make_interval(hours => p.hours) AS due_at, m.status AS postmortem_status
       FROM incidents i
       JOIN unnest($1::text[], $2::int[]) AS p (severity, hours) ON p.severity = i.severity
       LEFT JOIN postmortems m ON m.incident_id = i.id
      WHERE i.status IN ('resolved', 'closed') AND i.resolved_at IS NOT NULL
        AND (m.id IS NULL OR (m.status <> 'published' AND m.external_url IS NULL))
        AND ${where}
      ORDER BY due_at, i.id`,
    params
  );
  return rows.map((row) => ({
    incident_id: String(row.id),
    title: String(row.title),
    severity: String(row.severity),
    tenant: String(row.tenant),
    project: String(row.project),
    due_at: asDate(row.due_at).toISOString(),
    postmortem_status: (row.postmortem_status as string | null) ?? 'missing',
  }));
}

/** Open action items past their due date in the caller's scope (a count, not a page). */
export async function countOverdueItems(sql: Sql, scope: RequestScope | null, now: Date): Promise<number> {
  const params: unknown[] = [now.toISOString()];
  const where = scopeCondition(scope, params);
  const { rows } = await sql.query<Row>(
    `SELECT count(*)::int AS n FROM postmortem_action_items WHERE status = 'open' AND due_at < $1::timestamptz AND ${where}`,
    params
  );
  return Number(rows[0].n);
}
