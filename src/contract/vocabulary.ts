/**
 * One vocabulary for the states Opsdeck shows: the words, their order and their colours, for the app's
 * badges and the datasource's value mappings (src/datasource/frames.ts in the browser, and the Go
 * backend through pkg/plugin/contract.gen.json, which is generated from this file).
 *
 * Before this table the two sides drifted: SEV3 was blue in the app and yellow on dashboards, SEV4 grey
 * and blue, `expired`/`closed`/`unknown` dark grey and plain text.
 *
 * Colours. Both sides resolve a colour name through the same function (Grafana's
 * `theme.visualization.getColorByName`), but the app renders states as @grafana/ui `Badge`s, which
 * accept only `red | orange | green | blue | purple | darkgrey` (`brand` aside). So the vocabulary uses
 * exactly those names: the five palette hues resolve to the theme's colours in light and dark mode, and
 * `darkgrey` (a CSS colour name Grafana passes through) is the one neutral that reads the same on a badge
 * and in a table cell. Consequently the severity scale is red, orange, blue, grey rather than the
 * red/orange/yellow/blue of the old dashboards: the app's colours are the ones on-call engineers see
 * every day, and a Badge cannot be yellow.
 *
 * Order. Each table's key order is the order the states are listed in (filters, legends, mappings'
 * `index`), most urgent or earliest first.
 */
import type { ApprovalStatus, RiskClass } from './approvals';
import type { ReviewStatus } from './catalog';
import type { Severity } from './common';
import type { IncidentStatus } from './incidents';
import type { ClockStatus } from './oncall';
import type { HealthStatusLevel } from './overview';
import type { SloStatus } from './slo';

/** Colour names a @grafana/ui Badge and a field value mapping both render (see above). */
export type StateColor = 'red' | 'orange' | 'green' | 'blue' | 'purple' | 'darkgrey';

export interface Term {
  /** The short word: a table cell, a filter option, a compact badge. */
  label: string;
  color: StateColor;
  /** The app's badge wording where it says more than the short word (e.g. what a risk class means). */
  long?: string;
}

export type Vocabulary<K extends string> = Readonly<Record<K, Term>>;

export const SEVERITY = {
  sev1: { label: 'SEV1', color: 'red' },
  sev2: { label: 'SEV2', color: 'orange' },
  sev3: { label: 'SEV3', color: 'blue' },
  sev4: { label: 'SEV4', color: 'darkgrey' },
} as const satisfies Vocabulary<Severity>;

export const INCIDENT_STATUS = {
  detected: { label: 'Detected', color: 'red' },
  triaging: { label: 'Triaging', color: 'orange' },
  mitigating: { label: 'Mitigating', color: 'orange' },
  monitoring: { label: 'Monitoring', color: 'blue' },
  resolved: { label: 'Resolved', color: 'green' },
  closed: { label: 'Closed', color: 'darkgrey' },
  reopened: { label: 'Reopened', color: 'purple' },
} as const satisfies Vocabulary<IncidentStatus>;

export const APPROVAL_STATUS = {
  pending: { label: 'Pending', color: 'orange' },
  approved: { label: 'Approved', color: 'blue' },
  rejected: { label: 'Rejected', color: 'red' },
  expired: { label: 'Expired', color: 'darkgrey' },
  executing: { label: 'Executing', color: 'purple' },
  succeeded: { label: 'Succeeded', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
} as const satisfies Vocabulary<ApprovalStatus>;

export const RISK_CLASS = {
  R1: { label: 'R1', color: 'green', long: 'R1 · safe, reversible' },
  R2: { label: 'R2', color: 'orange', long: 'R2 · user-affecting' },
  R3: { label: 'R3', color: 'red', long: 'R3 · platform-wide' },
} as const satisfies Vocabulary<RiskClass>;

export const HEALTH = {
  ok: { label: 'OK', color: 'green' },
  warn: { label: 'Warning', color: 'orange' },
  crit: { label: 'Critical', color: 'red' },
  unknown: { label: 'No data', color: 'darkgrey' },
} as const satisfies Vocabulary<HealthStatusLevel>;

export const REVIEW_STATUS = {
  ok: { label: 'Reviewed', color: 'green' },
  due_soon: { label: 'Review due soon', color: 'orange' },
  overdue: { label: 'Review overdue', color: 'red' },
} as const satisfies Vocabulary<ReviewStatus>;

export const SLO_ALERT_STATE = {
  ok: { label: 'OK', color: 'green', long: 'No burn alert' },
  ticket: { label: 'Ticket', color: 'orange' },
  page: { label: 'Page', color: 'red', long: 'Paging' },
  unknown: { label: 'Unknown', color: 'darkgrey', long: 'Alerts unknown' },
} as const satisfies Vocabulary<SloStatus['alert_state']>;

export const CLOCK_STATUS = {
  pending: { label: 'Pending', color: 'blue' },
  met: { label: 'Met', color: 'green' },
  breached: { label: 'Breached', color: 'red' },
} as const satisfies Vocabulary<ClockStatus>;

/** Whether a KPI meets the operating model's target (the KPI page and the Ops KPIs dashboard). */
export const KPI_TARGET_STATE = {
  met: { label: 'Met', color: 'green' },
  missed: { label: 'Missed', color: 'red' },
  no_data: { label: 'No data', color: 'darkgrey' },
} as const satisfies Vocabulary<'met' | 'missed' | 'no_data'>;

/** Every table by name: what the generated Go file and the sameness test walk. */
export const VOCABULARIES = {
  severity: SEVERITY,
  incident_status: INCIDENT_STATUS,
  approval_status: APPROVAL_STATUS,
  risk_class: RISK_CLASS,
  health: HEALTH,
  review_status: REVIEW_STATUS,
  slo_alert_state: SLO_ALERT_STATE,
  clock_status: CLOCK_STATUS,
  kpi_target_state: KPI_TARGET_STATE,
} as const;

/** The states of a table in display order. */
export const orderOf = <K extends string>(vocabulary: Vocabulary<K>) => Object.keys(vocabulary) as K[];

/** The wording a badge shows: the long form where there is one. */
export const badgeText = (term: Term) => term.long ?? term.label;
