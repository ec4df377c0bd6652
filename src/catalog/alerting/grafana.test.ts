import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

import { runbookUrlMatches } from '../lint/rules/alerts';
import { loadCatalog } from '../load';
import type { Catalog } from '../model';
import { promqlSyntaxErrors } from '../slo/promql';
import { GOLDEN_PANELS } from '../dashboards/golden-signals';
import { GRAFANA_INTAKE_URL, grafanaRuleGroups, NOTIFICATION_TEMPLATE, ruleUid } from './grafana';
import { GrafanaAlertingFile, type GrafanaAlertRule } from './schema';

const REPO = path.join(__dirname, '..', '..', '..');
const readProvisioning = (name: string) => GrafanaAlertingFile.parse(YAML.parse(readFileSync(path.join(REPO, 'provisioning', 'alerting', name), 'utf8')));

/** A valid rule to break one field at a time. */
function aRule(overrides: Partial<Record<keyof GrafanaAlertRule, unknown>> = {}): unknown {
  return {
    uid: 'api_error_rate_high',
    title: 'API error rate high',
    condition: 'B',
    data: [
      { refId: 'A', datasourceUid: 'prometheus', relativeTimeRange: { from: 600, to: 0 }, model: { refId: 'A', expr: 'up', instant: true } },
      {
        refId: 'B',
        datasourceUid: '__expr__',
        model: { refId: 'B', type: 'threshold', expression: 'A', conditions: [{ evaluator: { type: 'gt', params: [0.05] } }] },
      },
    ],
    noDataState: 'OK',
    execErrState: 'Error',
    for: '5m',
    labels: { severity: 'sev2' },
    annotations: { runbook_id: 'ops.api.error_rate' },
    ...overrides,
  };
}
const fileWith = (rule: unknown) => ({ apiVersion: 1, groups: [{ orgId: 1, name: 'g', folder: 'Opsdeck', interval: '1m', rules: [rule] }] });

describe('the Grafana alerting provisioning format (zod)', () => {
  it('accepts a well-formed rule file', () => {
    expect(GrafanaAlertingFile.safeParse(fileWith(aRule())).success).toBe(true);
  });

  it.each([
    ['a condition that is no refId', { condition: 'C' }],
    ['an unknown noDataState', { noDataState: 'Ok' }],
    ['a UID longer than 40 characters', { uid: 'x'.repeat(41) }],
    ['a duration without unit', { for: '5' }],
  ] as const)('rejects %s', (_what, overrides) => {
    expect(GrafanaAlertingFile.safeParse(fileWith(aRule(overrides))).success).toBe(false);
  });

  it('rejects unknown keys, a threshold without its condition, a webhook without URL and an empty file', () => {
    expect(GrafanaAlertingFile.safeParse(fileWith({ ...(aRule() as object), annotation: {} })).success).toBe(false);
    const badThreshold = aRule({
      data: [{ refId: 'B', datasourceUid: '__expr__', model: { refId: 'B', type: 'threshold', expression: 'A', conditions: [] } }],
    });
    expect(GrafanaAlertingFile.safeParse(fileWith(badThreshold)).success).toBe(false);
    const webhook = { orgId: 1, name: 'x', receivers: [{ uid: 'x', type: 'webhook', settings: {} }] };
    expect(GrafanaAlertingFile.safeParse({ apiVersion: 1, contactPoints: [webhook] }).success).toBe(false);
    expect(GrafanaAlertingFile.safeParse({ apiVersion: 1 }).success).toBe(false);
  });
});

describe('provisioning/alerting (generated)', () => {
  let catalog: Catalog;
  const rulesFile = readProvisioning('opsdeck-rules.yaml');
  const rules = (rulesFile.groups ?? []).flatMap((group) => group.rules);

  beforeAll(async () => {
    catalog = await loadCatalog(path.join(REPO, 'catalog'), { root: REPO });
  });

  it('is what the generator produces from the catalog', () => {
    expect(rulesFile.groups).toEqual(grafanaRuleGroups(catalog));
  });

  it('has one rule for every catalog signal, including the ones the issue names', () => {
    const bySignal = new Map(rules.filter((rule) => rule.labels.signal_group !== 'golden_signals').map((rule) => [rule.labels.signal_key, rule]));
    expect([...bySignal.keys()].sort()).toEqual([...catalog.signals.keys()].sort());
    for (const key of [
      'outbox_relay_degraded',
      'dlq_backlog_present',
      'api_error_rate_high',
      'database_latency_high',
      'provisioning_queue_depth_high',
      'provisioning_timeout_rate_high',
      'fleet_telemetry_data_stale',
      'webhook_reconcile_failures',
    ]) {
      const rule = bySignal.get(key);
      const signal = catalog.signals.get(key);
      expect(rule?.data[0].model.expr).toBe(signal?.expr);
    }
  });

  it('has a rule for every golden signal that alerts', () => {
    const golden = rules.filter((rule) => rule.labels.signal_group === 'golden_signals');
    expect(golden.map((rule) => rule.annotations.__panelId__)).toEqual(GOLDEN_PANELS.filter((p) => p.alert).map((p) => String(p.id)));
  });

  it('gives every rule a unique UID, runbook_id, matching runbook_url, signal_key, severity and owner', () => {
    expect(new Set(rules.map((rule) => rule.uid)).size).toBe(rules.length);
    // The heartbeat is not actionable: it proves delivery and opens no incident (tests/catalog/heartbeat.test.ts).
    for (const rule of rules.filter((candidate) => candidate.labels.opsdeck_heartbeat !== 'true')) {
      const runbook = catalog.runbooks.get(rule.annotations.runbook_id);
      expect({ uid: rule.uid, runbook: runbook?.id }).toEqual({ uid: rule.uid, runbook: rule.annotations.runbook_id });
      expect(runbook && runbookUrlMatches(rule.annotations.runbook_url, runbook)).toBe(true);
      expect(catalog.signals.has(rule.labels.signal_key)).toBe(true);
      expect(runbook?.signals).toContain(rule.labels.signal_key);
      expect(rule.labels.severity).toMatch(/^sev[1-4]$/);
      expect(rule.labels.owner).toBe(runbook?.owner_team);
      expect(rule.labels.owner_service).toBeTruthy();
      expect(rule.annotations.__dashboardUid__).toMatch(/^opsdeck-(golden|domain)-signals$/);
    }
  });

  it('compares like the catalog says: thresholds for > and <, math for >= and <=', () => {
    for (const signal of catalog.signals.values()) {
      const rule = rules.find((r) => r.uid === ruleUid(signal.key));
      const condition = rule?.data.find((query) => query.refId === rule.condition)?.model;
      if (signal.comparison === '>' || signal.comparison === '<') {
        expect(condition).toMatchObject({ type: 'threshold', conditions: [{ evaluator: { type: signal.comparison === '>' ? 'gt' : 'lt', params: [signal.threshold] } }] });
      } else {
        expect(condition).toMatchObject({ type: 'math', expression: `$A ${signal.comparison} ${signal.threshold}` });
      }
    }
  });

  it('queries only PromQL that parses', () => {
    for (const rule of rules) {
      expect({ uid: rule.uid, errors: promqlSyntaxErrors(String(rule.data[0].model.expr)) }).toEqual({ uid: rule.uid, errors: [] });
    }
  });

  it('keeps long signal keys within the 40-character UID limit, stably', () => {
    const long = 'enterprise_federation_membership_denied_x';
    expect(ruleUid(long)).toHaveLength(40);
    expect(ruleUid(long)).toBe(ruleUid(long));
    expect(ruleUid(long)).not.toBe(ruleUid(`${long}y`));
    expect(ruleUid('api_error_rate_high')).toBe('api_error_rate_high');
  });

  it('sends every alert to the API intake with the webhook token from the environment', () => {
    const [contactPoint] = readProvisioning('opsdeck-contact-points.yaml').contactPoints ?? [];
    const [receiver] = contactPoint.receivers;
    expect(receiver.type).toBe('webhook');
    expect(receiver.settings).toMatchObject({
      url: GRAFANA_INTAKE_URL,
      authorization_scheme: 'Bearer',
      authorization_credentials: '$OPSDECK_WEBHOOK_TOKEN',
      message: '{{ template "opsdeck.message" . }}',
    });
    expect(GRAFANA_INTAKE_URL).toBe('http://opsdeck-api:8787/api/v1/alerts/grafana');
    const [policy] = readProvisioning('opsdeck-policies.yaml').policies ?? [];
    expect(policy.receiver).toBe(contactPoint.name);
    expect(policy.group_by).toEqual(expect.arrayContaining(['signal_key', 'tenant', 'project']));
  });

  it('has a notification template whose message leads with the runbook link', () => {
    const [template] = readProvisioning('opsdeck-templates.yaml').templates ?? [];
    expect(template.template).toBe(NOTIFICATION_TEMPLATE);
    const message = /\{\{ define "opsdeck\.message" -\}\}\n\{\{ range \.Alerts -\}\}\n(.*)\n/.exec(template.template);
    expect(message?.[1]).toMatch(/^Runbook: \{\{ or \.Annotations\.runbook_url /);
    // Grafana expands $NAME in provisioning files: the template must not contain any.
    expect(template.template).not.toContain('$');
  });
});
