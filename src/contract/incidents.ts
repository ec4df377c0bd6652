/**
 * Incidents: alerts grouped by signal (catalog/grouping.yaml), with a lifecycle, a timeline and the
 * runbooks and saved queries that tell the operator what to do first.
 */
import { z } from 'zod';

import { AlertSource, AlertStatus } from './alerts';
import { HostRole, IsoDateTime, Severity } from './common';
import { IncidentResponse } from './oncall';

export const INCIDENT_STATUSES = [
  'detected',
  'triaging',
  'mitigating',
  'monitoring',
  'resolved',
  'closed',
  'reopened',
] as const;
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;
/** Statuses that count as open on the ops page. */
export const OPEN_STATUSES: IncidentStatus[] = ['detected', 'triaging', 'mitigating', 'monitoring', 'reopened'];

/** Alerts without tenant/project labels belong to the platform itself. */
export const PLATFORM_TENANT = 'platform';
export const PLATFORM_PROJECT = 'platform';

export const IncidentAlert = z
  .object({
    fingerprint: z.string(),
    alertname: z.string(),
    status: AlertStatus,
    severity: Severity,
    source: AlertSource,
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
    starts_at: IsoDateTime,
    ends_at: IsoDateTime.nullable(),
    generator_url: z.string().nullable(),
    /** Silence this alert at its sender (Alertmanager's silence form from its labels, or Grafana's silenceURL). */
    silence_url: z.string().nullable(),
    signal_key: z.string().nullable(),
    runbook_ids: z.array(z.string()),
    missing_runbook: z.boolean(),
    last_received_at: IsoDateTime,
  })
  .meta({ id: 'IncidentAlert' });
export type IncidentAlert = z.infer<typeof IncidentAlert>;

export const RunbookRef = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string(),
  severity_hint: z.string(),
  owner_team: z.string(),
});
export type RunbookRef = z.infer<typeof RunbookRef>;

export const SavedQueryLink = z.object({
  id: z.string(),
  title: z.string(),
  datasource: z.enum(['loki', 'tempo', 'prometheus']),
  /** Grafana Explore URL with the incident's correlation ID / trace ID / resource name filled in; null when a variable is unknown. */
  explore_url: z.string().nullable(),
  missing_variables: z.array(z.string()),
});
export type SavedQueryLink = z.infer<typeof SavedQueryLink>;

export const IncidentSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    status: IncidentStatus,
    severity: Severity,
    grouping_key: z.string(),
    signal_key: z.string().nullable(),
    signal_group: z.string().nullable(),
    tenant: z.string(),
    project: z.string(),
    owner_team: z.string().nullable(),
    runbooks: z.array(RunbookRef),
    /** True when no alert of the incident led to a catalog runbook. */
    missing_runbook: z.boolean(),
    first_saved_query: SavedQueryLink.nullable(),
    alert_counts: z.object({ firing: z.number().int(), resolved: z.number().int() }),
    correlation_ids: z.array(z.string()),
    trace_ids: z.array(z.string()),
    /** Canonical core42:aicloud:{region}:{tenant_id}:{project_id}:{resource_type}:{resource_id}. */
    resource_name: z.string().nullable(),
    /** First failing host role, in platform_control → app_control → worker_compute order. */
    host_role: HostRole.nullable(),
    opened_at: IsoDateTime,
    acknowledged_at: IsoDateTime.nullable(),
    resolved_at: IsoDateTime.nullable(),
    closed_at: IsoDateTime.nullable(),
    updated_at: IsoDateTime,
    /** Time to acknowledge (first move out of detected) and to resolve, in seconds. */
    mtta_seconds: z.number().nullable(),
    mttr_seconds: z.number().nullable(),
    slo_burn_rate: z.number().nullable(),
    /** Response clocks, escalation and ownership (issue 11); present on incident lists and pages. */
    response: IncidentResponse.optional(),
  })
  .meta({ id: 'IncidentSummary' });
export type IncidentSummary = z.infer<typeof IncidentSummary>;

export const TIMELINE_KINDS = [
  'alert_fired',
  'alert_resolved',
  'state_changed',
  'note',
  'runbook_opened',
  'checklist_step_done',
  'saved_query_opened',
  'approval_requested',
  'approval_decided',
  'action_executed',
  'action_failed',
  'verification_passed',
  'verification_failed',
  'feedback_recorded',
  // on-call response (issue 11)
  'acknowledged',
  'assigned',
  'severity_changed',
  // issue 12: a person reclassified the incident (counts toward the false classification rate)
  'signal_changed',
  'escalated',
  'page_sent',
  'page_failed',
  'handoff_summary',
  // issue 12: communication and review
  'status_update',
  'postmortem_created',
  'postmortem_published',
  'recommendation_overridden',
] as const;
export const TimelineKind = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const TimelineEntry = z
  .object({
    id: z.string(),
    at: IsoDateTime,
    kind: TimelineKind,
    actor: z.string(),
    summary: z.string(),
    data: z.record(z.string(), z.unknown()),
    correlation_id: z.string().nullable(),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const IncidentDetail = IncidentSummary.extend({
  alerts: z.array(IncidentAlert),
  timeline: z.array(TimelineEntry),
  saved_queries: z.array(SavedQueryLink),
  /** Transitions the lifecycle allows from the current status (the UI shows these as buttons). */
  allowed_transitions: z.array(IncidentStatus),
}).meta({ id: 'IncidentDetail' });
export type IncidentDetail = z.infer<typeof IncidentDetail>;

const FilterText = z.string().trim().min(1).max(512);

/**
 * Filters of the incidents list. Every filter narrows (AND); `from`/`to` select incidents whose active
 * span [opened_at, resolved_at or now] overlaps the range, so "what was going on between 10:00 and
 * 11:00" finds an incident opened at 09:30 and resolved at 10:15. `q` matches, case-insensitively and
 * as a substring, the title, the incident ID, its grouping key, resource name, correlation and trace IDs
 * and every label value (or `name=value`) of its alerts.
 */
export const IncidentListQuery = z
  .object({
    status: z.union([IncidentStatus, z.literal('open')]).optional(),
    severity: Severity.optional(),
    signal: FilterText.optional(),
    owner_team: FilterText.optional(),
    tenant: FilterText.optional(),
    project: FilterText.optional(),
    resource_name: FilterText.optional(),
    trace_id: FilterText.optional(),
    correlation_id: FilterText.optional(),
    host_role: HostRole.optional(),
    /** The on-call response's assignee (a Grafana login), exactly. */
    assignee: FilterText.optional(),
    from: IsoDateTime.optional(),
    to: IsoDateTime.optional(),
    q: FilterText.optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), {
    message: 'from must not be after to',
    path: ['from'],
  });
export type IncidentListQuery = z.infer<typeof IncidentListQuery>;

export const IncidentPage = z
  .object({ items: z.array(IncidentSummary), next_cursor: z.string().nullable() })
  .meta({ id: 'IncidentPage' });
export type IncidentPage = z.infer<typeof IncidentPage>;

export const TransitionRequest = z.object({
  to: IncidentStatus,
  /** Required when closing: the review or postmortem link. */
  note: z.string().max(10_000).optional(),
});
export type TransitionRequest = z.infer<typeof TransitionRequest>;

export const NoteRequest = z.object({ text: z.string().min(1).max(10_000) });
export type NoteRequest = z.infer<typeof NoteRequest>;

/** Operator activity the UI records on the timeline. */
export const TimelineEventRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('runbook_opened'), runbook_id: z.string() }),
  z.object({
    kind: z.literal('checklist_step_done'),
    runbook_id: z.string(),
    step_id: z.string(),
    done: z.boolean().default(true),
  }),
  z.object({ kind: z.literal('saved_query_opened'), query_id: z.string() }),
]);
export type TimelineEventRequest = z.infer<typeof TimelineEventRequest>;
