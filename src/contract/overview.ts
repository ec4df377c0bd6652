/**
 * GET /api/v1/admin/ops/overview: the decision-first page as data, five sections in this fixed order.
 */
import { z } from 'zod';

import { AlertSource } from './alerts';
import { IsoDateTime, Severity } from './common';
import { IncidentStatus, RunbookRef, SavedQueryLink } from './incidents';
import { IncidentResponse } from './oncall';

export const SourceMode = z.enum(['in_memory', 'backend']);
export type SourceMode = z.infer<typeof SourceMode>;

export const OVERVIEW_SECTIONS = [
  'decision_header',
  'action_required',
  'health_summary',
  'investigation_tools',
  'fleet_detail',
] as const;

/** One sender's heartbeat: when its always-firing heartbeat rule last reached Opsdeck, and how often it did. */
export const HeartbeatSender = z.object({
  source: AlertSource,
  last_heartbeat_at: IsoDateTime,
  age_seconds: z.number(),
  /** Firing heartbeat deliveries counted since the store was created. */
  heartbeats: z.number().int(),
  /** Older than stale_after_seconds: this sender's delivery path is silent. */
  late: z.boolean(),
});
export type HeartbeatSender = z.infer<typeof HeartbeatSender>;

/**
 * Is the alert delivery path alive? `alive`: every sender that ever sent a heartbeat sent one within
 * stale_after_seconds; `silent`: at least one is late; `unproven`: no heartbeat ever arrived, so
 * nothing can be said (wire the heartbeat rule: docs/heartbeat-and-freshness.md).
 */
export const DeliveryPath = z.object({
  state: z.enum(['alive', 'silent', 'unproven']),
  senders: z.array(HeartbeatSender),
  silent_senders: z.array(AlertSource),
});
export type DeliveryPath = z.infer<typeof DeliveryPath>;

export const DecisionHeader = z.object({
  generated_at: IsoDateTime,
  /**
   * Age in seconds of the oldest sender's latest heartbeat (the delivery path's freshness, the same in
   * both source modes); null when no heartbeat ever arrived.
   */
  data_freshness_seconds: z.number().nullable(),
  /** A heartbeat is late: alerts may be firing that never reach this page. */
  stale: z.boolean(),
  stale_after_seconds: z.number(),
  /** The mode actually used for this answer. */
  source_mode: SourceMode,
  /** The backend (Prometheus) failed or timed out and this answer fell back to in_memory. */
  degraded: z.boolean(),
  /** Mode-specific guidance when degraded (what it means, what to check). */
  guidance: z.string().nullable(),
  open_incidents: z.object({
    total: z.number().int(),
    by_severity: z.record(Severity, z.number().int()),
  }),
  pending_approvals: z.number().int(),
  delivery: DeliveryPath,
});
export type DecisionHeader = z.infer<typeof DecisionHeader>;

export const IncidentCard = z.object({
  incident_id: z.string(),
  title: z.string(),
  severity: Severity,
  status: IncidentStatus,
  signal_key: z.string().nullable(),
  owner_team: z.string().nullable(),
  tenant: z.string(),
  project: z.string(),
  opened_at: IsoDateTime,
  age_seconds: z.number(),
  runbooks: z.array(RunbookRef),
  missing_runbook: z.boolean(),
  /** runbook_id values the incident's alerts carry that the catalog does not know (a typo or an unmerged runbook). */
  unknown_runbook_ids: z.array(z.string()),
  first_saved_query: SavedQueryLink.nullable(),
  slo_burn_rate: z.number().nullable(),
  firing_alerts: z.number().int(),
  /** The response clocks, level and assignee (issue 11); absent from answers of older APIs. */
  response: IncidentResponse.optional(),
  /** A response clock is past due and not done: the card sorts first inside its severity. */
  clock_breached: z.boolean().optional(),
});
export type IncidentCard = z.infer<typeof IncidentCard>;

export const HealthStatusLevel = z.enum(['ok', 'warn', 'crit', 'unknown']);
export type HealthStatusLevel = z.infer<typeof HealthStatusLevel>;

export const InvestigationPath = z.object({
  dashboard_uid: z.string(),
  panel_id: z.number().int(),
  /** Relative Grafana URL of the panel (/d/<uid>?viewPanel=<id>). */
  dashboard_url: z.string(),
  query_id: z.string(),
  explore_url: z.string().nullable(),
  runbook_id: z.string().nullable(),
});
export type InvestigationPath = z.infer<typeof InvestigationPath>;

export const HealthBlock = z.object({
  key: z.string(),
  kind: z.enum(['golden', 'domain']),
  title: z.string(),
  value: z.number().nullable(),
  unit: z.string(),
  comparison: z.enum(['>', '>=', '<', '<=']),
  /** The critical level; null for a block without an alarm level of its own (traffic). */
  threshold: z.number().nullable(),
  warn_threshold: z.number().nullable(),
  /** Never `ok` while an open incident of the block's signal fires. */
  status: HealthStatusLevel,
  /**
   * What the value and status come from: the Prometheus backend (every replica), this API process's
   * own counters (in_memory golden blocks), the firing open incidents of the block's signal, or nothing.
   */
  measures: z.enum(['metrics_backend', 'api_process', 'open_incidents', 'nothing']),
  /** One sentence saying what the block measures, shown under it. */
  basis: z.string(),
  /** Open incidents of the block's signal with at least one firing alert. */
  open_incidents: z.number().int(),
  /** Present for every block, healthy or not: the deterministic path to look further. */
  investigation: InvestigationPath,
});
export type HealthBlock = z.infer<typeof HealthBlock>;

export const FleetRow = z.object({
  kind: z.enum(['host_role', 'service']),
  key: z.string(),
  open_incidents: z.number().int(),
  firing_alerts: z.number().int(),
  worst_severity: Severity.nullable(),
  requests: z.number().nullable(),
  errors: z.number().nullable(),
});
export type FleetRow = z.infer<typeof FleetRow>;

export const OpsOverview = z
  .object({
    decision_header: DecisionHeader,
    action_required: z.object({ cards: z.array(IncidentCard) }),
    health_summary: z.object({ blocks: z.array(HealthBlock) }),
    investigation_tools: z.object({
      saved_queries: z.array(SavedQueryLink.extend({ reason: z.string() })),
      correlation_search: z.object({ endpoint: z.string() }),
    }),
    fleet_detail: z.object({ rows: z.array(FleetRow) }),
  })
  .meta({ id: 'OpsOverview' });
export type OpsOverview = z.infer<typeof OpsOverview>;
