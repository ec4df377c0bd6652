// Contract shapes → DataFrames with typed fields. Pure: no I/O, tested directly.
import {
  createDataFrame,
  FieldType,
  MappingType,
  type DataFrame,
  type FieldConfig,
  type ValueMapping,
} from '@grafana/data';

import type { Approval } from '../contract/approvals';
import type { AuditRow } from '../contract/audit';
import type { RunbookListItem } from '../contract/catalog';
import type { IncidentSummary } from '../contract/incidents';
import { appLinkTemplates } from '../contract/links';
import type { Kpis } from '../contract/kpis';
import type { OnCallNow } from '../contract/oncall';
import type { HealthBlock } from '../contract/overview';
import type { SloStatus } from '../contract/slo';
import {
  APPROVAL_STATUS,
  CLOCK_STATUS,
  KPI_TARGET_STATE,
  HEALTH,
  INCIDENT_STATUS,
  REVIEW_STATUS,
  RISK_CLASS,
  SEVERITY,
  SLO_ALERT_STATE,
  type Vocabulary,
} from '../contract/vocabulary';

/**
 * A state column's value mapping, from the contract's vocabulary: the app's badges and dashboards say
 * the same words in the same colours, and the mapping `index` keeps the vocabulary's order.
 */
function mappingsOf(vocabulary: Vocabulary<string>): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: Object.fromEntries(
        Object.entries(vocabulary).map(([value, term], index) => [
          value,
          { text: term.label, color: term.color, index },
        ])
      ),
    },
  ];
}

/** Severities stay strings (so they sort and filter as sev1..sev4) and read as coloured labels. */
export const SEVERITY_MAPPINGS = mappingsOf(SEVERITY);
const STATUS_MAPPINGS = mappingsOf(INCIDENT_STATUS);
const HEALTH_MAPPINGS = mappingsOf(HEALTH);
const REVIEW_MAPPINGS = mappingsOf(REVIEW_STATUS);
const RISK_MAPPINGS = mappingsOf(RISK_CLASS);
const APPROVAL_MAPPINGS = mappingsOf(APPROVAL_STATUS);
const ALERT_STATE_MAPPINGS = mappingsOf(SLO_ALERT_STATE);
const CLOCK_MAPPINGS = mappingsOf(CLOCK_STATUS);

const time = (iso: string | null) => (iso ? Date.parse(iso) : null);

type Column<T> = { name: string; type: FieldType; value: (item: T) => unknown; config?: FieldConfig };

function frameOf<T>(
  refId: string,
  name: string,
  items: T[],
  columns: Array<Column<T>>,
  preferredVisualisationType?: 'table'
): DataFrame {
  return createDataFrame({
    refId,
    name,
    meta: preferredVisualisationType ? { preferredVisualisationType } : undefined,
    fields: columns.map((column) => ({
      name: column.name,
      type: column.type,
      values: items.map(column.value),
      config: column.config ?? {},
    })),
  });
}

const link = (title: string, url: string): FieldConfig => ({ links: [{ title, url }] });

export function incidentsFrame(refId: string, incidents: IncidentSummary[]): DataFrame {
  return frameOf(refId, 'incidents', incidents, [
    { name: 'opened_at', type: FieldType.time, value: (i) => time(i.opened_at), config: { displayName: 'Opened' } },
    {
      name: 'resolved_at',
      type: FieldType.time,
      value: (i) => time(i.resolved_at),
      config: { displayName: 'Resolved' },
    },
    { name: 'id', type: FieldType.string, value: (i) => i.id },
    {
      name: 'title',
      type: FieldType.string,
      value: (i) => i.title,
      config: link('Open incident', appLinkTemplates.incident('${__data.fields.id}')),
    },
    { name: 'severity', type: FieldType.string, value: (i) => i.severity, config: { mappings: SEVERITY_MAPPINGS } },
    { name: 'status', type: FieldType.string, value: (i) => i.status, config: { mappings: STATUS_MAPPINGS } },
    { name: 'owner_team', type: FieldType.string, value: (i) => i.owner_team ?? '' },
    { name: 'tenant', type: FieldType.string, value: (i) => i.tenant },
    { name: 'project', type: FieldType.string, value: (i) => i.project },
    { name: 'signal_key', type: FieldType.string, value: (i) => i.signal_key ?? '' },
    { name: 'runbook_id', type: FieldType.string, value: (i) => i.runbooks[0]?.id ?? '' },
    { name: 'missing_runbook', type: FieldType.boolean, value: (i) => i.missing_runbook },
    { name: 'firing_alerts', type: FieldType.number, value: (i) => i.alert_counts.firing },
    { name: 'mtta', type: FieldType.number, value: (i) => i.mtta_seconds, config: { unit: 's', displayName: 'MTTA' } },
    { name: 'mttr', type: FieldType.number, value: (i) => i.mttr_seconds, config: { unit: 's', displayName: 'MTTR' } },
    { name: 'slo_burn_rate', type: FieldType.number, value: (i) => i.slo_burn_rate, config: { unit: 'x' } },
    // Response clocks (issue 11), so dashboards can show SLA compliance.
    {
      name: 'ack_status',
      type: FieldType.string,
      value: (i) => i.response?.ack_status ?? '',
      config: { mappings: CLOCK_MAPPINGS },
    },
    { name: 'ack_due_at', type: FieldType.time, value: (i) => time(i.response?.ack_due_at ?? null) },
    {
      name: 'response_status',
      type: FieldType.string,
      value: (i) => i.response?.response_status ?? '',
      config: { mappings: CLOCK_MAPPINGS },
    },
    { name: 'escalation_level', type: FieldType.number, value: (i) => i.response?.escalation_level ?? null },
    { name: 'assignee', type: FieldType.string, value: (i) => i.response?.assignee ?? '' },
  ]);
}

/** oncall: one row per team and role on call now (a gap is a row with an empty user). */
export function oncallFrame(refId: string, now: OnCallNow): DataFrame {
  const rows = now.teams.flatMap((team) =>
    (['primary', 'secondary'] as const).map((role) => ({ team: team.team, role, shift: team[role] }))
  );
  return frameOf(
    refId,
    'oncall',
    rows,
    [
      { name: 'team', type: FieldType.string, value: (r) => r.team },
      { name: 'role', type: FieldType.string, value: (r) => r.role },
      { name: 'user', type: FieldType.string, value: (r) => r.shift?.user ?? '' },
      { name: 'name', type: FieldType.string, value: (r) => r.shift?.name ?? '' },
      { name: 'from', type: FieldType.time, value: (r) => time(r.shift?.from ?? null) },
      { name: 'until', type: FieldType.time, value: (r) => time(r.shift?.until ?? null) },
      { name: 'source', type: FieldType.string, value: (r) => r.shift?.source ?? '' },
    ],
    'table'
  );
}

const KPI_MET_MAPPINGS = mappingsOf(KPI_TARGET_STATE);

export interface KpiRow {
  kpi: string;
  description: string;
  /** seconds | ratio (0..1) | count: the rows share one value column, so each says what its number is. */
  unit: 'seconds' | 'ratio' | 'count';
  value: number | null;
  target: number | null;
  comparison: string;
  /** met | missed | no_data, or empty when the operating model sets no target for it. */
  met: string;
}

/** The KPIs one row each: the four with targets first, then the other ratios and the incident count. */
export function kpiRows(kpis: Kpis): KpiRow[] {
  const targets = new Map(kpis.targets.map((t) => [t.kpi, t]));
  const row = (kpi: string, description: string, unit: KpiRow['unit'], value: number | null): KpiRow => {
    const target = targets.get(kpi);
    return {
      kpi,
      description,
      unit,
      value,
      target: target?.target ?? null,
      comparison: target?.comparison ?? '',
      met: !target ? '' : target.met === null ? 'no_data' : target.met ? 'met' : 'missed',
    };
  };
  return [
    row('mttr_manual', 'Median MTTR without an executed action', 'seconds', kpis.mttr_all.manual.median_seconds),
    row('mttr_assisted', 'Median MTTR with an executed action', 'seconds', kpis.mttr_all.assisted.median_seconds),
    row(
      'false_classification_rate',
      'Severity or signal corrected by a person',
      'ratio',
      kpis.false_classification_rate.value
    ),
    row('override_rate', 'Top recommendation overridden or rejected', 'ratio', kpis.override_rate.value),
    row('ack_sla', 'Acknowledged within the severity target', 'ratio', kpis.ack_sla.value),
    row('response_sla', 'First status update within the severity target', 'ratio', kpis.response_sla.value),
    row('change_failure_rate', 'Executions that failed or made it worse', 'ratio', kpis.change_failure_rate.value),
    row(
      'automation_coverage',
      'Executions that ran without an approval (auto R1)',
      'ratio',
      kpis.automation_coverage.value
    ),
    row('incidents', 'Incidents opened in the window', 'count', kpis.incidents),
  ];
}

/** kpis: one row per KPI with its value, target and whether it is met, for the window asked. */
export function kpisFrame(refId: string, kpis: Kpis): DataFrame {
  return frameOf(
    refId,
    'kpis',
    kpiRows(kpis),
    [
      { name: 'kpi', type: FieldType.string, value: (r) => r.kpi },
      { name: 'description', type: FieldType.string, value: (r) => r.description },
      { name: 'value', type: FieldType.number, value: (r) => r.value },
      { name: 'unit', type: FieldType.string, value: (r) => r.unit },
      { name: 'target', type: FieldType.number, value: (r) => r.target },
      { name: 'comparison', type: FieldType.string, value: (r) => r.comparison },
      { name: 'met', type: FieldType.string, value: (r) => r.met, config: { mappings: KPI_MET_MAPPINGS } },
      { name: 'window', type: FieldType.string, value: () => kpis.window },
    ],
    'table'
  );
}

export function runbooksFrame(refId: string, runbooks: RunbookListItem[]): DataFrame {
  return frameOf(
    refId,
    'runbooks',
    runbooks,
    [
      { name: 'id', type: FieldType.string, value: (r) => r.id },
      {
        name: 'title',
        type: FieldType.string,
        value: (r) => r.title,
        config: link('Open runbook', appLinkTemplates.runbook('${__data.fields.id}')),
      },
      {
        name: 'severity_hint',
        type: FieldType.string,
        value: (r) => r.severity_hint,
        config: { mappings: SEVERITY_MAPPINGS },
      },
      { name: 'owner_team', type: FieldType.string, value: (r) => r.owner_team },
      { name: 'signals', type: FieldType.string, value: (r) => r.signals.join(', ') },
      {
        name: 'review_status',
        type: FieldType.string,
        value: (r) => r.review_status,
        config: { mappings: REVIEW_MAPPINGS },
      },
      { name: 'last_reviewed_at', type: FieldType.time, value: (r) => time(r.last_reviewed_at) },
      { name: 'review_due_at', type: FieldType.time, value: (r) => time(r.review_due_at) },
    ],
    'table'
  );
}

export function approvalsFrame(refId: string, approvals: Approval[]): DataFrame {
  return frameOf(
    refId,
    'approvals',
    approvals,
    [
      { name: 'requested_at', type: FieldType.time, value: (a) => time(a.requested_at) },
      { name: 'id', type: FieldType.string, value: (a) => a.id },
      {
        name: 'action',
        type: FieldType.string,
        value: (a) => a.action_title,
        config: link('Open approval', appLinkTemplates.approval('${__data.fields.id}')),
      },
      { name: 'risk_class', type: FieldType.string, value: (a) => a.risk_class, config: { mappings: RISK_MAPPINGS } },
      { name: 'status', type: FieldType.string, value: (a) => a.status, config: { mappings: APPROVAL_MAPPINGS } },
      { name: 'requested_by', type: FieldType.string, value: (a) => a.requested_by },
      { name: 'incident_id', type: FieldType.string, value: (a) => a.incident_id },
      {
        name: 'confidence',
        type: FieldType.number,
        value: (a) => a.evidence.confidence,
        config: { unit: 'percentunit', min: 0, max: 1 },
      },
      { name: 'expires_at', type: FieldType.time, value: (a) => time(a.expires_at) },
    ],
    'table'
  );
}

export function auditFrame(refId: string, rows: AuditRow[]): DataFrame {
  return frameOf(
    refId,
    'audit',
    rows,
    [
      { name: 'occurred_at', type: FieldType.time, value: (r) => time(r.occurred_at) },
      { name: 'actor', type: FieldType.string, value: (r) => r.actor },
      { name: 'role', type: FieldType.string, value: (r) => r.role },
      { name: 'action', type: FieldType.string, value: (r) => r.action },
      { name: 'target_type', type: FieldType.string, value: (r) => r.target_type },
      { name: 'target_id', type: FieldType.string, value: (r) => r.target_id },
      { name: 'tenant', type: FieldType.string, value: (r) => r.tenant ?? '' },
      { name: 'project', type: FieldType.string, value: (r) => r.project ?? '' },
      {
        name: 'correlation_id',
        type: FieldType.string,
        value: (r) => r.correlation_id,
        config: link('Investigate', appLinkTemplates.investigate('${__value.raw}')),
      },
    ],
    'table'
  );
}

export function healthFrame(refId: string, blocks: HealthBlock[], generatedAt: string): DataFrame {
  return frameOf(
    refId,
    'overview_health',
    blocks,
    [
      { name: 'time', type: FieldType.time, value: () => time(generatedAt) },
      { name: 'key', type: FieldType.string, value: (b) => b.key },
      { name: 'title', type: FieldType.string, value: (b) => b.title },
      { name: 'kind', type: FieldType.string, value: (b) => b.kind },
      { name: 'status', type: FieldType.string, value: (b) => b.status, config: { mappings: HEALTH_MAPPINGS } },
      { name: 'value', type: FieldType.number, value: (b) => b.value },
      { name: 'threshold', type: FieldType.number, value: (b) => b.threshold },
      { name: 'warn_threshold', type: FieldType.number, value: (b) => b.warn_threshold },
      { name: 'unit', type: FieldType.string, value: (b) => b.unit },
      { name: 'runbook_id', type: FieldType.string, value: (b) => b.investigation.runbook_id ?? '' },
    ],
    'table'
  );
}

export function sloFrame(refId: string, slos: SloStatus[]): DataFrame {
  const windows = Array.from(new Set(slos.flatMap((slo) => Object.keys(slo.burn_rates)))).sort(byWindow);
  return frameOf(
    refId,
    'slo_status',
    slos,
    [
      { name: 'id', type: FieldType.string, value: (s) => s.id },
      { name: 'service', type: FieldType.string, value: (s) => s.service },
      { name: 'name', type: FieldType.string, value: (s) => s.name },
      {
        name: 'objective',
        type: FieldType.number,
        value: (s) => s.objective,
        config: { unit: 'percent', decimals: 2 },
      },
      {
        name: 'error_budget_remaining',
        type: FieldType.number,
        value: (s) => s.error_budget_remaining,
        config: { unit: 'percentunit' },
      },
      ...windows.map<Column<SloStatus>>((window) => ({
        name: `burn_rate_${window}`,
        type: FieldType.number,
        value: (s) => s.burn_rates[window] ?? null,
        config: { unit: 'x', displayName: `Burn ${window}` },
      })),
      {
        name: 'alert_state',
        type: FieldType.string,
        value: (s) => s.alert_state,
        config: { mappings: ALERT_STATE_MAPPINGS },
      },
      { name: 'budget_policy_state', type: FieldType.string, value: (s) => s.budget_policy_state ?? '' },
      { name: 'runbook_id', type: FieldType.string, value: (s) => s.runbook_id ?? '' },
      // issue 18: the error budget policy's alerts firing now, and what the state obliges the owner team to do
      { name: 'policy_alerts', type: FieldType.string, value: (s) => s.policy_alerts.join(', ') },
      { name: 'owner', type: FieldType.string, value: (s) => s.owner ?? '' },
      { name: 'obligation', type: FieldType.string, value: (s) => s.obligation ?? '' },
    ],
    'table'
  );
}

const WINDOW_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
function windowSeconds(window: string): number {
  const match = /^(\d+)([smhdw])$/.exec(window);
  return match ? Number(match[1]) * WINDOW_UNIT[match[2]] : Number.MAX_SAFE_INTEGER;
}
/** Burn-rate windows shortest first (5m, 30m, 1h, 6h, 3d), unknown names last. */
function byWindow(a: string, b: string): number {
  return windowSeconds(a) - windowSeconds(b) || a.localeCompare(b);
}
