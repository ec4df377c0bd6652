/**
 * End to end with a real Prometheus (Debian package): it scrapes a small target whose api-gateway
 * answers 10% 5xx, evaluates the GENERATED alerts/prometheus/slo-api-gateway.yaml every second, and
 * GET /api/v1/slos/status in backend mode reads the recording rules and ALERTS back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { SloStatusList } from '../../src/contract/slo';
import { binaryAvailable } from '../support/binaries';
import { freePort, waitFor } from '../support/processes';
import { buildTestApp, REPO_CATALOG_DIR, type TestApp } from '../support/app';
import { openTestStore, type TestStore } from '../support/stores';

const RULES = path.join(__dirname, '..', '..', 'alerts', 'prometheus', 'slo-api-gateway.yaml');
const describeWithPrometheus = binaryAvailable('SLO status against Prometheus', 'prometheus')
  ? describe
  : describe.skip;

describeWithPrometheus('SLO status from a real Prometheus evaluating the generated rules', () => {
  let dir: string;
  let target: Server;
  let prometheus: ChildProcess;
  let prometheusUrl: string;
  let testStore: TestStore;
  let t: TestApp;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'opsdeck-slo-prometheus-'));
    // 1000 requests and 100 errors more at every scrape: a 10% error ratio, 20x the 0.5% budget.
    let scrapes = 0;
    target = createServer((_request, response) => {
      scrapes++;
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(
        [
          '# TYPE http_requests_total counter',
          `http_requests_total{service="api-gateway",code="200"} ${scrapes * 900}`,
          `http_requests_total{service="api-gateway",code="500"} ${scrapes * 100}`,
          '',
        ].join('\n')
      );
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as AddressInfo).port;
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    await writeFile(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${JSON.stringify(RULES)}]`,
        'scrape_configs:',
        `  - { job_name: api, static_configs: [{ targets: ["127.0.0.1:${targetPort}"] }] }`,
        '',
      ].join('\n')
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' }
    );
    await waitFor(
      'Prometheus to be ready',
      async () => ((await fetch(`${prometheusUrl}/-/ready`)).ok ? true : null),
      30_000
    );
    testStore = await openTestStore('embedded');
    t = await buildTestApp(testStore.store, {
      catalogDir: REPO_CATALOG_DIR,
      env: { OPSDECK_PROMETHEUS_URL: prometheusUrl },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.app.close();
    await testStore?.dispose();
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => target?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the burn rates, the overspent budget, the critical policy state, the firing page and policy alerts', async () => {
    const availability = await waitFor(
      'the recording rules and the page alert',
      async () => {
        const response = await t.app.inject({
          method: 'GET',
          url: '/api/v1/slos/status?service=api-gateway',
          headers: t.auth(),
        });
        const list = SloStatusList.parse(response.json());
        const slo = list.items.find((item) => item.id === 'api-gateway-requests-availability');
        return list.source_mode === 'backend' &&
          slo?.burn_rates['1h'] !== null &&
          slo?.alert_state === 'page' &&
          slo.budget_policy_state !== null &&
          slo.policy_alerts.includes('fast_burn') &&
          slo.policy_alerts.includes('depleted')
          ? slo
          : null;
      },
      45_000
    );
    // 10% errors against a 0.5% budget: every window burns at 20x (the data is younger than any window)
    for (const window of ['5m', '30m', '1h']) {
      expect(availability.burn_rates[window]).toBeCloseTo(20, 5);
    }
    expect(availability.error_budget_remaining).toBeCloseTo(-19, 5);
    // −1900% left is beyond critical_at (−100%): the emergency state, with its obligation
    expect(availability.budget_policy_state).toBe('critical');
    expect(availability.obligation).toContain('Emergency freeze');
    // the policy's fast burn (14.4×/1h), 80%-consumed and depleted alerts all hold at 20×
    expect(availability.policy_alerts).toEqual(expect.arrayContaining(['fast_burn', 'consumed', 'depleted']));
    // the latency SLO has no histogram series here: unknown, not ok
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/slos/status?service=api-gateway',
      headers: t.auth(),
    });
    const latency = SloStatusList.parse(response.json()).items.find(
      (item) => item.id === 'api-gateway-requests-latency'
    );
    expect(latency).toMatchObject({ alert_state: 'unknown', error_budget_remaining: null });
  }, 60_000);
});
