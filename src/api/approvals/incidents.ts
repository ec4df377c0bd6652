/**
 * What remediation needs from incidents (the incidents module owns the tables): the incident an
 * approval is for, read within the caller's project, and the timeline every remediation step is
 * written to. Both go through the incidents repository's exported functions, so the columns, the row
 * mapping and the tenancy filter are written once, there.
 */
import type { TimelineRecord } from '../incidents/model';
import { findIncident as findScopedIncident, insertTimeline, newIdAt, touchIncident } from '../incidents/repository';
import type { RequestScope } from '../access/identity';
import type { Sql } from '../store';

// The incidents module's id source: one monotonic ULID sequence for every timeline entry, so entries
// written by intake, incident routes and remediation in the same millisecond still sort in order.
export { newIdAt };

/** The facts of an incident an approval reads: its scope, status, burn rate and evidence values. */
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
  const incident = await findScopedIncident(sql, id, scope);
  if (!incident) {
    return null;
  }
  return {
    id: incident.id,
    tenant: incident.tenant,
    project: incident.project,
    status: incident.status,
    slo_burn_rate: incident.slo_burn_rate,
    // Evidence links use the first correlation and trace id the incident saw.
    correlation_id: incident.correlation_ids[0] ?? null,
    trace_id: incident.trace_ids[0] ?? null,
    resource_name: incident.resource_name,
    title: incident.title,
    service: incident.service,
    host_role: incident.host_role,
    opened_at: incident.opened_at,
  };
}

/** A timeline entry to write: the incidents module's record, before it has an ID. */
export type TimelineWrite = Omit<TimelineRecord, 'id'>;

/** Adds one entry to the incident's timeline (and marks the incident updated), inside the caller's transaction. */
export async function appendTimeline(tx: Sql, entry: TimelineWrite): Promise<void> {
  await touchIncident(tx, entry.incident_id, entry.at);
  await insertTimeline(tx, [{ id: newIdAt(entry.at), ...entry }]);
}
