/**
 * Everything `opsdeck generate` writes, computed from the catalog in memory:
 * - alerts/prometheus/slo-<spec>.yaml — SLO recording rules and burn-rate alerts (catalog/slos/*.yaml);
 * - alerts/prometheus/opsdeck-heartbeat.yaml — the always-firing delivery-path heartbeat;
 * - provisioning/alerting/*.yaml — Grafana alert rules for the golden and domain signals, the contact
 *   point to the Opsdeck API, notification policies and the notification template;
 * - dashboards/*.json — Golden Signals, Domain signals, SLO burn and Opsdeck overview.
 * Deterministic: the same catalog gives byte-identical files (`--check` relies on it).
 */
import path from 'node:path';

import { grafanaAlertingFiles } from '../alerting/grafana';
import { prometheusHeartbeatFile } from '../alerting/heartbeat';
import { opsKpisDashboard } from '../dashboards/ops-kpis';
import { overviewDashboard } from '../dashboards/overview';
import { domainSignalsDashboard, goldenSignalsDashboard } from '../dashboards/signals';
import { sloBurnDashboard } from '../dashboards/slo-burn';
import { loadCatalog } from '../load';
import type { Catalog } from '../model';
import { sloRuleFiles } from '../slo/rules';
import { loadSlos, readErrorBudgetPolicy, ERROR_BUDGET_POLICY_FILE, type SloDefinition } from '../slo/spec';
import type { ErrorBudgetPolicyFile } from '../../contract/slo';
import { generatedDashboardJson, generatedYaml, type GeneratedFile } from './output';

export interface GenerateInput {
  catalog: Catalog;
  slos: SloDefinition[];
  policy: ErrorBudgetPolicyFile;
}

/** Loads the catalog, the SLO specs and the error budget policy from `<root>/catalog` (or `catalogDir`). */
export async function loadGenerateInput(root: string, catalogDir = path.join(root, 'catalog')): Promise<GenerateInput> {
  const catalog = await loadCatalog(catalogDir, { root });
  const refs = {
    runbooks: new Set(catalog.runbooks.keys()),
    queries: new Set(catalog.queries.keys()),
    signals: new Set(catalog.signals.keys()),
  };
  const [slos, policy] = await Promise.all([loadSlos(catalogDir, refs), readErrorBudgetPolicy(catalogDir)]);
  return { catalog, slos, policy };
}

const specBaseName = (specFile: string) => path.posix.basename(specFile).replace(/\.ya?ml$/, '');

export function prometheusRuleFiles(input: GenerateInput): GeneratedFile[] {
  const heartbeat: GeneratedFile = {
    path: 'alerts/prometheus/opsdeck-heartbeat.yaml',
    content: generatedYaml(prometheusHeartbeatFile(), ['src/catalog/alerting/heartbeat.ts'], [
      'Always firing (Watchdog-style): Opsdeck counts its deliveries per sender; route it with repeat_interval 1m (deploy/alertmanager.yml).',
    ]),
  };
  return [heartbeat, ...sloRuleFiles(input.slos, input.policy).map(({ specFile, file }) => ({
    path: `alerts/prometheus/slo-${specBaseName(specFile)}.yaml`,
    content: generatedYaml(file, [`catalog/${specFile}`, `catalog/${ERROR_BUDGET_POLICY_FILE}`], [
      'Series names and sloth_* labels follow Sloth; burn-rate windows: page 14.4x/1h+5m, 6x/6h+30m; ticket 3x/1d+2h, 1x/3d+6h.',
    ]),
  }))];
}

const CATALOG_SOURCES = ['catalog/runbooks.catalog.json'];

export function grafanaProvisioningFiles(input: GenerateInput): GeneratedFile[] {
  return grafanaAlertingFiles(input.catalog).map(({ name, file }) => ({
    path: `provisioning/alerting/${name}`,
    content: generatedYaml(file, CATALOG_SOURCES, [
      'Grafana alerting provisioning (apiVersion 1). $OPSDECK_WEBHOOK_TOKEN is read from Grafana\'s environment.',
    ]),
  }));
}

/** The dashboards, built with @grafana/grafana-foundation-sdk; the provisioning file provider loads dashboards/. */
export function dashboardFiles(input: GenerateInput): GeneratedFile[] {
  return [
    { path: 'dashboards/opsdeck-golden-signals.json', content: generatedDashboardJson(goldenSignalsDashboard(input.catalog)) },
    { path: 'dashboards/opsdeck-domain-signals.json', content: generatedDashboardJson(domainSignalsDashboard(input.catalog)) },
    { path: 'dashboards/opsdeck-slo-burn.json', content: generatedDashboardJson(sloBurnDashboard(input.catalog, input.slos, input.policy)) },
    { path: 'dashboards/opsdeck-overview.json', content: generatedDashboardJson(overviewDashboard()) },
    { path: 'dashboards/opsdeck-ops-kpis.json', content: generatedDashboardJson(opsKpisDashboard()) },
  ];
}

/** Every generated file, sorted by path. */
export function generateFiles(input: GenerateInput): GeneratedFile[] {
  return [...prometheusRuleFiles(input), ...grafanaProvisioningFiles(input), ...dashboardFiles(input)].sort((a, b) =>
    a.path.localeCompare(b.path)
  );
}
