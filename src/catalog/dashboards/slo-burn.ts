/**
 * The SLO burn dashboard (`opsdeck-slo-burn`): one row per SLO with its SLI, objective, error budget
 * remaining, burn rate per alert window, alert state and budget policy state, all read from the
 * recording rules `opsdeck generate` writes. Panel IDs come from slo/layout.ts, which the alerts'
 * dashboard_url uses too.
 */
/* eslint-disable @typescript-eslint/no-deprecated -- the classic (v1) dashboard JSON is what Grafana 12.3's file provider loads; dashboardv2 needs the kubernetesDashboards feature. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import type { SavedQuery } from '../../contract/catalog';
import type { ErrorBudgetPolicyFile } from '../../contract/slo';
import { DASHBOARD_UIDS } from '../alerting/links';
import type { Catalog } from '../model';
import { BURN_ALERT_WINDOWS, SLO_PERIOD, tidy } from '../slo/burn';
import { sloPanelId } from '../slo/layout';
import type { SloDefinition } from '../slo/spec';
import { dashboardShell, promQuery, thresholdLines, thresholds } from './common';
import { whyDataLinks } from './data-links';

const sel = (slo: SloDefinition, extra = '') => `{sloth_id="${slo.id}"${extra}}`;

/** The saved query an SLO names, or an ad-hoc "query" over its 5m SLI series so the link still proves it. */
function sloQuery(catalog: Catalog, slo: SloDefinition): SavedQuery {
  const saved = slo.queryId ? catalog.queries.get(slo.queryId) : undefined;
  return (
    saved ?? {
      id: `slo_${slo.id.replace(/[^a-z0-9]/g, '_')}`,
      title: `${slo.service} ${slo.name} error ratio`,
      datasource: 'prometheus',
      expr: `slo:sli_error:ratio_rate5m${sel(slo)}`,
      owner_service: slo.service,
      description: slo.description,
      default_range: 'now-6h',
    }
  );
}

const valueText = (text: string, color: string, index: number) => ({ text, color, index });

function statPanel(id: number, title: string, expr: string, unit: string): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .id(id)
    .title(title)
    .unit(unit)
    .height(5)
    .span(4)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .withTarget(promQuery(expr, title, 0, true));
}

/** What every panel of one SLO's row shares: its panel IDs, its "why" links and the budget colours. */
interface SloRowParts {
  id: (panel: Parameters<typeof sloPanelId>[1]) => number;
  why: () => ReturnType<typeof whyDataLinks>;
  budgetSteps: dashboard.Threshold[];
}

function sloRow(catalog: Catalog, policy: ErrorBudgetPolicyFile, slo: SloDefinition, index: number) {
  const { critical_at: critical, depleted_at: depleted } = policy.thresholds;
  // red: critical; orange: depleted; yellow: the policy's consumed warning; green above it.
  const warnAt = tidy(1 - policy.alerts.consumed.consumed_percent / 100);
  const parts: SloRowParts = {
    id: (panel) => sloPanelId(index, panel),
    why: () =>
      whyDataLinks({
        query: sloQuery(catalog, slo),
        runbookId: slo.runbookId,
        bindings: { service: { literal: slo.service }, window: { literal: '1h' } },
      }),
    budgetSteps: [
      { value: null, color: 'red' },
      { value: critical, color: 'orange' },
      { value: depleted, color: 'yellow' },
      { value: warnAt, color: 'green' },
    ],
  };
  const panels = [...sloStatPanels(policy, slo, parts), ...sloTrendPanels(slo, parts)];
  return { row: new dashboard.RowBuilder(`${slo.service} · ${slo.name} — objective ${slo.objective}% over ${SLO_PERIOD}`).id(parts.id('row')), panels };
}

/** The row's stat panels (a declarative panel list): SLI, objective, budget left, alert and policy state. */
function sloStatPanels(policy: ErrorBudgetPolicyFile, slo: SloDefinition, { id, why, budgetSteps }: SloRowParts) {
  const objective = slo.objective / 100;
  const { critical_at: critical, depleted_at: depleted } = policy.thresholds;
  return [
    statPanel(id('sli'), `SLI (${SLO_PERIOD})`, `1 - slo:sli_error:ratio_rate${SLO_PERIOD}${sel(slo)}`, 'percentunit')
      .description(`Share of good events over the last ${SLO_PERIOD}: ${slo.description}`)
      .decimals(3)
      .thresholds(thresholds(objective, undefined, true))
      .dataLinks(why()),
    statPanel(id('objective'), 'Objective', `slo:objective:ratio${sel(slo)}`, 'percentunit').decimals(3).colorMode(common.BigValueColorMode.None),
    statPanel(id('budgetRemaining'), `Error budget remaining (${SLO_PERIOD})`, `slo:period_error_budget_remaining:ratio${sel(slo)}`, 'percentunit')
      .description('1 = untouched, 0 = spent, below 0 = overspent. Computed over the SLI samples Prometheus holds (up to 30 days).')
      .decimals(1)
      .thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(budgetSteps))
      .dataLinks(why()),
    statPanel(
      id('alertState'),
      'Alert state',
      `(max(ALERTS${sel(slo, ', alertstate="firing", sloth_severity="page"')}) * 2) or max(ALERTS${sel(slo, ', alertstate="firing", sloth_severity="ticket"')}) or vector(0)`,
      'none'
    )
      .span(6)
      .description(`${slo.alertName}: page or ticket when firing.`)
      .mappings([
        {
          type: dashboard.MappingType.ValueToText,
          options: { '0': valueText('ok', 'green', 0), '1': valueText('ticket', 'orange', 1), '2': valueText('page', 'red', 2) },
        },
      ]),
    statPanel(
      id('policyState'),
      'Budget policy state',
      `slo:error_budget_policy_state${sel(slo, ', state="depleted"')} + ignoring (state) (slo:error_budget_policy_state${sel(slo, ', state="critical"')} * 2)`,
      'none'
    )
      .span(6)
      .description(
        `catalog/error-budget-policy.yaml — remaining: ${policy.actions.remaining} depleted (≤ ${tidy(depleted * 100)}% left): ${policy.actions.depleted} critical (≤ ${tidy(critical * 100)}% left): ${policy.actions.critical}`
      )
      .mappings([
        {
          type: dashboard.MappingType.ValueToText,
          options: { '0': valueText('remaining', 'green', 0), '1': valueText('depleted', 'orange', 1), '2': valueText('critical', 'red', 2) },
        },
      ]),
  ];
}

/** The row's time series: burn rate per alert window and the budget over time. */
function sloTrendPanels(slo: SloDefinition, { id, why, budgetSteps }: SloRowParts) {
  return [
    new timeseries.PanelBuilder()
      .id(id('burnRates'))
      .title('Burn rate per alert window')
      .description(
        `Multiples of the error budget being spent. Alerts: ${BURN_ALERT_WINDOWS.map((w) => `${w.severity} ${w.factor}× over ${w.long} and ${w.short}`).join('; ')}.`
      )
      .unit('x')
      .height(8)
      .span(12)
      .fillOpacity(0)
      .thresholds(
        new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
          { value: null, color: 'green' },
          ...[...new Set(BURN_ALERT_WINDOWS.map((w) => w.factor))]
            .sort((a, b) => a - b)
            .map((factor, i) => ({ value: factor, color: ['yellow', 'orange', 'red', 'dark-red'][i] ?? 'dark-red' })),
        ])
      )
      .thresholdsStyle(thresholdLines())
      .withTarget(promQuery(`slo:burn_rate:ratio${sel(slo)}`, '{{sloth_window}}'))
      .dataLinks(why()),
    new timeseries.PanelBuilder()
      .id(id('budgetHistory'))
      .title(`Error budget remaining over time (${SLO_PERIOD} window)`)
      .unit('percentunit')
      .height(8)
      .span(12)
      .thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(budgetSteps))
      .thresholdsStyle(thresholdLines())
      .withTarget(promQuery(`slo:period_error_budget_remaining:ratio${sel(slo)}`, 'budget remaining'))
      .dataLinks(why()),
  ];
}

export function sloBurnDashboard(catalog: Catalog, slos: readonly SloDefinition[], policy: ErrorBudgetPolicyFile): dashboard.Dashboard {
  const builder = dashboardShell(
    DASHBOARD_UIDS.sloBurn,
    'Opsdeck · SLO burn',
    'Every SLO of catalog/slos/: SLI, objective, error budget, burn rates, alert and policy state.',
    ['catalog/slos/*.yaml', 'catalog/error-budget-policy.yaml']
  )
    .tags(['opsdeck', 'generated', 'slo'])
    .time({ from: 'now-7d', to: 'now' });
  slos.forEach((slo, index) => {
    const { row, panels } = sloRow(catalog, policy, slo, index);
    builder.withRow(row);
    for (const panel of panels) {
      builder.withPanel(panel);
    }
  });
  return builder.build();
}
