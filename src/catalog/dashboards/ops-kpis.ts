/**
 * The Ops KPIs dashboard (`opsdeck-ops-kpis`, issue 12): the operating KPIs of GET /api/v1/kpis through
 * the Opsdeck datasource's `kpis` query (one row per KPI: value, unit, target, met). `$window` (7d, 30d,
 * 90d) and `$team` (an owner team, empty for all) are the API's own filters, not the time picker: a
 * KPI window ends now. One stat per target of the operating model, then every KPI in a table.
 */
/* eslint-disable @typescript-eslint/no-deprecated -- the classic (v1) dashboard JSON is what Grafana 12.3's file provider loads; dashboardv2 needs the kubernetesDashboards feature. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';

import { appLinks } from '../../contract/links';
import { DASHBOARD_UIDS } from '../alerting/links';
import { dashboardShell, OPSDECK } from './common';
import { OpsdeckQueryBuilder } from './overview';

const kpiQuery = () => new OpsdeckQueryBuilder('kpis').kpiWindow('$window').ownerTeam('$team');

/** The operating model's targets (src/api/kpis/compute.ts TARGETS): stat colour turns red past them. */
const TARGETS = [
  { kpi: 'mttr_manual', title: 'MTTR without an action (median)', unit: 's', target: 4 * 3600 },
  { kpi: 'mttr_assisted', title: 'MTTR with an action (median)', unit: 's', target: 2 * 3600 },
  { kpi: 'false_classification_rate', title: 'False classification rate', unit: 'percentunit', target: 0.15 },
  { kpi: 'override_rate', title: 'Override rate', unit: 'percentunit', target: 0.4 },
] as const;

/** One KPI's row of the kpis frame, as a stat against its target (lower is better for all four). */
function targetStat(id: number, spec: (typeof TARGETS)[number]): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .id(id)
    .title(spec.title)
    .description(`Target ≤ ${spec.unit === 's' ? `${spec.target / 3600} h` : `${spec.target * 100} %`} (operating model).`)
    .datasource(OPSDECK)
    .withTarget(kpiQuery())
    .withTransformation({
      id: 'filterByValue',
      options: {
        type: 'include',
        match: 'any',
        filters: [{ fieldName: 'kpi', config: { id: 'equal', options: { value: spec.kpi } } }],
      },
    })
    .height(5)
    .span(6)
    .unit(spec.unit)
    .decimals(spec.unit === 's' ? 0 : 1)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).fields('/^value$/').values(false))
    .noValue('no data')
    .thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: 'green' },
        { value: spec.target, color: 'red' },
      ])
    );
}

export function opsKpisDashboard(): dashboard.Dashboard {
  const builder = dashboardShell(
    DASHBOARD_UIDS.opsKpis,
    'Opsdeck · Ops KPIs',
    'Does automation help? MTTR with and without an executed action, false classification and override rates against their targets, SLAs, change failure and automation coverage.',
    ['src/catalog/dashboards/ops-kpis.ts']
  )
    .tags(['opsdeck', 'generated', 'kpis'])
    .time({ from: 'now-30d', to: 'now' })
    .withVariable(
      new dashboard.CustomVariableBuilder('window')
        .label('KPI window')
        .values('7d,30d,90d')
        .current({ text: '30d', value: '30d', selected: true })
    )
    .withVariable(new dashboard.TextBoxVariableBuilder('team').label('Owner team').defaultValue(''));
  TARGETS.forEach((spec, index) => builder.withPanel(targetStat(index + 1, spec)));
  builder.withPanel(
    new table.PanelBuilder()
      .id(5)
      .title('Every KPI')
      .description('One row per KPI of GET /api/v1/kpis: value (in its unit), target and whether it is met; the KPI page in the app has the breakdowns.')
      .datasource(OPSDECK)
      .withTarget(kpiQuery())
      .height(10)
      .span(24)
      .links([
        new dashboard.DashboardLinkBuilder('KPI page in the app').type(dashboard.DashboardLinkType.Link).url(`${appLinks.kpis()}?window=\${window}`),
      ])
  );
  return builder.build();
}
