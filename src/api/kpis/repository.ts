/**
 * The KPI read model: one row per incident opened in the window (with what the KPIs need from the
 * approvals, updates, timeline and alerts of that incident), and the remediation requests and
 * overrides made in the window. A read-only reporting query, so it joins the tables of the modules it
 * reports on rather than calling each module once per incident.
 */
import { scopeCondition } from '../access/scope';
import type { RequestScope } from '../access/identity';
import type { Row, Sql } from '../store';

export interface KpiIncidentRow {
  id: string;
  severity: 'sev1' | 'sev2' | 'sev3' | 'sev4';
  status: string;
  opened_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  first_update_at: Date | null;
  firing_count: number;
  /** An action ran (succeeded or failed) for the incident. */
  assisted: boolean;
  /** A person did anything on the timeline. */
  touched: boolean;
  /** A person corrected its severity or signal (a `severity_changed` / `signal_changed` entry not by the system). */
  corrected: boolean;
  alertnames: string[];
}

export interface KpiRemediationRow {
  status: string;
  risk_class: string;
  requires_approval: boolean;
  outcome: string | null;
}

export interface KpiWindowQuery {
  scope: RequestScope | null;
  from: Date;
  to: Date;
  team: string | null;
}

const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));
const asDateOrNull = (value: unknown) => (value === null || value === undefined ? null : asDate(value));

function where(query: KpiWindowQuery, params: unknown[], column: string) {
  params.push(query.from.toISOString(), query.to.toISOString());
  const conditions = [
    `${column} >= $${params.length - 1}::timestamptz`,
    `${column} < $${params.length}::timestamptz`,
    scopeCondition(query.scope, params, { tenant: 'i.tenant', project: 'i.project' }),
  ];
  if (query.team) {
    params.push(query.team);
    conditions.push(`i.owner_team = $${params.length}`);
  }
  return conditions.join(' AND ');
}

export async function kpiIncidents(sql: Sql, query: KpiWindowQuery): Promise<KpiIncidentRow[]> {
  const params: unknown[] = [];
  const { rows } = await sql.query<Row>(
    `SELECT i.id, i.severity, i.status, i.opened_at, i.acknowledged_at, i.resolved_at, i.firing_count,
            (SELECT min(u.posted_at) FROM incident_updates u WHERE u.incident_id = i.id) AS first_update_at,
            EXISTS (SELECT 1 FROM approvals a WHERE a.incident_id = i.id AND a.status IN ('succeeded', 'failed')) AS assisted,
            EXISTS (SELECT 1 FROM incident_timeline t WHERE t.incident_id = i.id AND t.actor <> 'system') AS touched,
            EXISTS (SELECT 1 FROM incident_timeline t WHERE t.incident_id = i.id AND t.actor <> 'system'
                       AND t.kind IN ('severity_changed', 'signal_changed')) AS corrected,
            (SELECT coalesce(jsonb_agg(DISTINCT al.alertname), '[]'::jsonb) FROM alerts al WHERE al.incident_id = i.id) AS alertnames
       FROM incidents i WHERE ${where(query, params, 'i.opened_at')}`,
    params
  );
  return rows.map((row) => ({
    id: String(row.id),
    severity: row.severity as KpiIncidentRow['severity'],
    status: String(row.status),
    opened_at: asDate(row.opened_at),
    acknowledged_at: asDateOrNull(row.acknowledged_at),
    resolved_at: asDateOrNull(row.resolved_at),
    first_update_at: asDateOrNull(row.first_update_at),
    firing_count: Number(row.firing_count),
    assisted: Boolean(row.assisted),
    touched: Boolean(row.touched),
    corrected: Boolean(row.corrected),
    alertnames: Array.isArray(row.alertnames) ? row.alertnames.map(String) : [],
  }));
}

/** Remediation requests made in the window (by requested_at), with their feedback. */
export async function kpiRemediations(sql: Sql, query: KpiWindowQuery): Promise<KpiRemediationRow[]> {
  const params: unknown[] = [];
  const { rows } = await sql.query<Row>(
    `SELECT a.status, a.risk_class, a.requires_approval, f.outcome
       FROM approvals a JOIN incidents i ON i.id = a.incident_id
       LEFT JOIN approval_feedback f ON f.approval_id = a.id
      WHERE ${where(query, params, 'a.requested_at')}`,
    params
  );
  return rows.map((row) => ({
    status: String(row.status),
    risk_class: String(row.risk_class),
    requires_approval: Boolean(row.requires_approval),
    outcome: (row.outcome as string | null) ?? null,
  }));
}

/** Overrides recorded in the window, by kind. */
export async function kpiOverrides(
  sql: Sql,
  query: KpiWindowQuery
): Promise<{ chose_other: number; rejected: number }> {
  const params: unknown[] = [];
  const { rows } = await sql.query<Row>(
    `SELECT count(*) FILTER (WHERE o.kind = 'chose_other')::int AS chose_other,
            count(*) FILTER (WHERE o.kind = 'rejected')::int AS rejected
       FROM recommendation_overrides o JOIN incidents i ON i.id = o.incident_id
      WHERE ${where(query, params, 'o.recorded_at')}`,
    params
  );
  return { chose_other: Number(rows[0].chose_other), rejected: Number(rows[0].rejected) };
}
