/**
 * Data links of "why" panels: the saved query in Explore and the runbook page. The Explore link is the
 * one the API builds (src/catalog/explore.ts), with the saved query's variables bound to dashboard
 * variables: Grafana fills `${name:percentencode}` and `${__from}`/`${__to}` when the link is clicked,
 * so the query runs for the service and the time range on screen.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import type { QueryVariable, SavedQuery } from '../../contract/catalog';
import { DATASOURCES, runbookUrl } from '../alerting/links';
import { exploreUrl, substituteVariables, variablesOf } from '../explore';

/** A saved-query variable bound to a literal value or to a dashboard variable. */
export type VariableBinding = { literal: string } | { dashboardVariable: string };
export type VariableBindings = Partial<Record<QueryVariable, VariableBinding>>;

const DATASOURCE_UIDS = { loki: DATASOURCES.loki.uid, tempo: DATASOURCES.tempo.uid, prometheus: DATASOURCES.prometheus.uid };

// Letters only: they survive the URL encoding of the panes JSON unchanged, so they can be found again.
const sentinel = (name: string) => `OPSDECKVAR${name.replace(/[^A-Za-z]/g, '').toUpperCase()}END`;
const FROM = sentinel('rangefrom');
const TO = sentinel('rangeto');

export class UnboundVariableError extends Error {}

/** The Explore URL of a saved query whose variables Grafana fills from the dashboard when clicked. */
export function exploreDataLinkUrl(query: SavedQuery, bindings: VariableBindings): string {
  const values: Partial<Record<QueryVariable, string>> = {};
  const tokens = new Map<string, string>();
  for (const name of variablesOf(query.expr)) {
    const binding = bindings[name];
    if (!binding) {
      throw new UnboundVariableError(`saved query ${query.id} uses $${name}, which this dashboard does not bind`);
    }
    if ('literal' in binding) {
      values[name] = binding.literal;
    } else {
      values[name] = sentinel(name);
      tokens.set(sentinel(name), `\${${binding.dashboardVariable}:percentencode}`);
    }
  }
  const { expr } = substituteVariables(query.expr, values);
  let url = exploreUrl(query.datasource, expr, { datasourceUids: DATASOURCE_UIDS, from: FROM, to: TO });
  for (const [token, replacement] of [...tokens, [FROM, '${__from}'], [TO, '${__to}']]) {
    url = url.split(token).join(replacement);
  }
  return url;
}

export interface WhyLinks {
  query: SavedQuery;
  runbookId: string;
  bindings: VariableBindings;
}

/** The two data links every "why" panel carries. */
export function whyDataLinks(why: WhyLinks): dashboard.DashboardLinkBuilder[] {
  return [
    new dashboard.DashboardLinkBuilder(`Explore: ${why.query.title} (saved query ${why.query.id})`)
      .type(dashboard.DashboardLinkType.Link)
      .url(exploreDataLinkUrl(why.query, why.bindings))
      .targetBlank(false),
    new dashboard.DashboardLinkBuilder(`Runbook ${why.runbookId}`)
      .type(dashboard.DashboardLinkType.Link)
      .url(runbookUrl(why.runbookId))
      .targetBlank(false),
  ];
}
