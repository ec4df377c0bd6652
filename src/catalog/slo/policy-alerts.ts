/**
 * The error budget policy's own alerts (catalog/error-budget-policy.yaml `alerts`), per SLO, beside
 * Sloth's page/ticket alerts (which teams rely on and which stay as they are):
 * - fast burn: P% of the 30-day budget within W (2% in 1h → 14.4× over 1h and its 5m short window);
 * - slow burn: P% within W (5% in 1d → 1.5× over 1d and 2h);
 * - consumed: budget left ≤ 1 − consumed% (80% consumed → ≤ 20% left);
 * - depleted: budget left ≤ thresholds.depleted_at (the SLO is violated).
 * Each carries the SLO's alert labels (so it joins the SLO's incident like Sloth's alerts), an
 * `opsdeck_budget_alert` label naming which policy alert it is, and the runbook, dashboard and a summary
 * stating the budget left.
 */
import type { ErrorBudgetPolicyFile, PolicyAlertKind } from '../../contract/slo';
import { DASHBOARD_UIDS, panelUrl, runbookUrl } from '../alerting/links';
import { policyBurnWindow, SLO_PERIOD, tidy, type BurnSeverity } from './burn';
import { sloPanelId, type SloPanel } from './layout';
import {
  burnCondition,
  passThroughAnnotations,
  percent,
  remainingBudgetTemplate,
  sloSelector,
  sortedRecord,
  type AlertingRule,
} from './rule-parts';
import type { SloDefinition } from './spec';

/** The label that tells Opsdeck (status API, SLO page) which policy alert fired. */
export const POLICY_ALERT_LABEL = 'opsdeck_budget_alert';

interface PolicyAlertDraft {
  kind: PolicyAlertKind;
  name: string;
  severity: 'critical' | 'warning';
  expr: string;
  panel: SloPanel;
  /** What happened, for the summary (before "error budget remaining"). */
  what: string;
  description: string;
}

// Burn alerts also carry Sloth's `sloth_severity` (page for critical, ticket for warning) so that every
// consumer of burn alerts (alert_state, the in-memory SLO status) counts them as the burns they are.
const SLOTH_SEVERITY: Record<'critical' | 'warning', BurnSeverity> = { critical: 'page', warning: 'ticket' };

function burnDraft(slo: SloDefinition, kind: 'fast_burn' | 'slow_burn', policy: ErrorBudgetPolicyFile): PolicyAlertDraft {
  const config = policy.alerts[kind];
  const window = policyBurnWindow(config, SLOTH_SEVERITY[config.severity]);
  const speed = kind === 'fast_burn' ? 'Fast' : 'Slow';
  return {
    kind,
    name: config.alert,
    severity: config.severity,
    expr: burnCondition(slo, window),
    panel: 'burnRates',
    what: `${speed} burn: ${config.budget_spent_percent}% of the ${SLO_PERIOD} error budget spent within ${config.window}`,
    description:
      `Error budget policy (${kind}): ${config.budget_spent_percent}% of the ${SLO_PERIOD} budget within ${config.window} = ` +
      `${window.factor}× the budget rate over ${window.long}, confirmed over ${window.short} (error ratio ≥ ${tidy(window.factor * slo.budget)}).`,
  };
}

function budgetDrafts(slo: SloDefinition, policy: ErrorBudgetPolicyFile): PolicyAlertDraft[] {
  const remaining = `slo:period_error_budget_remaining:ratio${sloSelector(slo)}`;
  const { consumed, depleted } = policy.alerts;
  const leftAt = tidy(1 - consumed.consumed_percent / 100);
  return [
    {
      kind: 'consumed',
      name: consumed.alert,
      severity: consumed.severity,
      expr: `${remaining} <= ${leftAt}`,
      panel: 'budgetRemaining',
      what: `${consumed.consumed_percent}% or more of the ${SLO_PERIOD} error budget consumed`,
      description: `Error budget policy (consumed): budget depletion warning once ${consumed.consumed_percent}% is consumed (${percent(leftAt)} or less left). ${policy.actions.remaining}`,
    },
    {
      kind: 'depleted',
      name: depleted.alert,
      severity: depleted.severity,
      expr: `${remaining} <= ${policy.thresholds.depleted_at}`,
      panel: 'budgetRemaining',
      what: `SLO violated: the ${SLO_PERIOD} error budget is depleted`,
      description: `Error budget policy (depleted): ${policy.actions.depleted}`,
    },
  ];
}

function toRule(slo: SloDefinition, index: number, draft: PolicyAlertDraft): AlertingRule {
  const burn = draft.kind === 'fast_burn' || draft.kind === 'slow_burn';
  return {
    alert: draft.name,
    expr: draft.expr,
    labels: sortedRecord({
      ...slo.alertLabels,
      severity: draft.severity,
      [POLICY_ALERT_LABEL]: draft.kind,
      ...(burn ? { sloth_severity: SLOTH_SEVERITY[draft.severity] } : {}),
    }),
    annotations: sortedRecord({
      ...passThroughAnnotations(slo.alertAnnotations),
      description: `${slo.service} ${slo.name} (objective ${slo.objective}% over ${SLO_PERIOD}). ${draft.description}`,
      runbook_id: slo.runbookId,
      runbook_url: runbookUrl(slo.runbookId),
      dashboard_url: panelUrl(DASHBOARD_UIDS.sloBurn, sloPanelId(index, draft.panel)),
      summary: `${slo.service} ${slo.name}: ${draft.what}; error budget remaining (${SLO_PERIOD}): ${remainingBudgetTemplate(slo)}.`,
    }),
  };
}

/** The policy's four alerts for one SLO; `index` is its position among all SLOs (dashboard panel IDs). */
export function policyAlertRules(slo: SloDefinition, index: number, policy: ErrorBudgetPolicyFile): AlertingRule[] {
  const drafts = [burnDraft(slo, 'fast_burn', policy), burnDraft(slo, 'slow_burn', policy), ...budgetDrafts(slo, policy)];
  return drafts.map((draft) => toRule(slo, index, draft));
}
