/**
 * Pieces every generated dashboard shares: the Prometheus query builder, thresholds, the standard
 * variables (service, environment, host role) and the dashboard shell that says it is generated.
 */
/* eslint-disable @typescript-eslint/no-deprecated -- the classic (v1) dashboard JSON is what Grafana 12.3's file provider loads; dashboardv2 needs the kubernetesDashboards feature. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';

import { appLinks } from '../../contract/links';
import { DASHBOARD_UIDS, DATASOURCES } from '../alerting/links';
import { GENERATED_BY } from '../generate/output';

export const PROMETHEUS = { ...DATASOURCES.prometheus };
export const OPSDECK = { ...DATASOURCES.opsdeck };

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function promQuery(expr: string, legend: string, index = 0, instant = false): prometheus.DataqueryBuilder {
  const query = new prometheus.DataqueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legend).refId(REF_IDS[index]);
  return instant ? query.instant() : query.range();
}

/** Green below `warn`, orange from `warn`, red from `crit` (for "lower is bad" signals the reverse). */
export function thresholds(crit: number, warn: number | undefined, lowerIsBad = false): dashboard.ThresholdsConfigBuilder {
  const steps: dashboard.Threshold[] = lowerIsBad
    ? [
        { value: null, color: 'red' },
        ...(warn !== undefined ? [{ value: crit, color: 'orange' }, { value: warn, color: 'green' }] : [{ value: crit, color: 'green' }]),
      ]
    : [
        { value: null, color: 'green' },
        ...(warn !== undefined ? [{ value: warn, color: 'orange' }] : []),
        { value: crit, color: 'red' },
      ];
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

const thresholdLines = () => new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line);
export { thresholdLines };

export function serviceVariable(metric: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder('service')
    .label('Service')
    .datasource(PROMETHEUS)
    .query(`label_values(${metric}, service)`)
    .definition(`label_values(${metric}, service)`)
    .current({ text: 'api-gateway', value: 'api-gateway', selected: true })
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

function allVariable(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query(query)
    .definition(query)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: ['All'], value: ['$__all'], selected: true })
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

export const environmentVariable = (scope: string) => allVariable('environment', 'Environment', `label_values(${scope}, env)`);
export const hostRoleVariable = (scope: string) => allVariable('host_role', 'Host role', `label_values(${scope}, host_role)`);

/** Links in the dashboard header: the other Opsdeck dashboards and the app. */
function headerLinks(): dashboard.DashboardLinkBuilder[] {
  return [
    new dashboard.DashboardLinkBuilder('Opsdeck dashboards')
      .type(dashboard.DashboardLinkType.Dashboards)
      .tags(['opsdeck'])
      .asDropdown(true)
      .includeVars(true)
      .keepTime(true),
    new dashboard.DashboardLinkBuilder('Opsdeck app').type(dashboard.DashboardLinkType.Link).url(appLinks.ops()).icon('apps'),
  ];
}

export function dashboardShell(uid: (typeof DASHBOARD_UIDS)[keyof typeof DASHBOARD_UIDS], title: string, what: string, sources: string[]) {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(`${what} ${GENERATED_BY} from ${sources.join(', ')}; edit those and regenerate instead of editing here.`)
    .tags(['opsdeck', 'generated'])
    .readonly()
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .links(headerLinks());
}
