/**
 * What Grafana and Prometheus load in the compose stack fits together: datasources with the UIDs the
 * generated dashboards, alert rules and Explore links use; Loki IDs that link to Tempo and back; the
 * dashboard file provider on dashboards/; Prometheus loading the generated rules and sending to
 * Alertmanager, which posts to the API; Grafana holding the webhook token its contact point reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

import { DATASOURCES } from '../../src/catalog/alerting/links';
import { WEBHOOK_TOKEN_REFERENCE } from '../../src/catalog/alerting/grafana';
import { NUMERIC_QUERY_TYPES } from '../../src/datasource/types';

const root = path.join(__dirname, '..', '..');
const yaml = (file: string) => YAML.parse(readFileSync(path.join(root, file), 'utf8'), { merge: true });

interface Datasource {
  name: string;
  uid: string;
  type: string;
  url?: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}
const datasources: Datasource[] = yaml('provisioning/datasources/datasources.yaml').datasources;
const byUid = new Map(datasources.map((ds) => [ds.uid, ds]));
const compose = yaml('docker-compose.yaml');

/** Grafana expands $NAME / ${NAME} in provisioning files and turns $$ into $. */
const afterProvisioning = (value: string) => value.replace(/\$\$/g, '$');

describe('provisioning/datasources', () => {
  it('provides every datasource the generated files reference, with the same type', () => {
    for (const ref of Object.values(DATASOURCES)) {
      expect({ uid: ref.uid, type: byUid.get(ref.uid)?.type }).toEqual(ref);
    }
    const used = new Set<string>();
    for (const file of readdirSync(path.join(root, 'dashboards'))) {
      for (const match of readFileSync(path.join(root, 'dashboards', file), 'utf8').matchAll(/"uid": "([^"]+)"/g)) {
        used.add(match[1]);
      }
    }
    for (const file of ['opsdeck-rules.yaml', 'opsdeck-datasource-rules.yaml']) {
      for (const match of readFileSync(path.join(root, 'provisioning/alerting', file), 'utf8').matchAll(
        /datasourceUid: (\S+)/g
      )) {
        used.add(match[1]);
      }
    }
    const dashboardUids = new Set(
      readdirSync(path.join(root, 'dashboards')).map(
        (file) => JSON.parse(readFileSync(path.join(root, 'dashboards', file), 'utf8')).uid
      )
    );
    const unknown = [...used].filter((uid) => !byUid.has(uid) && uid !== '__expr__' && !dashboardUids.has(uid));
    expect(unknown).toEqual([]);
  });

  it('turns trace_id and correlation_id in Loki lines into Tempo links', () => {
    const line = JSON.stringify({
      level: 'error',
      msg: 'upstream failed',
      correlation_id: 'req-01J9Z8Y7X6W5V4T3',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    const fields = (byUid.get('loki')?.jsonData?.derivedFields ?? []) as Array<{
      name: string;
      matcherRegex: string;
      datasourceUid: string;
      url: string;
    }>;
    const extracted = Object.fromEntries(
      fields.map((field) => [field.name, new RegExp(field.matcherRegex).exec(line)?.[1]])
    );
    expect(extracted).toEqual({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', correlation_id: 'req-01J9Z8Y7X6W5V4T3' });
    for (const field of fields) {
      expect(field.datasourceUid).toBe('tempo');
      expect(afterProvisioning(field.url)).toContain('${__value.raw}');
    }
  });

  it('links Tempo spans back to their log lines in Loki, and the Opsdeck datasource to the API with its token from the environment', () => {
    const tracesToLogs = byUid.get('tempo')?.jsonData?.tracesToLogsV2 as { datasourceUid: string; query: string };
    expect(tracesToLogs.datasourceUid).toBe('loki');
    expect(afterProvisioning(tracesToLogs.query)).toContain('trace_id="${__trace.traceId}"');
    const opsdeck = byUid.get('opsdeck');
    expect(opsdeck?.jsonData?.apiUrl).toBe('http://opsdeck-api:8787');
    expect(opsdeck?.secureJsonData?.apiToken).toBe('$OPSDECK_API_TOKEN');
  });
});

describe('provisioning of dashboards and alerting in the compose stack', () => {
  it('loads dashboards/ through the file provider, with folders from the file structure', () => {
    const [provider] = yaml('provisioning/dashboards/dashboards.yaml').providers;
    expect(provider).toMatchObject({ type: 'file', options: { foldersFromFilesStructure: true } });
    expect(compose.services.grafana.volumes).toContain(`./dashboards:${provider.options.path}:ro`);
  });

  it('gives Grafana the webhook token its contact point reads, and provisioning/alerting', () => {
    expect(WEBHOOK_TOKEN_REFERENCE).toBe('$OPSDECK_WEBHOOK_TOKEN');
    expect(Object.keys(compose.services.grafana.environment)).toContain('OPSDECK_WEBHOOK_TOKEN');
    expect(compose.services.grafana.volumes).toContain('./provisioning:/etc/grafana/provisioning:ro');
    expect(readdirSync(path.join(root, 'provisioning/alerting')).sort()).toEqual(
      [
        'opsdeck-contact-points.yaml',
        'opsdeck-datasource-rules.yaml',
        'opsdeck-policies.yaml',
        'opsdeck-rules.yaml',
        'opsdeck-templates.yaml',
      ].sort()
    );
  });

  it('has Prometheus load the generated rule files and send to Alertmanager, which posts to the API', () => {
    const mount = (compose.services.prometheus.volumes as string[]).find((volume) =>
      volume.startsWith('./alerts/prometheus:')
    );
    const rulesDir = mount?.split(':')[1];
    expect(rulesDir).toBeDefined();
    const prometheus = yaml('deploy/prometheus.yml');
    expect(prometheus.rule_files).toContain(`${rulesDir}/*.yaml`);
    expect(
      readdirSync(path.join(root, 'alerts/prometheus')).filter((file) => file.endsWith('.yaml')).length
    ).toBeGreaterThan(0);
    expect(prometheus.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
    const alertmanager = yaml('deploy/alertmanager.yml');
    const receiver = alertmanager.receivers.find((r: { name: string }) => r.name === alertmanager.route.receiver);
    expect(receiver.webhook_configs[0].url).toBe('http://opsdeck-api:8787/api/v1/alerts/alertmanager');
    expect(receiver.webhook_configs[0].send_resolved).toBe(true);
  });
});

interface RuleQuery {
  refId: string;
  datasourceUid: string;
  model: Record<string, unknown> & { refId: string; datasource: { type: string; uid: string } };
}
interface Rule {
  uid: string;
  condition: string;
  data: RuleQuery[];
  annotations: Record<string, string>;
  labels: Record<string, string>;
}

describe('alert rules over the Opsdeck datasource (provisioning/alerting/opsdeck-datasource-rules.yaml)', () => {
  const rules: Rule[] = yaml('provisioning/alerting/opsdeck-datasource-rules.yaml').groups.flatMap(
    (group: { rules: Rule[] }) => group.rules
  );
  const dataSourcePlugin = JSON.parse(readFileSync(path.join(root, 'src/datasource/plugin.json'), 'utf8'));

  it('can only work because the datasource is a backend datasource that alerting may use', () => {
    expect(dataSourcePlugin).toMatchObject({ backend: true, alerting: true });
    expect(dataSourcePlugin.executable).toMatch(/^gpx_opsdeck_/);
  });

  it('pages when an R3 approval has been pending for more than 30 minutes', () => {
    const rule = rules.find((candidate) => candidate.uid === 'opsdeck_r3_approval_waiting');
    expect(rule).toBeDefined();
    const query = rule!.data.find((entry) => entry.datasourceUid !== '__expr__')!;
    expect(byUid.get(query.datasourceUid)?.type).toBe(dataSourcePlugin.id);
    expect(query.model.datasource).toEqual({ type: dataSourcePlugin.id, uid: query.datasourceUid });
    expect(query.model).toMatchObject({ queryType: 'pending_approval_count', riskClass: 'R3', olderThanMinutes: 30 });
    const condition = rule!.data.find((entry) => entry.refId === rule!.condition)!;
    expect(condition.model).toMatchObject({ type: 'threshold', expression: query.refId });
    expect(rule!.labels.severity).toMatch(/^sev[1-4]$/);
    expect(rule!.annotations.runbook_id).toBeTruthy();
  });

  it('uses only numeric query types, which answer numbers alerting can evaluate', () => {
    for (const rule of rules) {
      for (const entry of rule.data.filter((candidate) => candidate.datasourceUid !== '__expr__')) {
        expect(NUMERIC_QUERY_TYPES).toContain(entry.model.queryType);
      }
    }
  });
});
