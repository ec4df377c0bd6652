import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runGenerate } from './generate';
import { generateFiles, loadGenerateInput } from '../../catalog/generate';
import { checkGenerated, GENERATED_MARKER } from '../../catalog/generate/output';

const REPO = path.join(__dirname, '..', '..', '..');

/** A scratch copy of what `opsdeck generate` reads and writes. */
async function scratchRepo(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'opsdeck-generate-'));
  for (const dir of ['catalog', 'alerts', 'provisioning/alerting', 'dashboards']) {
    await cp(path.join(REPO, dir), path.join(root, dir), { recursive: true });
  }
  return root;
}

describe('opsdeck generate', () => {
  let root: string;
  beforeEach(async () => {
    root = await scratchRepo();
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is deterministic: two runs give byte-identical files', async () => {
    const first = generateFiles(await loadGenerateInput(REPO));
    const second = generateFiles(await loadGenerateInput(REPO));
    expect(second).toEqual(first);
    expect(first.map((file) => file.path)).toEqual([
      'alerts/prometheus/opsdeck-heartbeat.yaml',
      'alerts/prometheus/slo-api-gateway.yaml',
      'alerts/prometheus/slo-fleet-agent.yaml',
      'alerts/prometheus/slo-fleet-telemetry.yaml',
      'alerts/prometheus/slo-provisioning-dispatcher.yaml',
      'dashboards/opsdeck-domain-signals.json',
      'dashboards/opsdeck-golden-signals.json',
      'dashboards/opsdeck-ops-kpis.json',
      'dashboards/opsdeck-overview.json',
      'dashboards/opsdeck-slo-burn.json',
      'provisioning/alerting/opsdeck-contact-points.yaml',
      'provisioning/alerting/opsdeck-policies.yaml',
      'provisioning/alerting/opsdeck-rules.yaml',
      'provisioning/alerting/opsdeck-templates.yaml',
    ]);
    for (const file of first.filter((f) => f.path.endsWith('.yaml'))) {
      expect(file.content.startsWith(`${GENERATED_MARKER} from `)).toBe(true);
    }
  });

  it('--check passes on the committed files', async () => {
    const output = await runGenerate({ root: REPO, check: true });
    expect(output.stderr).toEqual([]);
    expect(output.exitCode).toBe(0);
  });

  it('--check fails on an edited, a missing and an orphaned generated file, and generate repairs all three', async () => {
    const rules = path.join(root, 'alerts/prometheus/slo-api-gateway.yaml');
    await writeFile(rules, (await readFile(rules, 'utf8')).replace('>= 0.072', '>= 0.08'));
    await rm(path.join(root, 'dashboards/opsdeck-overview.json'));
    await writeFile(
      path.join(root, 'alerts/prometheus/slo-retired.yaml'),
      `${GENERATED_MARKER} from catalog/slos/retired.yaml.\ngroups: []\n`
    );
    await writeFile(path.join(root, 'alerts/prometheus/hand-written.yaml'), 'groups: []\n');

    const check = await runGenerate({ root, check: true });
    expect(check.exitCode).toBe(1);
    expect(check.stderr.join('\n')).toContain('alerts/prometheus/slo-api-gateway.yaml: stale');
    expect(check.stderr.join('\n')).toContain('dashboards/opsdeck-overview.json: missing');
    expect(check.stderr.join('\n')).toContain('alerts/prometheus/slo-retired.yaml: orphaned');
    expect(check.stderr.join('\n')).not.toContain('hand-written.yaml');

    const write = await runGenerate({ root });
    expect(write.exitCode).toBe(0);
    expect(write.stdout).toEqual(
      expect.arrayContaining([
        'wrote alerts/prometheus/slo-api-gateway.yaml',
        'wrote dashboards/opsdeck-overview.json',
        'removed alerts/prometheus/slo-retired.yaml',
      ])
    );
    expect(await checkGenerated(root, generateFiles(await loadGenerateInput(root)))).toEqual({
      stale: [],
      missing: [],
      orphaned: [],
    });
    expect(await readFile(path.join(root, 'alerts/prometheus/hand-written.yaml'), 'utf8')).toBe('groups: []\n');
  });

  it('reflects a catalog change: a new SLO spec gets its rule file, a threshold change its Grafana rule', async () => {
    await writeFile(
      path.join(root, 'catalog/slos/billing-worker.yaml'),
      [
        'version: prometheus/v1',
        'service: billing-worker',
        'slos:',
        '  - name: jobs-success',
        '    objective: 99.9',
        '    sli:',
        '      events:',
        '        error_query: sum(rate(billing_worker_jobs_total{result="failure"}[{{.window}}]))',
        '        total_query: sum(rate(billing_worker_jobs_total[{{.window}}]))',
        '    alerting:',
        '      name: BillingJobsBudgetBurn',
        '      annotations:',
        '        runbook_id: billing.worker.failures',
        '',
      ].join('\n')
    );
    const manifest = path.join(root, 'catalog/runbooks.catalog.json');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"threshold": 300,', '"threshold": 600,'));
    const check = await runGenerate({ root, check: true });
    expect(check.exitCode).toBe(1);
    expect(check.stderr.join('\n')).toContain('alerts/prometheus/slo-billing-worker.yaml: missing');
    expect(check.stderr.join('\n')).toContain('provisioning/alerting/opsdeck-rules.yaml: stale');
  });

  it('refuses an SLO without a runbook_id, naming the file and the rule', async () => {
    await writeFile(
      path.join(root, 'catalog/slos/broken.yaml'),
      'version: prometheus/v1\nservice: x\nslos:\n  - name: y\n    objective: 99\n    sli:\n      raw:\n        error_ratio_query: vector(0)\n    alerting:\n      name: Y\n'
    );
    const output = await runGenerate({ root, check: true });
    expect(output.exitCode).toBe(1);
    expect(output.stderr.join('\n')).toMatch(/slos\/broken\.yaml: slo-runbook-missing/);
    expect(output.stderr.join('\n')).toMatch(/slos\/broken\.yaml: slo-window-missing/);
  });
});
