/**
 * The error budget policy's alerts reach Opsdeck like every other alert and join the SLO's incident
 * (issue 18): labels and annotations are read from the GENERATED rule file, as Prometheus would send
 * them through Alertmanager, so this test follows the generator instead of copying it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

import type { PrometheusRuleFile, AlertingRule } from '../../src/catalog/slo/rules';
import { buildTestApp, REPO_CATALOG_DIR, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import { anAlert, anAlertmanagerPayload, incidentDetail, ingest, listIncidents } from '../incidents/builders';

const RULES = path.join(__dirname, '..', '..', 'alerts', 'prometheus', 'slo-provisioning-dispatcher.yaml');
// The labels the alert inherits from the recorded series it is computed from.
const SERIES_LABELS = {
  owner: 'provisioning',
  tier: 'platform',
  sloth_id: 'provisioning-dispatcher-requests-success',
  sloth_service: 'provisioning-dispatcher',
  sloth_slo: 'requests-success',
};

function generatedAlert(name: string, severity?: string) {
  const file = YAML.parse(readFileSync(RULES, 'utf8')) as PrometheusRuleFile;
  const rule = file.groups
    .flatMap((group) => group.rules)
    .find(
      (r): r is AlertingRule => 'alert' in r && r.alert === name && (!severity || r.labels.sloth_severity === severity)
    );
  if (!rule) {
    throw new Error(`no alert ${name} in ${RULES}`);
  }
  // Prometheus renders the summary's template; the budget figure does not matter here.
  const annotations = { ...rule.annotations, summary: rule.annotations.summary.replace(/\{\{.*\}\}/, '-4.02%') };
  return anAlert({ labels: { alertname: name, ...SERIES_LABELS, ...rule.labels }, annotations });
}

describe.each(storeKinds('SLO policy alerts intake'))('the policy alerts on %s', (kind) => {
  let testStore: TestStore;
  let t: TestApp;

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    t = await buildTestApp(testStore.store, {
      catalogDir: REPO_CATALOG_DIR,
      now: () => new Date('2026-11-23T10:05:00Z'),
    });
  }, 60_000);
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
  });

  it("open or join the SLO's incident, with the SLO's runbook", async () => {
    const sloth = await ingest(t, anAlertmanagerPayload([generatedAlert('ProvisioningSuccessBudgetBurn', 'page')]));
    const result = await ingest(
      t,
      anAlertmanagerPayload([generatedAlert('ErrorBudgetFastBurn'), generatedAlert('ErrorBudgetDepleted')])
    );
    // two new alerts (`created` counts alerts), both on the incident the Sloth page opened
    expect(result).toMatchObject({ received: 2, created: 2, missing_runbook: [] });
    expect(result.incident_ids).toEqual(sloth.incident_ids);

    const page = await listIncidents(t);
    expect(page.items).toHaveLength(1);
    expect(page.items[0].signal_key).toBe('provisioning_failure_rate_high');
    const detail = await incidentDetail(t, page.items[0].id);
    expect(detail.alerts.map((alert) => alert.alertname).sort()).toEqual([
      'ErrorBudgetDepleted',
      'ErrorBudgetFastBurn',
      'ProvisioningSuccessBudgetBurn',
    ]);
    expect(detail.runbooks.map((runbook) => runbook.id)).toContain('provisioning.pipeline.failures');
  });
});
