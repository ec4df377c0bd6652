import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

export const QUERY_TYPES = [
  'incidents',
  'runbooks',
  'approvals',
  'audit',
  'overview_health',
  'slo_status',
  'open_incident_count',
  'pending_approval_count',
  'slo_burn_budget',
  'oncall',
  'response_breach_count',
  'kpis',
] as const;
/** Query types answering numbers (numeric-long frames) that Grafana alert rules can evaluate. */
export const NUMERIC_QUERY_TYPES: readonly OpsQueryType[] = [
  'open_incident_count',
  'pending_approval_count',
  'slo_burn_budget',
  'response_breach_count',
];
export type OpsQueryType = (typeof QUERY_TYPES)[number];

export const QUERY_TYPE_LABELS: Record<OpsQueryType, { label: string; description: string }> = {
  incidents: {
    label: 'Incidents',
    description: 'Incidents with severity, status, MTTA/MTTR; also the annotation source',
  },
  runbooks: { label: 'Runbooks', description: 'The runbook catalog with review status' },
  approvals: { label: 'Approvals', description: 'Remediation requests and their decisions' },
  audit: { label: 'Audit log', description: 'Audit rows in the dashboard time range' },
  overview_health: {
    label: 'Health summary',
    description: "The ops overview's health blocks: value, threshold, status",
  },
  slo_status: { label: 'SLO status', description: 'Error budget remaining, burn rates and alert state per SLO' },
  open_incident_count: {
    label: 'Open incidents (count)',
    description: 'Open incidents per severity, as numbers for alert rules',
  },
  pending_approval_count: {
    label: 'Pending approvals (count)',
    description: 'Pending approval requests per risk class waiting longer than N minutes, for alert rules',
  },
  slo_burn_budget: {
    label: 'SLO burn and budget',
    description: 'Error budget remaining and burn rate per window for each SLO, for alert rules',
  },
  oncall: { label: 'On-call', description: 'Who is on call now per team: primary and secondary, until when' },
  response_breach_count: {
    label: 'Response-clock breaches (count)',
    description:
      'Open incidents whose acknowledge or initial-response clock is breached, per severity, for alert rules',
  },
  kpis: {
    label: 'Operating KPIs',
    description:
      'MTTR, SLA compliance, change failure, automation, overrides, false classification: value, target, met',
  },
};

/**
 * One panel query. Every text field is interpolated with the dashboard's template variables
 * (`$service`, `$tenant`, …) before it is sent.
 */
export interface OpsQuery extends DataQuery {
  queryType?: OpsQueryType;
  /** X-Project-ID for this query (`project`, `tenant/project` or `*`); the datasource default otherwise. */
  project?: string;
  /** incidents: open|detected|…; approvals: pending|approved|… */
  status?: string;
  /** incidents and runbooks: sev1..sev4 */
  severity?: string;
  /** incidents and runbooks: signal key */
  signal?: string;
  /** incidents and runbooks; oncall, kpis: one team */
  ownerTeam?: string;
  /** incidents, open_incident_count, response_breach_count: tenant filter */
  tenant?: string;
  /** slo_status: service name */
  service?: string;
  /** approvals: R1|R2|R3 */
  riskClass?: string;
  /** audit: actor, action, correlation ID */
  actor?: string;
  action?: string;
  correlationId?: string;
  /** runbooks: overdue|due_soon|ok */
  review?: string;
  limit?: number;
  /** pending_approval_count: count only requests waiting at least this many minutes. */
  olderThanMinutes?: number;
  /** kpis: 7d | 30d | 90d (the API's default 30d when empty). */
  kpiWindow?: string;
}

export const DEFAULT_QUERY: Partial<OpsQuery> = { queryType: 'incidents', status: 'open' };

/** Non-secret settings; the API token is in secureJsonData, which only the Go backend (and the proxy route) reads. */
export interface OpsDataSourceOptions extends DataSourceJsonData {
  apiUrl?: string;
  /** X-Project-ID for queries that name none: `*` (every project the token's user may see) by default. */
  defaultProject?: string;
}

export interface OpsSecureJsonData {
  apiToken?: string;
}

/** The string fields of a query that template variables may fill. */
export const INTERPOLATED_FIELDS = [
  'project',
  'status',
  'severity',
  'signal',
  'ownerTeam',
  'tenant',
  'service',
  'riskClass',
  'actor',
  'action',
  'correlationId',
  'review',
  'kpiWindow',
] as const;
