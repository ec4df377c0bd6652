/** Incidents, alerts and timeline entries as the incident logic and the repository pass them around. */
import type { AlertSource, AlertStatus } from '../../contract/alerts';
import type { HostRole, Severity } from '../../contract/common';
import type { IncidentStatus, TimelineKind } from '../../contract/incidents';

export interface IncidentRecord {
  id: string;
  grouping_key: string;
  title: string;
  status: IncidentStatus;
  severity: Severity;
  signal_key: string | null;
  signal_group: string | null;
  tenant: string;
  project: string;
  owner_team: string | null;
  service: string | null;
  runbook_ids: string[];
  missing_runbook: boolean;
  query_id: string | null;
  firing_count: number;
  resolved_count: number;
  correlation_ids: string[];
  trace_ids: string[];
  resource_name: string | null;
  host_role: HostRole | null;
  slo_burn_rate: number | null;
  opened_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
  last_alert_at: Date;
}

export interface AlertRecord {
  incident_id: string;
  fingerprint: string;
  source: AlertSource;
  alertname: string;
  status: AlertStatus;
  severity: Severity;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  starts_at: Date;
  ends_at: Date | null;
  generator_url: string | null;
  silence_url: string | null;
  signal_key: string | null;
  runbook_ids: string[];
  missing_runbook: boolean;
  correlation_ids: string[];
  first_received_at: Date;
  last_received_at: Date;
  delivery_correlation_id: string;
}

export interface TimelineRecord {
  id: string;
  incident_id: string;
  at: Date;
  kind: TimelineKind;
  actor: string;
  summary: string;
  data: Record<string, unknown>;
  correlation_id: string | null;
}
