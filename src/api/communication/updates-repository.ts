/** incident_updates: the status updates of incidents, and the feed of external ones. All SQL here. */
import type { StatusUpdate, UpdateAudience, UpdateStage } from '../../contract/communication';
import { scopeCondition } from '../access/scope';
import type { RequestScope } from '../access/identity';
import type { Row, Sql } from '../store';

export interface UpdateRecord {
  id: string;
  incident_id: string;
  tenant: string;
  project: string;
  stage: UpdateStage;
  audience: UpdateAudience;
  message: string;
  posted_by: string;
  posted_at: Date;
  correlation_id: string;
}

const COLUMNS = 'u.id, u.incident_id, u.tenant, u.project, u.stage, u.audience, u.message, u.posted_by, u.posted_at';

/** The first update of each incident is its initial response; computed, so a deleted row cannot leave two. */
const VIEW = `SELECT ${COLUMNS}, i.title AS incident_title,
       u.id = (SELECT min(f.id) FROM incident_updates f WHERE f.incident_id = u.incident_id) AS initial_response
  FROM incident_updates u JOIN incidents i ON i.id = u.incident_id`;

const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

function updateFrom(row: Row): StatusUpdate {
  return {
    id: String(row.id),
    incident_id: String(row.incident_id),
    incident_title: String(row.incident_title),
    tenant: String(row.tenant),
    project: String(row.project),
    stage: row.stage as UpdateStage,
    audience: row.audience as UpdateAudience,
    message: String(row.message),
    posted_by: String(row.posted_by),
    posted_at: asDate(row.posted_at).toISOString(),
    initial_response: Boolean(row.initial_response),
  };
}

export async function insertUpdate(tx: Sql, record: UpdateRecord): Promise<void> {
  await tx.query(
    `INSERT INTO incident_updates (id, incident_id, tenant, project, stage, audience, message, posted_by, posted_at, correlation_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      record.id,
      record.incident_id,
      record.tenant,
      record.project,
      record.stage,
      record.audience,
      record.message,
      record.posted_by,
      record.posted_at.toISOString(),
      record.correlation_id,
    ]
  );
}

export async function hasUpdates(sql: Sql, incidentId: string): Promise<boolean> {
  const { rows } = await sql.query('SELECT 1 FROM incident_updates WHERE incident_id = $1 LIMIT 1', [incidentId]);
  return rows.length > 0;
}

export async function updatesOf(sql: Sql, incidentId: string): Promise<StatusUpdate[]> {
  const { rows } = await sql.query<Row>(`${VIEW} WHERE u.incident_id = $1 ORDER BY u.id DESC`, [incidentId]);
  return rows.map(updateFrom);
}

export async function findUpdate(sql: Sql, id: string): Promise<StatusUpdate | null> {
  const { rows } = await sql.query<Row>(`${VIEW} WHERE u.id = $1`, [id]);
  return rows[0] ? updateFrom(rows[0]) : null;
}

/** External updates in the caller's scope, newest first. */
export async function externalFeed(sql: Sql, scope: RequestScope | null, limit: number): Promise<StatusUpdate[]> {
  const params: unknown[] = [];
  const where = scopeCondition(scope, params, { tenant: 'u.tenant', project: 'u.project' });
  params.push(limit);
  const { rows } = await sql.query<Row>(
    `${VIEW} WHERE u.audience = 'external' AND ${where} ORDER BY u.id DESC LIMIT $${params.length}`,
    params
  );
  return rows.map(updateFrom);
}
