/**
 * The links generated alerts and dashboards carry, all built by the contract's links (src/contract/links.ts)
 * so the app, the datasource, the API and the catalog agree. Relative to Grafana (the app is served under it),
 * so one set of files works behind any Grafana URL; Grafana, Alertmanager receivers and the Opsdeck API
 * prefix OPSDECK_GRAFANA_URL when they need an absolute link.
 */
import { appLinks, DATASOURCE_PLUGIN_ID, panelLink } from '../../contract/links';

/** The app's runbook page: what every `runbook_url` annotation points at. */
export const runbookUrl = (runbookId: string) => appLinks.runbook(runbookId);

/** One panel of a dashboard: what every `dashboard_url` annotation points at. */
export const panelUrl = panelLink;

/** Dashboard UIDs other parts of Opsdeck link to; never change them. */
export const DASHBOARD_UIDS = {
  goldenSignals: 'opsdeck-golden-signals',
  domainSignals: 'opsdeck-domain-signals',
  sloBurn: 'opsdeck-slo-burn',
  overview: 'opsdeck-overview',
  opsKpis: 'opsdeck-ops-kpis',
} as const;

/** Datasource UIDs of provisioning/datasources/datasources.yaml. */
export const DATASOURCES = {
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  loki: { type: 'loki', uid: 'loki' },
  tempo: { type: 'tempo', uid: 'tempo' },
  opsdeck: { type: DATASOURCE_PLUGIN_ID, uid: 'opsdeck' },
} as const;
