/**
 * Grafana alerting provisioning generated from the catalog: one alert rule per catalog signal (its
 * expr, comparison and threshold), one per golden signal, the webhook contact point to the Opsdeck
 * API's Grafana intake, the notification policy tree and the notification template. Every rule carries
 * runbook_id, runbook_url, signal_key, severity and owner, and links its dashboard panel.
 */
import { createHash } from 'node:crypto';

import type { Signal } from '../../contract/catalog';
import { GOLDEN_PANELS, type GoldenAlert, type GoldenPanel } from '../dashboards/golden-signals';
import type { Catalog } from '../model';
import { assertPromql } from '../slo/promql';
import { GRAFANA_HEARTBEAT, HEARTBEAT_LABELS, HEARTBEAT_REPEAT_INTERVAL } from './heartbeat';
import { DASHBOARD_UIDS, DATASOURCES, panelUrl, runbookUrl } from './links';
import {
  EXPRESSION_DATASOURCE_UID,
  GrafanaAlertingFile,
  type GrafanaAlertRule,
  type GrafanaContactPoint,
  type GrafanaPolicy,
  type GrafanaRuleGroup,
  type GrafanaTemplate,
} from './schema';

export const ALERT_FOLDER = 'Opsdeck';
export const ORG_ID = 1;
export const CONTACT_POINT = 'opsdeck-api';
/** The API's Grafana intake inside the compose network; Grafana reads the token from its environment. */
export const GRAFANA_INTAKE_URL = 'http://opsdeck-api:8787/api/v1/alerts/grafana';
export const WEBHOOK_TOKEN_REFERENCE = '$OPSDECK_WEBHOOK_TOKEN';
export const TEMPLATE_NAME = 'opsdeck';

/** Grafana rule UIDs are at most 40 characters: long keys keep a readable prefix and a hash. */
export function ruleUid(key: string): string {
  const uid = key.replace(/[^A-Za-z0-9_-]/g, '-');
  if (uid.length <= 40) {
    return uid;
  }
  return `${uid.slice(0, 31)}-${createHash('sha1').update(key).digest('hex').slice(0, 8)}`;
}

const sorted = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/** How a value of this unit reads in a summary (Grafana's template functions). */
function humanized(unit: string): string {
  if (unit === 'ratio') {
    return '{{ humanizePercentage $values.A.Value }}';
  }
  if (unit === 'seconds') {
    return '{{ humanizeDuration $values.A.Value }}';
  }
  return `{{ humanize $values.A.Value }} ${unit}`;
}

interface RuleSpec {
  key: string;
  title: string;
  expr: string;
  comparison: Signal['comparison'];
  threshold: number;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A: the PromQL (instant); B: the comparison — a threshold for > and <, a math expression for >= and <=. */
function ruleData(spec: RuleSpec): GrafanaAlertRule['data'] {
  const query = {
    refId: 'A',
    relativeTimeRange: { from: 600, to: 0 },
    datasourceUid: DATASOURCES.prometheus.uid,
    model: {
      refId: 'A',
      datasource: { ...DATASOURCES.prometheus },
      expr: assertPromql(`alert rule ${spec.key}`, spec.expr),
      instant: true,
      range: false,
      intervalMs: 1000,
      maxDataPoints: 43200,
    },
  };
  const expressionDatasource = { type: EXPRESSION_DATASOURCE_UID, uid: EXPRESSION_DATASOURCE_UID };
  const strict = spec.comparison === '>' || spec.comparison === '<';
  const condition = strict
    ? {
        refId: 'B',
        type: 'threshold',
        datasource: expressionDatasource,
        expression: 'A',
        conditions: [{ evaluator: { type: spec.comparison === '>' ? 'gt' : 'lt', params: [spec.threshold] } }],
      }
    : { refId: 'B', type: 'math', datasource: expressionDatasource, expression: `$A ${spec.comparison} ${spec.threshold}` };
  return [query, { refId: 'B', datasourceUid: EXPRESSION_DATASOURCE_UID, model: condition }];
}

function rule(spec: RuleSpec): GrafanaAlertRule {
  return {
    uid: ruleUid(spec.key),
    title: spec.title,
    condition: 'B',
    data: ruleData(spec),
    noDataState: 'OK',
    execErrState: 'Error',
    for: spec.for,
    labels: sorted(spec.labels),
    annotations: sorted(spec.annotations),
    isPaused: false,
  };
}

function runbookOf(catalog: Catalog, signalKey: string) {
  const runbookId = catalog.runbooksBySignal.get(signalKey)?.[0];
  const runbook = runbookId ? catalog.runbooks.get(runbookId) : undefined;
  if (!runbook) {
    throw new Error(`signal ${signalKey} has no runbook in the manifest: every generated alert must carry one`);
  }
  return runbook;
}

function signalRule(catalog: Catalog, signal: Signal): GrafanaAlertRule {
  const runbook = runbookOf(catalog, signal.key);
  const threshold = `${signal.comparison} ${signal.threshold}${signal.unit === 'ratio' ? '' : ` ${signal.unit}`}`;
  return rule({
    key: signal.key,
    title: signal.title,
    expr: signal.expr,
    comparison: signal.comparison,
    threshold: signal.threshold,
    for: '5m',
    labels: {
      severity: signal.default_severity,
      signal_key: signal.key,
      signal_group: signal.group,
      owner: runbook.owner_team,
      owner_service: signal.owner_service,
    },
    annotations: {
      summary: `${signal.title}: ${humanized(signal.unit)} (alerts at ${threshold})`,
      description: signal.description,
      runbook_id: runbook.id,
      runbook_url: runbookUrl(runbook.id),
      query_id: signal.query_id,
      dashboard_url: panelUrl(signal.dashboard.uid, signal.dashboard.panel_id),
      __dashboardUid__: signal.dashboard.uid,
      __panelId__: String(signal.dashboard.panel_id),
    },
  });
}

function goldenRule(catalog: Catalog, panel: GoldenPanel, alert: GoldenAlert): GrafanaAlertRule {
  const signal = catalog.signals.get(alert.signalKey);
  if (!signal) {
    throw new Error(`golden signal ${alert.key} names signal ${alert.signalKey}, which is not in the manifest`);
  }
  const runbook = runbookOf(catalog, alert.signalKey);
  return rule({
    key: alert.key,
    title: alert.title,
    expr: alert.expr,
    comparison: alert.comparison,
    threshold: alert.threshold,
    for: alert.for,
    labels: {
      severity: alert.severity,
      signal_key: alert.signalKey,
      signal_group: 'golden_signals',
      owner: runbook.owner_team,
      owner_service: signal.owner_service,
    },
    annotations: {
      summary: alert.summary,
      description: `${panel.description} Golden-signal rule for every service; it attaches to the ${signal.key} signal and its runbook.`,
      runbook_id: runbook.id,
      runbook_url: runbookUrl(runbook.id),
      query_id: panel.why?.queryId ?? signal.query_id,
      dashboard_url: panelUrl(DASHBOARD_UIDS.goldenSignals, panel.id),
      __dashboardUid__: DASHBOARD_UIDS.goldenSignals,
      __panelId__: String(panel.id),
    },
  });
}

/**
 * Grafana's heartbeat: `vector(1)` against Prometheus, firing on no data and on errors too, so that it
 * proves Grafana's evaluator and notifier deliver even while the datasource is down.
 */
function heartbeatRule(): GrafanaAlertRule {
  const base = rule({
    key: GRAFANA_HEARTBEAT.uid,
    title: GRAFANA_HEARTBEAT.title,
    expr: 'vector(1)',
    comparison: '>',
    threshold: 0,
    for: '0s',
    labels: { ...HEARTBEAT_LABELS },
    annotations: { summary: GRAFANA_HEARTBEAT.summary, description: GRAFANA_HEARTBEAT.description },
  });
  return { ...base, noDataState: 'Alerting', execErrState: 'Alerting' };
}

export function grafanaRuleGroups(catalog: Catalog): GrafanaRuleGroup[] {
  const golden: GrafanaRuleGroup = {
    orgId: ORG_ID,
    name: 'Golden signals',
    folder: ALERT_FOLDER,
    interval: '1m',
    rules: GOLDEN_PANELS.flatMap((panel) => (panel.alert ? [goldenRule(catalog, panel, panel.alert)] : [])),
  };
  const signals = [...catalog.signals.values()];
  const domain = catalog.signalGroups
    .map((group) => ({
      orgId: ORG_ID,
      name: `Domain signals: ${group.title}`,
      folder: ALERT_FOLDER,
      interval: '1m',
      rules: signals.filter((signal) => signal.group === group.key).map((signal) => signalRule(catalog, signal)),
    }))
    .filter((group) => group.rules.length > 0);
  const heartbeat: GrafanaRuleGroup = {
    orgId: ORG_ID,
    name: 'Opsdeck heartbeat',
    folder: ALERT_FOLDER,
    interval: '30s',
    rules: [heartbeatRule()],
  };
  return [golden, ...domain, heartbeat];
}

export function contactPoints(): GrafanaContactPoint[] {
  return [
    {
      orgId: ORG_ID,
      name: CONTACT_POINT,
      receivers: [
        {
          uid: 'opsdeck-api-webhook',
          type: 'webhook',
          disableResolveMessage: false,
          settings: {
            url: GRAFANA_INTAKE_URL,
            httpMethod: 'POST',
            authorization_scheme: 'Bearer',
            authorization_credentials: WEBHOOK_TOKEN_REFERENCE,
            maxAlerts: 0,
            title: `{{ template "${TEMPLATE_NAME}.title" . }}`,
            message: `{{ template "${TEMPLATE_NAME}.message" . }}`,
          },
        },
      ],
    },
  ];
}

/**
 * Everything goes to the Opsdeck API; pages (sev1/critical) are sent sooner and repeated more often.
 * The heartbeat route comes first and repeats every minute (below the 5 m stale threshold).
 */
export function notificationPolicies(): GrafanaPolicy[] {
  return [
    {
      orgId: ORG_ID,
      receiver: CONTACT_POINT,
      group_by: ['grafana_folder', 'alertname', 'signal_key', 'tenant', 'project'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        {
          receiver: CONTACT_POINT,
          object_matchers: [['opsdeck_heartbeat', '=', 'true']],
          group_by: ['alertname'],
          group_wait: '0s',
          group_interval: HEARTBEAT_REPEAT_INTERVAL,
          repeat_interval: HEARTBEAT_REPEAT_INTERVAL,
        },
        {
          receiver: CONTACT_POINT,
          object_matchers: [['severity', '=~', 'sev1|critical']],
          group_wait: '10s',
          group_interval: '1m',
          repeat_interval: '1h',
        },
      ],
    },
  ];
}

/**
 * The notification text. The message leads with the runbook link of every alert (relative to Grafana:
 * the Opsdeck API prefixes OPSDECK_GRAFANA_URL, a human prefixes the Grafana URL printed at the end).
 * No `$` anywhere: Grafana expands environment variables in provisioning files.
 */
export const NOTIFICATION_TEMPLATE = `{{ define "${TEMPLATE_NAME}.title" -}}
[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ with .CommonLabels.severity }} ({{ . }}){{ end }}
{{- end }}

{{ define "${TEMPLATE_NAME}.message" -}}
{{ range .Alerts -}}
Runbook: {{ or .Annotations.runbook_url "MISSING runbook_url" }} ({{ or .Annotations.runbook_id "MISSING runbook_id" }})
{{ .Status | toUpper }}: {{ .Labels.alertname }}{{ with .Labels.severity }} [{{ . }}]{{ end }}{{ with .Labels.signal_key }} signal={{ . }}{{ end }}{{ with .Labels.owner }} owner={{ . }}{{ end }}
{{ with .Annotations.summary }}{{ . }}
{{ end }}{{ with .Annotations.dashboard_url }}Dashboard: {{ . }}
{{ end }}{{ with .Annotations.query_id }}Saved query: {{ . }}
{{ end }}{{ with .PanelURL }}Panel: {{ . }}
{{ end }}
{{ end -}}
Grafana: {{ .ExternalURL }}
{{- end }}
`;

export function notificationTemplates(): GrafanaTemplate[] {
  return [{ orgId: ORG_ID, name: TEMPLATE_NAME, template: NOTIFICATION_TEMPLATE }];
}

/** The four provisioning files, validated against the format before anything is written. */
export function grafanaAlertingFiles(catalog: Catalog): Array<{ name: string; file: GrafanaAlertingFile }> {
  const files = [
    { name: 'opsdeck-rules.yaml', file: { apiVersion: 1 as const, groups: grafanaRuleGroups(catalog) } },
    { name: 'opsdeck-contact-points.yaml', file: { apiVersion: 1 as const, contactPoints: contactPoints() } },
    { name: 'opsdeck-policies.yaml', file: { apiVersion: 1 as const, policies: notificationPolicies() } },
    { name: 'opsdeck-templates.yaml', file: { apiVersion: 1 as const, templates: notificationTemplates() } },
  ];
  return files.map(({ name, file }) => ({ name, file: GrafanaAlertingFile.parse(file) }));
}
