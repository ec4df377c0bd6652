/**
 * The Opsdeck overview dashboard (`opsdeck-overview`): panels from the Opsdeck datasource
 * (`opsdeck-ops-datasource`, uid `opsdeck`): open incidents, pending approvals, runbook review debt,
 * MTTR, the health blocks and the SLO status. The query model is the datasource's OpsQuery
 * (src/datasource/types.ts: `queryType` plus flat filters such as `status` and `review`); the
 * datasource answers data frames (one row per item, an `id` field) that the stat panels count.
 */
/* eslint-disable @typescript-eslint/no-deprecated -- the classic (v1) dashboard JSON is what Grafana 12.3's file provider loads; dashboardv2 needs the kubernetesDashboards feature. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';

import { appLinks, dashboardLink } from '../../contract/links';
import { DASHBOARD_UIDS } from '../alerting/links';
import { dashboardShell, OPSDECK } from './common';

/** The datasource's query types (src/datasource/types.ts QUERY_TYPES; the catalog room cannot import it). */
export const OPSDECK_QUERY_TYPES = ['incidents', 'runbooks', 'approvals', 'audit', 'overview_health', 'slo_status', 'kpis'] as const;
export type OpsdeckQueryType = (typeof OPSDECK_QUERY_TYPES)[number];

export interface OpsdeckQuery extends cog.Dataquery {
  refId: string;
  datasource: { type: string; uid: string };
  queryType: OpsdeckQueryType;
  /** incidents: open|resolved|…; approvals: pending|… */
  status?: string;
  /** runbooks: overdue|due_soon|ok */
  review?: string;
  /** kpis: 7d|30d|90d */
  kpiWindow?: string;
  /** kpis: one owner team */
  ownerTeam?: string;
}

/** A builder in the SDK's style for Opsdeck datasource queries (the SDK has none for our plugin). */
export class OpsdeckQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly query: OpsdeckQuery;

  constructor(queryType: OpsdeckQueryType, refId = 'A') {
    this.query = { refId, datasource: { ...OPSDECK }, queryType, _implementsDataqueryVariant: () => undefined };
  }

  status(status: string): this {
    this.query.status = status;
    return this;
  }

  review(review: string): this {
    this.query.review = review;
    return this;
  }

  kpiWindow(window: string): this {
    this.query.kpiWindow = window;
    return this;
  }

  ownerTeam(team: string): this {
    this.query.ownerTeam = team;
    return this;
  }

  build(): OpsdeckQuery {
    return this.query;
  }
}

const link = (title: string, url: string) => new dashboard.DashboardLinkBuilder(title).type(dashboard.DashboardLinkType.Link).url(url);

function countStat(id: number, title: string, query: OpsdeckQueryBuilder, description: string, warnAt: number, critAt: number) {
  return new stat.PanelBuilder()
    .id(id)
    .title(title)
    .description(description)
    .datasource(OPSDECK)
    .withTarget(query)
    .height(5)
    .span(6)
    .unit('short')
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['count']).fields('/^id$/').values(false))
    .noValue('0')
    .thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: 'green' },
        { value: warnAt, color: 'orange' },
        { value: critAt, color: 'red' },
      ])
    );
}

export function overviewDashboard(): dashboard.Dashboard {
  const builder = dashboardShell(
    DASHBOARD_UIDS.overview,
    'Opsdeck · Overview',
    'What needs a human now: open incidents, approvals waiting, runbooks past review, MTTR, health and SLOs.',
    ['src/catalog/dashboards/overview.ts']
  )
    .tags(['opsdeck', 'generated', 'overview'])
    .time({ from: 'now-7d', to: 'now' });
  builder
    .withPanel(
      countStat(1, 'Open incidents', new OpsdeckQueryBuilder('incidents').status('open'), 'Incidents not resolved or closed.', 1, 3).dataLinks([
        link('Open the ops page', appLinks.ops()),
      ])
    )
    .withPanel(
      countStat(2, 'Pending approvals', new OpsdeckQueryBuilder('approvals').status('pending'), 'Remediation actions waiting for an approver.', 1, 5).dataLinks([
        link('Open approvals', appLinks.approvals()),
      ])
    )
    .withPanel(
      countStat(
        3,
        'Runbook review debt',
        new OpsdeckQueryBuilder('runbooks').review('overdue'),
        'Runbooks whose last review is older than 90 days (the linter fails CI on them).',
        1,
        5
      ).dataLinks([link('Open runbooks', appLinks.runbooks())])
    )
    .withPanel(
      new stat.PanelBuilder()
        .id(4)
        .title('MTTR (resolved incidents)')
        .description('Mean time from detection to resolution of the incidents resolved in the time range (the `mttr` field of the incidents frame).')
        .datasource(OPSDECK)
        .withTarget(new OpsdeckQueryBuilder('incidents').status('resolved'))
        .height(5)
        .span(6)
        .unit('s')
        .colorMode(common.BigValueColorMode.None)
        .graphMode(common.BigValueGraphMode.None)
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['mean']).fields('/^mttr$/').values(false))
    )
    .withPanel(
      new table.PanelBuilder()
        .id(5)
        .title('Health blocks')
        .description('Golden and domain signals with their status and investigation path (the ops page health summary).')
        .datasource(OPSDECK)
        .withTarget(new OpsdeckQueryBuilder('overview_health'))
        .height(10)
        .span(12)
        .dataLinks([link('Golden signals dashboard', dashboardLink(DASHBOARD_UIDS.goldenSignals)), link('Domain signals dashboard', dashboardLink(DASHBOARD_UIDS.domainSignals))])
    )
    .withPanel(
      new table.PanelBuilder()
        .id(6)
        .title('SLO status')
        .description('Every SLO with its error budget remaining, burn rates, alert state and policy state (GET /api/v1/slos/status).')
        .datasource(OPSDECK)
        .withTarget(new OpsdeckQueryBuilder('slo_status'))
        .height(10)
        .span(12)
        .dataLinks([link('SLO burn dashboard', dashboardLink(DASHBOARD_UIDS.sloBurn))])
    );
  return builder.build();
}
