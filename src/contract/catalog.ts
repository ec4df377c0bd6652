/**
 * The GitOps catalog (files under catalog/) and the runbook/query API shapes built from it.
 * One source for the API, the UI and `opsdeck lint`.
 */
import { z } from 'zod';

import { IsoDate, IsoDateTime, Severity } from './common';
import { QUERY_VARIABLES } from './query-variables';

/** Stable dotted runbook ID, e.g. `ops.outbox.relay`. Never derived from a file path. */
export const RUNBOOK_ID_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
export const RunbookId = z
  .string()
  .regex(RUNBOOK_ID_PATTERN, 'runbook id must be dotted lower-case, e.g. ops.outbox.relay');
export const SIGNAL_KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
export const SignalKey = z.string().regex(SIGNAL_KEY_PATTERN, 'signal key must be snake_case');
export const QUERY_ID_PATTERN = /^[a-z][a-z0-9_]*$/;
export const QueryId = z.string().regex(QUERY_ID_PATTERN, 'query id must be snake_case');

export const RunbookSeverityHint = z.enum(['sev1', 'sev2', 'sev3']);

/** Where a signal is looked at first: a dashboard panel. */
export const PanelRef = z.object({
  uid: z.string().min(1),
  panel_id: z.number().int().positive(),
});
export type PanelRef = z.infer<typeof PanelRef>;

export const SignalGroup = z.object({
  key: SignalKey,
  title: z.string().min(1),
  /** Display order of the group in the UI and in `group_by=signal_group`. */
  order: z.number().int(),
});
export type SignalGroup = z.infer<typeof SignalGroup>;

export const Comparison = z.enum(['>', '>=', '<', '<=']);

export const Signal = z.object({
  key: SignalKey,
  group: SignalKey,
  title: z.string().min(1),
  description: z.string().min(1),
  default_severity: Severity,
  /** Owning service (the `service` label of its metrics). */
  owner_service: z.string().min(1),
  /** PromQL whose value is compared with `threshold`; the alert rule and the health block use it. */
  expr: z.string().min(1),
  comparison: Comparison,
  threshold: z.number(),
  /** Value at which the health block turns `warn` (before `threshold`, which is `crit`). */
  warn_threshold: z.number().optional(),
  unit: z.string().min(1),
  /** The panel that shows it, the saved query that proves it. */
  dashboard: PanelRef,
  query_id: QueryId,
});
export type Signal = z.infer<typeof Signal>;

export const RunbookEntry = z.object({
  id: RunbookId,
  title: z.string().min(1),
  severity_hint: RunbookSeverityHint,
  owner_team: z.string().min(1),
  last_reviewed_at: IsoDate,
  /** Repo path of the markdown (e.g. catalog/runbooks/outbox-relay.md) or an https docs URL. */
  url: z.string().min(1),
  signals: z.array(SignalKey),
  /** Saved queries the runbook cites. */
  queries: z.array(QueryId).default([]),
  tags: z.array(z.string()).default([]),
});
export type RunbookEntry = z.infer<typeof RunbookEntry>;

export const RunbooksCatalogFile = z.object({
  version: z.literal(1),
  signal_groups: z.array(SignalGroup),
  signals: z.array(Signal),
  runbooks: z.array(RunbookEntry),
});
export type RunbooksCatalogFile = z.infer<typeof RunbooksCatalogFile>;

export const QueryDatasource = z.enum(['loki', 'tempo', 'prometheus']);
export type QueryDatasource = z.infer<typeof QueryDatasource>;
/** Variables a saved query may use (defined in a zod-free leaf, see ./query-variables.ts). */
export { QUERY_VARIABLES };
export const QueryVariable = z.enum(QUERY_VARIABLES);
export type QueryVariable = z.infer<typeof QueryVariable>;

export const SavedQuery = z.object({
  id: QueryId,
  title: z.string().min(1),
  datasource: QueryDatasource,
  /** The query text; `$name` or `${name}` placeholders for the variables above. */
  expr: z.string().min(1),
  owner_service: z.string().min(1),
  description: z.string().min(1),
  /** Default time range for the Explore link, e.g. `now-1h`. */
  default_range: z.string().default('now-1h'),
});
export type SavedQuery = z.infer<typeof SavedQuery>;

export const QueriesCatalogFile = z.object({
  version: z.literal(1),
  queries: z.array(SavedQuery),
});
export type QueriesCatalogFile = z.infer<typeof QueriesCatalogFile>;

export const Symptom = z.object({
  id: SignalKey,
  symptom: z.string().min(1),
  description: z.string().min(1),
  panel: PanelRef.extend({ title: z.string().min(1) }),
  query_id: QueryId,
  owning_service: z.string().min(1),
  owner_team: z.string().min(1),
  runbook_id: RunbookId,
  signals: z.array(SignalKey).default([]),
});
export type Symptom = z.infer<typeof Symptom>;

export const SymptomsCatalogFile = z.object({
  version: z.literal(1),
  symptoms: z.array(Symptom),
});
export type SymptomsCatalogFile = z.infer<typeof SymptomsCatalogFile>;

/** catalog/grouping.yaml: how alerts group into incidents. */
export const GroupingFile = z.object({
  version: z.literal(1),
  /** Label (or annotation) names tried in order; the first present one names the incident's signal. */
  key_labels: z.array(z.string().min(1)).min(1).default(['signal_key', 'alertname']),
  /** Labels appended to the key when present (tenancy scope). */
  scope_labels: z.array(z.string().min(1)).default(['tenant', 'project']),
});
export type GroupingFile = z.infer<typeof GroupingFile>;

// ---------- API shapes ----------

export const ReviewStatus = z.enum(['ok', 'due_soon', 'overdue']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;
/** Runbooks must be reviewed within this many days; `due_soon` starts this many days before. */
export const REVIEW_MAX_AGE_DAYS = 90;
export const REVIEW_DUE_SOON_DAYS = 15;

export const RunbookListItem = RunbookEntry.extend({
  review_status: ReviewStatus,
  review_due_at: IsoDate,
  signal_groups: z.array(SignalKey),
}).meta({ id: 'RunbookListItem' });
export type RunbookListItem = z.infer<typeof RunbookListItem>;

export const RunbookListQuery = z.object({
  signal: SignalKey.optional(),
  owner_team: z.string().optional(),
  severity: RunbookSeverityHint.optional(),
  q: z.string().max(200).optional(),
  review: z.enum(['overdue', 'due_soon', 'ok']).optional(),
  group_by: z.literal('signal_group').optional(),
});
export type RunbookListQuery = z.infer<typeof RunbookListQuery>;

export const RunbookGroup = z.object({
  group: SignalGroup,
  runbooks: z.array(RunbookListItem),
});
export const RunbookList = z.object({
  items: z.array(RunbookListItem),
  /** Present when `group_by=signal_group`: groups in their stable order; a runbook may appear in several. */
  groups: z.array(RunbookGroup).optional(),
});
export type RunbookList = z.infer<typeof RunbookList>;

export const ChecklistStep = z.object({
  /** Stable within a runbook version: `<section-slug>-<n>`. */
  id: z.string(),
  section: z.string(),
  text: z.string(),
  /**
   * The step's body as markdown: the fenced code, nested lists and indented text that follow the task
   * item (a command to copy, the links to open); '' when the step is its sentence alone.
   */
  body: z.string(),
});
export type ChecklistStep = z.infer<typeof ChecklistStep>;

export const AlertRuleRef = z.object({
  /** Where the rule lives (repo path) and its name (alert / title). */
  file: z.string(),
  name: z.string(),
  kind: z.enum(['prometheus', 'grafana']),
  signal_key: z.string().nullable(),
});
export type AlertRuleRef = z.infer<typeof AlertRuleRef>;

export const RunbookDetail = RunbookListItem.extend({
  /** The runbook's markdown, raw; the UI renders it sanitised. */
  content: z.string().nullable(),
  checklist: z.array(ChecklistStep),
  signal_details: z.array(Signal),
  alert_rules: z.array(AlertRuleRef),
  saved_queries: z.array(SavedQuery),
}).meta({ id: 'RunbookDetail' });
export type RunbookDetail = z.infer<typeof RunbookDetail>;

export const SavedQueryDetail = SavedQuery.extend({
  /** The variables the query text uses, in order of first appearance: the explore-url parameters it needs. */
  variables: z.array(QueryVariable),
  /** Runbooks that cite it. */
  runbook_ids: z.array(RunbookId),
}).meta({ id: 'SavedQueryDetail' });
export type SavedQueryDetail = z.infer<typeof SavedQueryDetail>;

export const SavedQueryListQuery = z.object({
  datasource: QueryDatasource.optional(),
  owner_service: z.string().max(200).optional(),
  /** Case-insensitive search in id, title and description. */
  q: z.string().max(200).optional(),
});
export type SavedQueryListQuery = z.infer<typeof SavedQueryListQuery>;

export const SavedQueryList = z.object({ items: z.array(SavedQueryDetail) });
export type SavedQueryList = z.infer<typeof SavedQueryList>;

/** Grafana time: `now`, `now-6h`, `now-7d/d`, epoch milliseconds or an ISO-8601 timestamp. */
export const GrafanaTime = z
  .string()
  .max(64)
  .regex(
    /^(now([+-]\d+[smhdwMy])*(\/[smhdwMy])?|\d{10,13}|\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2}))$/,
    'expected now, now-6h, epoch milliseconds or an ISO-8601 timestamp'
  );

const variableValue = z.string().min(1).max(512).optional();
export const ExploreUrlQuery = z.object({
  from: GrafanaTime.optional(),
  to: GrafanaTime.optional(),
  correlation_id: variableValue,
  trace_id: variableValue,
  resource_name: variableValue,
  host_role: variableValue,
  window: variableValue,
  service: variableValue,
});
export type ExploreUrlQuery = z.infer<typeof ExploreUrlQuery>;

export const ExploreUrlResponse = z.object({
  query_id: QueryId,
  datasource: QueryDatasource,
  datasource_uid: z.string(),
  expr: z.string(),
  /** Relative Grafana URL: /explore?schemaVersion=1&panes=... */
  url: z.string(),
  from: z.string(),
  to: z.string(),
});
export type ExploreUrlResponse = z.infer<typeof ExploreUrlResponse>;

export const CatalogViolation = z.object({
  path: z.string(),
  line: z.number().int().nullable(),
  rule: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type CatalogViolation = z.infer<typeof CatalogViolation>;

export const SignalListItem = Signal.extend({
  /** Runbooks that address the signal, in manifest order. */
  runbook_ids: z.array(RunbookId),
}).meta({ id: 'SignalListItem' });
export type SignalListItem = z.infer<typeof SignalListItem>;

export const SignalList = z.object({
  /** Signal groups in their display order. */
  groups: z.array(SignalGroup),
  /** Signals grouped by group order, manifest order within a group. */
  items: z.array(SignalListItem),
});
export type SignalList = z.infer<typeof SignalList>;

export const CatalogReloadResult = z.object({
  reloaded: z.boolean(),
  loaded_at: IsoDateTime,
  /** sha256 of the files the catalog was built from, before and after the reload. */
  revision: z.string(),
  previous_revision: z.string(),
  runbooks: z.number().int(),
  signals: z.number().int(),
  queries: z.number().int(),
  alert_rules: z.number().int(),
  /** Governance findings of `opsdeck lint` (review dates, alert coverage, secrets…): reported, not blocking. */
  warnings: z.array(CatalogViolation),
});
export type CatalogReloadResult = z.infer<typeof CatalogReloadResult>;

/** `opsdeck lint --format json`. */
export const LintReport = z.object({
  ok: z.boolean(),
  today: IsoDate,
  errors: z.number().int(),
  warnings: z.number().int(),
  stats: z.object({
    runbooks: z.number().int(),
    signals: z.number().int(),
    queries: z.number().int(),
    alert_rules: z.number().int(),
    alert_files: z.number().int(),
  }),
  duration_ms: z.number().int(),
  /** Whether a worker thread took the alert files and the query grammars. */
  parallel: z.boolean(),
  findings: z.array(CatalogViolation),
});
export type LintReport = z.infer<typeof LintReport>;
