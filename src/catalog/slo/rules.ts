/**
 * SLO definitions → Prometheus rule groups. Series names and `sloth_*` labels follow Sloth's, so
 * dashboards and queries written for Sloth keep working; Opsdeck adds per-window burn rates, the
 * error budget policy state, and alerts that carry their runbook, dashboard and remaining budget.
 *
 * Per SLO:
 * - `slo:sli_error:ratio_rate<w>` for every window an alert reads (5m … 3d), from the spec's queries;
 * - `slo:sli_error:ratio_rate30d`, the period's ratio: the mean of the 5m ratios over 30 days;
 * - `slo:objective:ratio`, `slo:error_budget:ratio`, `slo:time_period:days`;
 * - `slo:burn_rate:ratio{sloth_window=<w>}`, `slo:current_burn_rate:ratio` (5m), `slo:period_burn_rate:ratio`;
 * - `slo:period_error_budget_remaining:ratio` (1 = untouched, <0 = overspent);
 * - `slo:error_budget_policy_state{state=remaining|depleted|critical}`: 1 for the current state, 0 otherwise;
 * - the page and ticket alerts (multiwindow, multi-burn-rate; see burn.ts);
 * - the error budget policy's own alerts (policy-alerts.ts): fast burn, slow burn, budget consumed, depleted.
 */
import type { ErrorBudgetPolicyFile } from '../../contract/slo';
import { DASHBOARD_UIDS, panelUrl, runbookUrl } from '../alerting/links';
import { BURN_ALERT_WINDOWS, SLI_WINDOWS, SLO_PERIOD, tidy, type BurnSeverity } from './burn';
import { sloPanelId } from './layout';
import { policyAlertRules } from './policy-alerts';
import { assertPromql } from './promql';
import {
  burnCondition,
  burnDescription,
  GENERATED_ANNOTATIONS,
  ON_SLO,
  passThroughAnnotations,
  remainingBudgetTemplate,
  SEVERITY_LABEL,
  sliSeries,
  sloSelector,
  sortedRecord,
  type AlertingRule,
  type PrometheusRuleFile,
  type RecordingRule,
  type RuleGroup,
} from './rule-parts';
import { withWindow, type SloDefinition } from './spec';

export { GENERATED_ANNOTATIONS, SEVERITY_LABEL };
export type { AlertingRule, PrometheusRuleFile, RecordingRule, RuleGroup };

function sloLabels(slo: SloDefinition, extra: Record<string, string> = {}) {
  return sortedRecord({ ...slo.labels, sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slo.name, ...extra });
}

function sliExpr(slo: SloDefinition, window: string): string {
  if (slo.sli.kind === 'raw') {
    return `(${withWindow(slo.sli.errorRatioQuery, window).trim()})`;
  }
  // A window without traffic records nothing instead of NaN (0/0), so one idle window cannot turn the
  // 30-day mean into NaN for a month.
  return `(${withWindow(slo.sli.errorQuery, window).trim()})\n/\n((${withWindow(slo.sli.totalQuery, window).trim()}) > 0)`;
}

function recordings(slo: SloDefinition, policy: ErrorBudgetPolicyFile): RecordingRule[] {
  const selector = sloSelector(slo);
  const sli: RecordingRule[] = SLI_WINDOWS.map((window) => ({
    record: sliSeries(window),
    expr: sliExpr(slo, window),
    labels: sloLabels(slo, { sloth_window: window }),
  }));
  const remaining = `slo:period_error_budget_remaining:ratio${selector}`;
  const { critical_at: critical, depleted_at: depleted } = policy.thresholds;
  return [
    ...sli,
    {
      record: sliSeries(SLO_PERIOD),
      expr: `sum_over_time(${sliSeries('5m')}${selector}[${SLO_PERIOD}])\n/ ignoring (sloth_window)\ncount_over_time(${sliSeries('5m')}${selector}[${SLO_PERIOD}])`,
      labels: sloLabels(slo, { sloth_window: SLO_PERIOD }),
    },
    { record: 'slo:objective:ratio', expr: `vector(${tidy(slo.objective / 100)})`, labels: sloLabels(slo) },
    { record: 'slo:error_budget:ratio', expr: `vector(${slo.budget})`, labels: sloLabels(slo) },
    { record: 'slo:time_period:days', expr: `vector(${policy.period_days})`, labels: sloLabels(slo) },
    ...SLI_WINDOWS.map((window) => ({
      record: 'slo:burn_rate:ratio',
      expr: `${sliSeries(window)}${selector}\n/ ${ON_SLO}\nslo:error_budget:ratio${selector}`,
      labels: sloLabels(slo, { sloth_window: window }),
    })),
    {
      record: 'slo:current_burn_rate:ratio',
      expr: `${sliSeries('5m')}${selector}\n/ ${ON_SLO}\nslo:error_budget:ratio${selector}`,
      labels: sloLabels(slo),
    },
    {
      record: 'slo:period_burn_rate:ratio',
      expr: `${sliSeries(SLO_PERIOD)}${selector}\n/ ${ON_SLO}\nslo:error_budget:ratio${selector}`,
      labels: sloLabels(slo),
    },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${selector}`, labels: sloLabels(slo) },
    { record: 'slo:error_budget_policy_state', expr: `${remaining} > bool ${depleted}`, labels: sloLabels(slo, { state: 'remaining' }) },
    {
      record: 'slo:error_budget_policy_state',
      expr: `(${remaining} <= bool ${depleted})\n*\n(${remaining} > bool ${critical})`,
      labels: sloLabels(slo, { state: 'depleted' }),
    },
    { record: 'slo:error_budget_policy_state', expr: `${remaining} <= bool ${critical}`, labels: sloLabels(slo, { state: 'critical' }) },
  ];
}

function alertingRule(slo: SloDefinition, index: number, severity: BurnSeverity): AlertingRule | null {
  const override = severity === 'page' ? slo.page : slo.ticket;
  if (override.disable) {
    return null;
  }
  const windows = BURN_ALERT_WINDOWS.filter((alert) => alert.severity === severity);
  const expr = windows.map((alert) => burnCondition(slo, alert)).join('\nor\n');
  const passThrough = passThroughAnnotations({ ...slo.alertAnnotations, ...override.annotations });
  const rate = severity === 'page' ? 'fast enough to page' : 'steadily enough to need a ticket';
  return {
    alert: slo.alertName,
    expr,
    labels: sortedRecord({
      severity: SEVERITY_LABEL[severity],
      ...slo.alertLabels,
      ...override.labels,
      sloth_severity: severity,
    }),
    annotations: sortedRecord({
      description:
        `${slo.description ? `${slo.description.trim()} ` : ''}` +
        `${slo.service} ${slo.name} (objective ${slo.objective}% over ${SLO_PERIOD}) fires at ${severity} level when the error ratio burns ` +
        `${burnDescription(windows)}.`,
      ...passThrough,
      runbook_id: slo.runbookId,
      runbook_url: runbookUrl(slo.runbookId),
      dashboard_url: panelUrl(DASHBOARD_UIDS.sloBurn, sloPanelId(index, 'burnRates')),
      summary:
        `${slo.service} ${slo.name} SLO is burning its error budget ${rate}; ` +
        `error budget remaining (${SLO_PERIOD}): ${remainingBudgetTemplate(slo)}.`,
    }),
  };
}

/** The rule groups of one SLO; `index` is its position among all SLOs (dashboard panel IDs). */
export function sloRuleGroups(slo: SloDefinition, index: number, policy: ErrorBudgetPolicyFile): RuleGroup[] {
  const recordingRules = recordings(slo, policy);
  const alerts = (['page', 'ticket'] as const).map((severity) => alertingRule(slo, index, severity)).filter((rule) => rule !== null);
  const policyAlerts = policyAlertRules(slo, index, policy);
  for (const rule of [...recordingRules, ...alerts, ...policyAlerts]) {
    assertPromql(`${slo.file} ${'record' in rule ? rule.record : rule.alert}`, rule.expr);
  }
  const groups: RuleGroup[] = [{ name: `opsdeck-slo-recordings-${slo.id}`, rules: recordingRules }];
  if (alerts.length > 0) {
    groups.push({ name: `opsdeck-slo-alerts-${slo.id}`, rules: alerts });
  }
  // A group of its own: Sloth's alerts stay exactly as teams know them, and the policy's can be read apart.
  groups.push({ name: `opsdeck-slo-policy-alerts-${slo.id}`, rules: policyAlerts });
  return groups;
}

/** One rule file per spec file: the groups of every SLO that file defines. */
export function sloRuleFiles(
  slos: readonly SloDefinition[],
  policy: ErrorBudgetPolicyFile
): Array<{ specFile: string; file: PrometheusRuleFile }> {
  const byFile = new Map<string, RuleGroup[]>();
  slos.forEach((slo, index) => {
    byFile.set(slo.file, [...(byFile.get(slo.file) ?? []), ...sloRuleGroups(slo, index, policy)]);
  });
  return [...byFile.entries()].map(([specFile, groups]) => ({ specFile, file: { groups } }));
}
