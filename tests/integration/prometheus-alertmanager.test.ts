/**
 * End to end with real components (Debian's Prometheus 2.42 and Alertmanager 0.25) on loopback ports
 * with temporary data dirs: Prometheus scrapes a tiny target whose outbox lag crosses the rule's
 * threshold; the rule (carrying runbook_id and signal_key) fires; Alertmanager delivers its webhook,
 * with the webhook token as a Bearer credentials file, to the listening API; the incident appears with
 * its runbook and severity. Then the lag drops, the alert resolves and the incident moves to
 * `monitoring`. A second case posts the recorded Grafana contact-point payload over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { labelFingerprint } from '../../src/api/incidents/fingerprint';
import type { StoreKind } from '../../src/api/store';
import { IntakeResult } from '../../src/contract/alerts';
import { IncidentDetail, IncidentPage } from '../../src/contract/incidents';
import { binaryAvailable } from '../support/binaries';
import { freePort, stop, waitFor } from '../support/processes';
import { buildTestApp, REPO_CATALOG_DIR, TEST_WEBHOOK_TOKEN, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import { recordedGrafana } from '../incidents/builders';

const haveBinaries =
  binaryAvailable('Prometheus → Alertmanager → intake', 'prometheus') &&
  binaryAvailable('Prometheus → Alertmanager → intake', 'prometheus-alertmanager');
const describeWithBinaries = haveBinaries ? describe : describe.skip;

const RULE_LABELS = {
  alertname: 'OutboxRelayLagHigh',
  service: 'outbox-relay',
  severity: 'critical',
  signal_key: 'outbox_relay_degraded',
};

const kinds: StoreKind[] = haveBinaries ? storeKinds('Prometheus → Alertmanager → intake') : ['embedded'];

describeWithBinaries.each(kinds)('real Prometheus and Alertmanager deliver to the intake (%s store)', (kind) => {
  let dir: string;
  let target: Server;
  let prometheus: ChildProcess | undefined;
  let alertmanager: ChildProcess | undefined;
  let testStore: TestStore;
  let t: TestApp;
  let apiUrl: string;
  let prometheusUrl: string;
  const operator = {
    'x-project-id': '*',
    'x-opsdeck-capability': 'incidents:read,incidents:write,approvals:request',
    'x-grafana-user': 'oncall-primary',
  };
  // Age of the oldest undelivered outbox event: 420 s crosses the rule's 300 s threshold.
  let lagSeconds = 420;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'opsdeck-am-intake-'));
    testStore = await openTestStore(kind);
    t = await buildTestApp(testStore.store, { catalogDir: REPO_CATALOG_DIR });
    apiUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });

    target = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(
        [
          '# TYPE outbox_oldest_pending_age_seconds gauge',
          `outbox_oldest_pending_age_seconds{service="outbox-relay"} ${lagSeconds}`,
          '',
        ].join('\n')
      );
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as AddressInfo).port;

    const alertmanagerPort = await freePort();
    await writeFile(path.join(dir, 'webhook-token'), TEST_WEBHOOK_TOKEN);
    await writeFile(
      path.join(dir, 'alertmanager.yml'),
      [
        'route:',
        '  receiver: opsdeck',
        '  group_by: [alertname, signal_key, tenant, project]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '  - name: opsdeck',
        '    webhook_configs:',
        `      - url: ${apiUrl}/api/v1/alerts/alertmanager`,
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        '            type: Bearer',
        `            credentials_file: ${JSON.stringify(path.join(dir, 'webhook-token'))}`,
        '',
      ].join('\n')
    );
    alertmanager = spawn(
      'prometheus-alertmanager',
      [
        `--config.file=${path.join(dir, 'alertmanager.yml')}`,
        `--storage.path=${path.join(dir, 'alertmanager-data')}`,
        `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'ignore' }
    );

    const prometheusPort = await freePort();
    prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    await writeFile(
      path.join(dir, 'rules.yml'),
      [
        'groups:',
        '  - name: opsdeck-intake-integration',
        '    interval: 1s',
        '    rules:',
        `      - alert: ${RULE_LABELS.alertname}`,
        '        expr: max by (service) (outbox_oldest_pending_age_seconds) > 300',
        '        labels:',
        `          severity: ${RULE_LABELS.severity}`,
        `          signal_key: ${RULE_LABELS.signal_key}`,
        '        annotations:',
        '          runbook_id: ops.outbox.relay',
        '          summary: "Outbox relay lag is {{ $value }} s"',
        '',
      ].join('\n')
    );
    await writeFile(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${JSON.stringify(path.join(dir, 'rules.yml'))}]`,
        'alerting:',
        `  alertmanagers: [{ static_configs: [{ targets: ["127.0.0.1:${alertmanagerPort}"] }] }]`,
        'scrape_configs:',
        `  - { job_name: outbox, static_configs: [{ targets: ["127.0.0.1:${targetPort}"] }] }`,
        '',
      ].join('\n')
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
      ],
      { stdio: 'ignore' }
    );
    await waitFor(
      'Alertmanager to be ready',
      async () => ((await fetch(`http://127.0.0.1:${alertmanagerPort}/-/ready`)).ok ? true : null),
      30_000
    );
    await waitFor(
      'Prometheus to be ready',
      async () => ((await fetch(`http://127.0.0.1:${prometheusPort}/-/ready`)).ok ? true : null),
      30_000
    );
  }, 90_000);

  afterAll(async () => {
    await stop(prometheus);
    await stop(alertmanager);
    await new Promise((resolve) => target?.close(resolve));
    await t?.app.close();
    await testStore?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function outboxIncident(): Promise<IncidentDetail | null> {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents?signal=outbox_relay_degraded',
      headers: t.auth(operator),
    });
    const [incident] = IncidentPage.parse(response.json()).items;
    if (!incident) {
      return null;
    }
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incident.id}`,
      headers: t.auth(operator),
    });
    return IncidentDetail.parse(detail.json());
  }

  it('opens the incident with its runbook and severity, then resolves it to monitoring', async () => {
    const fired = await waitFor('the firing alert to reach the intake', outboxIncident, 60_000);
    expect(fired).toMatchObject({
      status: 'detected',
      severity: 'sev1',
      grouping_key: 'outbox_relay_degraded',
      signal_group: 'messaging',
      tenant: 'platform',
      project: 'platform',
      missing_runbook: false,
      alert_counts: { firing: 1, resolved: 0 },
    });
    expect(fired.runbooks.map((runbook) => runbook.id)).toContain('ops.outbox.relay');
    expect(fired.runbooks[0].id).toBe('ops.outbox.relay');
    expect(fired.title).toMatch(/^Outbox relay lag is 420 s$/);
    expect(fired.alerts).toEqual([
      expect.objectContaining({
        source: 'alertmanager',
        status: 'firing',
        severity: 'sev1',
        fingerprint: labelFingerprint(RULE_LABELS),
        labels: RULE_LABELS,
      }),
    ]);

    lagSeconds = 5;
    const resolved = await waitFor(
      'the resolved alert to reach the intake',
      async () => {
        const incident = await outboxIncident();
        return incident?.status === 'monitoring' ? incident : null;
      },
      60_000
    );
    expect(resolved.id).toBe(fired.id);
    expect(resolved.alert_counts).toEqual({ firing: 0, resolved: 1 });
    expect(resolved.alerts[0]).toMatchObject({ status: 'resolved', ends_at: expect.any(String) });
    expect(resolved.timeline.map((entry) => entry.kind)).toEqual([
      'state_changed',
      'alert_fired',
      'alert_resolved',
      'state_changed',
    ]);
    expect(resolved.timeline.at(-1)).toMatchObject({ actor: 'system', data: { to: 'monitoring', automatic: true } });

    // Every delivery was audited as the Alertmanager webhook.
    const { rows } = await t.app.store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE actor = 'webhook:alertmanager'"
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(2);
  }, 150_000);

  it('takes the recorded Grafana contact-point payload over HTTP', async () => {
    const response = await fetch(`${apiUrl}/api/v1/alerts/grafana`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`grafana:${TEST_WEBHOOK_TOKEN}`).toString('base64')}`,
      },
      body: JSON.stringify(recordedGrafana('webhook-firing.json')),
    });
    expect(response.status).toBe(200);
    expect(IntakeResult.parse(await response.json())).toMatchObject({ received: 2, created: 2, missing_runbook: [] });
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents?signal=api_error_rate_high',
      headers: t.auth(operator),
    });
    const [incident] = IncidentPage.parse(list.json()).items;
    expect(incident).toMatchObject({
      severity: 'sev1',
      tenant: 't-acme',
      project: 'p-vision',
      correlation_ids: ['req-7f3c9a1e-acme'],
    });
    expect(incident.runbooks[0].id).toBe('ops.api.error_rate');
  });
  // Issue 13 fault suite; last in this file because it stops Prometheus.
  it('serves the overview from Prometheus, and degraded (not failing) once Prometheus stops', async () => {
    const withBackend = await buildTestApp(testStore.store, {
      catalogDir: REPO_CATALOG_DIR,
      env: { OPSDECK_PROMETHEUS_URL: prometheusUrl },
    });
    try {
      const read = async () => {
        const response = await withBackend.app.inject({
          method: 'GET',
          url: '/api/v1/admin/ops/overview',
          headers: withBackend.auth(operator),
        });
        expect(response.statusCode).toBe(200);
        return (
          response.json() as { decision_header: { source_mode: string; degraded: boolean; guidance: string | null } }
        ).decision_header;
      };
      expect(await read()).toMatchObject({ source_mode: 'backend', degraded: false });
      await stop(prometheus);
      const degraded = await read();
      expect(degraded).toMatchObject({ source_mode: 'in_memory', degraded: true });
      expect(degraded.guidance).toContain(prometheusUrl);
    } finally {
      await withBackend.app.close();
    }
  });
});
