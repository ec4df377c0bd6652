/** SQL of the posted handoff summaries (`oncall_handoffs`, migration 0015). */
import type { PostedHandoff } from '../../contract/oncall';
import type { RequestScope } from '../access/identity';
import type { Row, Sql } from '../store';

export interface HandoffRecord extends PostedHandoff {
  tenant: string | null;
  project: string | null;
  correlation_id: string;
}

const iso = (value: unknown) => new Date(value as string).toISOString();

function handoffFrom(row: Row): PostedHandoff {
  return {
    id: String(row.id),
    team: String(row.team),
    shift_from: iso(row.shift_from),
    shift_until: iso(row.shift_until),
    text: String(row.text),
    posted_by: String(row.posted_by),
    posted_at: iso(row.posted_at),
    incident_ids: Array.isArray(row.incident_ids) ? row.incident_ids.map(String) : [],
  };
}

export async function insertHandoff(tx: Sql, record: HandoffRecord): Promise<void> {
  await tx.query(
    `INSERT INTO oncall_handoffs (id, team, tenant, project, shift_from, shift_until, text, incident_ids, posted_by, posted_at, correlation_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)`,
    [
      record.id,
      record.team,
      record.tenant,
      record.project,
      record.shift_from,
      record.shift_until,
      record.text,
      JSON.stringify(record.incident_ids),
      record.posted_by,
      record.posted_at,
      record.correlation_id,
    ]
  );
}

/** The latest handoff of the team's shift posted in the caller's scope (every scope for an all-projects caller). */
export async function latestHandoff(
  sql: Sql,
  scope: RequestScope,
  team: string,
  shiftFrom: Date
): Promise<PostedHandoff | null> {
  const params: unknown[] = [team, shiftFrom.toISOString()];
  let where = 'team = $1 AND shift_from = $2';
  if (scope.kind === 'project') {
    params.push(scope.project, scope.tenant);
    where += ' AND project = $3 AND tenant IS NOT DISTINCT FROM $4';
  }
  const { rows } = await sql.query<Row>(
    `SELECT id, team, shift_from, shift_until, text, incident_ids, posted_by, posted_at
       FROM oncall_handoffs WHERE ${where} ORDER BY id DESC LIMIT 1`,
    params
  );
  return rows[0] ? handoffFrom(rows[0]) : null;
}
