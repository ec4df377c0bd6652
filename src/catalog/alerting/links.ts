/**
 * The links generated alerts and dashboards carry. Relative to Grafana (the app is served under it),
 * so one set of files works behind any Grafana URL; Grafana, Alertmanager receivers and the Opsdeck API
 * prefix OPSDECK_GRAFANA_URL when they need an absolute link.
 */
export const APP_PLUGIN_ID = 'opsdeck-ops-app';

/** The app's runbook page: what every `runbook_url` annotation points at. */
export const runbookUrl = (runbookId: string) => `/a/${APP_PLUGIN_ID}/runbooks/${encodeURIComponent(runbookId)}`;

/** One panel of a dashboard (`/d/<uid>?viewPanel=<id>`, the form the overview's investigation paths use). */
export const panelUrl = (dashboardUid: string, panelId: number) => `/d/${encodeURIComponent(dashboardUid)}?viewPanel=${panelId}`;

export const dashboardUrl = (dashboardUid: string) => `/d/${encodeURIComponent(dashboardUid)}`;

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
  opsdeck: { type: 'opsdeck-ops-datasource', uid: 'opsdeck' },
} as const;
