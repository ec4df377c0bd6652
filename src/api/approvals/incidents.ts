/**
 * What remediation needs from incidents (issue 4 owns the tables): the incident an approval is for,
 * read within the caller's project, and the timeline every remediation step is written to.
 */
import type { TimelineRecord } from '../incidents/model';
import { newIdAt, touchIncident } from '../incidents/repository';
import type { RequestScope } from '../access/identity';
import type { Sql } from '../store';
import { scopeCondition } from '../access/scope';

// The incidents module's id source: one monotonic ULID sequence for every timeline entry, so entries
// written by intake, incident routes and remediation in the same millisecond still sort in order.
export { newIdAt };

export interface IncidentRef {
  id: string;
  tenant: string;
  project: string;
  status: string;
  slo_burn_rate: number | null;
  correlation_id: string | null;
  trace_id: string | null;
  resource_name: string | null;
  title: string;
  service: string | null;
  host_role: string | null;
  opened_at: Date;
}

/** The incident with this id in the caller's scope, or null (another project's incident is "not found"). */
export async function findIncident(sql: Sql, id: string, scope: RequestScope): Promise<IncidentRef | null> {
  const params: unknown[] = [id];
  const where = scopeCondition(scope, params);
  const { rows } = await sql.query<Record<string, unknown>>(
    `SELECT id, tenant, project, status, slo_burn_rate, correlation_ids, trace_ids, resource_name, title, service,
            host_role, opened_at
       FROM incidents WHERE id = $1 AND ${where}`,
    params
  );
  const row = rows[0];
  if (!row) {
    return null;
  }
  const first = (value: unknown) => (Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null);
  return {
    id: String(row.id),
    tenant: String(row.tenant),
    project: String(row.project),
    status: String(row.status),
    slo_burn_rate: row.slo_burn_rate === null || row.slo_burn_rate === undefined ? null : Number(row.slo_burn_rate),
    correlation_id: first(row.correlation_ids),
    trace_id: first(row.trace_ids),
    resource_name: (row.resource_name as string | null) ?? null,
    title: String(row.title),
    service: (row.service as string | null) ?? null,
    host_role: (row.host_role as string | null) ?? null,
    opened_at: new Date(row.opened_at as string | Date),
  };
}

/** A timeline entry to write: the incidents module's record, before it has an ID. */
export type TimelineWrite = Omit<TimelineRecord, 'id'>;

/** Adds one entry to the incident's timeline (and marks the incident updated), inside the caller's transaction. */
export async function appendTimeline(tx: Sql, entry: TimelineWrite): Promise<void> {
  await touchIncident(tx, entry.incident_id, entry.at);
  await tx.query(
    `INSERT INTO incident_timeline (id, incident_id, at, kind, actor, summary, data, correlation_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      newIdAt(entry.at),
      entry.incident_id,
      entry.at.toISOString(),
      entry.kind,
      entry.actor,
      entry.summary,
      JSON.stringify(entry.data),
      entry.correlation_id,
    ]
  );
}
