/**
 * The Golden Signals dashboard (`opsdeck-golden-signals`, panels 1–7 per GOLDEN_PANELS) and the Domain
 * signals dashboard (`opsdeck-domain-signals`: one panel per catalog signal at the signal's
 * dashboard.panel_id, one row per signal group at group order × 100). The overview's health blocks,
 * the symptom table and the Grafana alert rules link to these IDs.
 */
/* eslint-disable @typescript-eslint/no-deprecated -- the classic (v1) dashboard JSON is what Grafana 12.3's file provider loads; dashboardv2 needs the kubernetesDashboards feature. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import type { Signal } from '../../contract/catalog';
import { DASHBOARD_UIDS } from '../alerting/links';
import type { Catalog } from '../model';
import { dashboardShell, environmentVariable, hostRoleVariable, promQuery, serviceVariable, thresholdLines, thresholds } from './common';
import { whyDataLinks, type VariableBindings } from './data-links';
import { GOLDEN_PANELS } from './golden-signals';

/** Grafana unit IDs for the catalog's units. */
function grafanaUnit(unit: string): string {
  switch (unit) {
    case 'ratio':
      return 'percentunit';
    case 'seconds':
      return 's';
    default:
      return 'short';
  }
}

function firstRunbook(catalog: Catalog, signalKey: string): string {
  const runbookId = catalog.runbooksBySignal.get(signalKey)?.[0];
  if (!runbookId) {
    throw new Error(`signal ${signalKey} has no runbook: its panel could not link one`);
  }
  return runbookId;
}

function savedQuery(catalog: Catalog, queryId: string) {
  const query = catalog.queries.get(queryId);
  if (!query) {
    throw new Error(`saved query ${queryId} is not in queries.catalog.json`);
  }
  return query;
}

const legendList = () =>
  new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).showLegend(true);

export function goldenSignalsDashboard(catalog: Catalog): dashboard.Dashboard {
  const bindings: VariableBindings = {
    service: { dashboardVariable: 'service' },
    host_role: { dashboardVariable: 'host_role' },
    window: { literal: '5m' },
  };
  const builder = dashboardShell(
    DASHBOARD_UIDS.goldenSignals,
    'Opsdeck · Golden signals',
    'Latency, traffic, errors and saturation of one service.',
    ['src/catalog/dashboards/golden-signals.ts', 'catalog/queries.catalog.json', 'catalog/runbooks.catalog.json']
  )
    .tags(['opsdeck', 'generated', 'golden-signals'])
    .withVariable(serviceVariable('http_requests_total'))
    .withVariable(environmentVariable('http_requests_total{service="$service"}'))
    .withVariable(hostRoleVariable('http_requests_total{service="$service", env=~"$environment"}'));
  for (const panel of GOLDEN_PANELS) {
    const alert = panel.alert;
    let built = new timeseries.PanelBuilder()
      .id(panel.id)
      .title(panel.title)
      .description(panel.description)
      .unit(panel.unit)
      .height(8)
      .span(panel.id === 1 ? 12 : panel.id <= 3 ? 6 : 6)
      .legend(legendList())
      .fillOpacity(10)
      .targets(panel.targets.map((target, index) => promQuery(target.expr, target.legend, index)));
    if (alert) {
      built = built.thresholds(thresholds(alert.threshold, undefined)).thresholdsStyle(thresholdLines());
    }
    if (panel.why) {
      built = built.dataLinks(
        whyDataLinks({ query: savedQuery(catalog, panel.why.queryId), runbookId: firstRunbook(catalog, panel.why.signalKey), bindings })
      );
    }
    builder.withPanel(built);
  }
  return builder.build();
}

function signalPanel(catalog: Catalog, signal: Signal): timeseries.PanelBuilder {
  const lowerIsBad = signal.comparison === '<' || signal.comparison === '<=';
  const bindings: VariableBindings = {
    service: { literal: signal.owner_service },
    host_role: { dashboardVariable: 'host_role' },
    correlation_id: { dashboardVariable: 'correlation_id' },
    window: { literal: '15m' },
  };
  return new timeseries.PanelBuilder()
    .id(signal.dashboard.panel_id)
    .title(signal.title)
    .description(`${signal.description} Alerts when ${signal.comparison} ${signal.threshold} (${signal.unit}); signal \`${signal.key}\`, owner ${signal.owner_service}.`)
    .unit(grafanaUnit(signal.unit))
    .height(7)
    .span(8)
    .legend(legendList())
    .fillOpacity(10)
    .thresholds(thresholds(signal.threshold, signal.warn_threshold, lowerIsBad))
    .thresholdsStyle(thresholdLines())
    .withTarget(promQuery(signal.expr, signal.title))
    .dataLinks(whyDataLinks({ query: savedQuery(catalog, signal.query_id), runbookId: firstRunbook(catalog, signal.key), bindings }));
}

export function domainSignalsDashboard(catalog: Catalog): dashboard.Dashboard {
  const builder = dashboardShell(
    DASHBOARD_UIDS.domainSignals,
    'Opsdeck · Domain signals',
    'Every signal of the runbook catalog at its threshold, grouped as on the ops page.',
    ['catalog/runbooks.catalog.json', 'catalog/queries.catalog.json']
  )
    .tags(['opsdeck', 'generated', 'domain-signals'])
    .withVariable(hostRoleVariable('up'))
    .withVariable(
      new dashboard.TextBoxVariableBuilder('correlation_id')
        .label('Correlation ID (for saved queries that need one)')
        .defaultValue('')
    );
  const signals = [...catalog.signals.values()];
  for (const group of catalog.signalGroups) {
    const inGroup = signals.filter((signal) => signal.group === group.key).sort((a, b) => a.dashboard.panel_id - b.dashboard.panel_id);
    if (inGroup.length === 0) {
      continue;
    }
    builder.withRow(new dashboard.RowBuilder(group.title).id(group.order * 100));
    for (const signal of inGroup.filter((s) => s.dashboard.uid === DASHBOARD_UIDS.domainSignals)) {
      builder.withPanel(signalPanel(catalog, signal));
    }
  }
  return builder.build();
}
