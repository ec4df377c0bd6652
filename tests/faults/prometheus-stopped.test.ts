/**
 * Issue 13 fault suite: Prometheus stopped → the ops overview says `degraded`. A real Prometheus
 * (Debian's package) serves the overview's queries; it is stopped, and the overview keeps answering
 * from this process's own counters (`in_memory`), `degraded: true`, with guidance naming the URL that
 * failed; when Prometheus is started again on the same address the overview is back on it without a
 * restart of the API. (tests/incidents/overview.test.ts covers an erroring and a hanging backend with a
 * stub.) The overview reads Prometheus, not the store: the embedded store is enough here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { OpsOverview } from '../../src/contract/overview';
import { buildTestApp, type TestApp } from '../support/app';
import { binaryAvailable } from '../support/binaries';
import { freePort, stop, waitFor } from '../support/processes';
import { openTestStore, type TestStore } from '../support/stores';
import { INCIDENTS_CATALOG_DIR } from '../incidents/builders';

const run = binaryAvailable('Prometheus stopped → overview degraded', 'prometheus') ? describe : describe.skip;
const viewer = { 'x-opsdeck-capability': 'incidents:read', 'x-grafana-user': 'watcher' };

run('Prometheus stopped under the ops overview', () => {
  let dir: string;
  let port: number;
  let prometheus: ChildProcess | undefined;
  let testStore: TestStore;
  let t: TestApp;

  async function startPrometheus() {
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
      async () => {
        const ready = await fetch(`http://127.0.0.1:${port}/-/ready`).catch(() => null);
        return ready?.ok ? true : null;
      },
      60_000
    );
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'opsdeck-prom-stopped-'));
    port = await freePort();
    await writeFile(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
    await startPrometheus();
    testStore = await openTestStore('embedded');
    t = await buildTestApp(testStore.store, {
      catalogDir: INCIDENTS_CATALOG_DIR,
      env: { OPSDECK_PROMETHEUS_URL: `http://127.0.0.1:${port}` },
    });
  }, 120_000);
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
    await stop(prometheus);
    await rm(dir, { recursive: true, force: true });
  });

  async function header() {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/ops/overview',
      headers: t.auth(viewer),
    });
    expect(response.statusCode).toBe(200);
    return OpsOverview.parse(response.json()).decision_header;
  }

  it('answers degraded from its own counters while Prometheus is down, and recovers when it is back', async () => {
    expect(await header()).toMatchObject({ source_mode: 'backend', degraded: false, guidance: null });

    await stop(prometheus);
    const down = await header();
    expect(down).toMatchObject({ source_mode: 'in_memory', degraded: true });
    expect(down.guidance).toContain(`http://127.0.0.1:${port}`);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('opsdeck_overview_source_mode{mode="in_memory"} 1');

    await startPrometheus();
    expect(await header()).toMatchObject({ source_mode: 'backend', degraded: false, guidance: null });
  }, 180_000);
});
