/**
 * Pieces every SLO rule generator shares (Sloth-style page/ticket alerts in rules.ts, the error budget
 * policy's alerts in policy-alerts.ts): rule shapes, selectors, burn conditions and the budget template.
 */
import { budgetSpentWhenFiring, burnThreshold, type BurnAlertWindow, type BurnSeverity } from './burn';
import type { SloDefinition } from './spec';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Array<RecordingRule | AlertingRule>;
}

export interface PrometheusRuleFile {
  groups: RuleGroup[];
}

/** Severity label the Opsdeck intake and Alertmanager routes understand (sev mapping in the intake). */
export const SEVERITY_LABEL: Record<BurnSeverity, string> = { page: 'critical', ticket: 'warning' };

/** Annotations Opsdeck writes itself; a spec's annotation of the same name is ignored. */
export const GENERATED_ANNOTATIONS = ['summary', 'runbook_url', 'dashboard_url'] as const;

export const sloSelector = (slo: SloDefinition) => `{sloth_id="${slo.id}", sloth_service="${slo.service}", sloth_slo="${slo.name}"}`;
export const sliSeries = (window: string) => `slo:sli_error:ratio_rate${window}`;
export const ON_SLO = 'on (sloth_id, sloth_slo, sloth_service) group_left';

export const sortedRecord = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

export function burnCondition(slo: SloDefinition, alert: BurnAlertWindow): string {
  const threshold = burnThreshold(alert.factor, slo.budget);
  const selector = sloSelector(slo);
  const window = (w: string) => `max(${sliSeries(w)}${selector} >= ${threshold}) without (sloth_window)`;
  return `(\n  ${window(alert.short)}\n  and\n  ${window(alert.long)}\n)`;
}

export const percent = (ratio: number) => `${Number((ratio * 100).toPrecision(6))}%`;

export function burnDescription(alerts: BurnAlertWindow[]): string {
  return alerts
    .map((a) => `${a.factor}× over ${a.long} and ${a.short} (${percent(budgetSpentWhenFiring(a))} of the budget spent)`)
    .join(' or ');
}

/** Go template that prints the budget left, read from the recording rule when the alert is rendered. */
export function remainingBudgetTemplate(slo: SloDefinition): string {
  return `{{ with query \`slo:period_error_budget_remaining:ratio{sloth_id="${slo.id}"}\` }}{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}`;
}

/** A spec's annotations minus those Opsdeck writes itself. */
export function passThroughAnnotations(annotations: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations).filter(([name]) => !(GENERATED_ANNOTATIONS as readonly string[]).includes(name))
  );
}

