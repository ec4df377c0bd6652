import path from 'node:path';

import { CatalogLoadError, loadCatalog, readCatalog } from '../../src/catalog/load';
import { FIXTURES_DIR } from '../lint/make-fixtures';

const REPO_ROOT = path.join(__dirname, '..', '..');

/** The signal keys issue 3 requires a runbook for. */
const REQUIRED_SIGNALS = [
  'outbox_relay_degraded',
  'dlq_backlog_present',
  'api_error_rate_high',
  'billing_worker_failures',
  'app_runtime_billing_reconciliation_failed',
  'app_runtime_billing_attribution_drift',
  'webhook_reconcile_failures',
  'database_latency_high',
  'provisioning_queue_depth_high',
  'provisioning_dispatch_latency_high',
  'provisioning_timeout_rate_high',
  'provisioning_failure_rate_high',
  'tenant_project_membership_denied',
  'project_context_missing',
  'user_onboarding_bootstrap_failed',
  'app_catalog_browse_failed',
  'app_catalog_entitlement_mutation_failed',
  'fleet_telemetry_api_error',
  'fleet_telemetry_data_stale',
  'app_operator_service_account_failed',
  'scheduler_reference_flow_failed',
  'app_runtime_mode_scope_mismatch',
  'enterprise_federation_oidc_failed',
  'enterprise_federation_saml_failed',
  'enterprise_federation_membership_denied',
  'enterprise_federation_state_invalid',
  'app_artifact_publish_intent_failed',
  'app_artifact_registration_failed',
  'app_artifact_promotion_failed',
  'app_artifact_trust_failed',
  'app_artifact_retirement_failed',
  'lab_control_stack_failed',
  'gpu_worker_host_degraded',
  'control_host_stack_failed',
  'cross_host_correlation_investigation',
  'cli_auth_failed',
  'cli_project_context_missing',
  'cli_command_failure',
  'python_sdk_request_failed',
  'python_sdk_auth_failed',
  'python_sdk_project_context_missing',
];
/** Platform runbooks issue 3 asks for besides the signal ones. */
const PLATFORM_RUNBOOKS = [
  'fleet.agent.connectivity',
  'ops.deploy.rollback',
  'ml.model.drift',
  'ops.correlation.triage',
  'tenancy.authz.triage',
  'ops.metrics.source_mode',
];
const REQUIRED_QUERIES = [
  'api_error_by_correlation_id',
  'terminal_gateway_by_correlation_id',
  'worker_events_by_correlation_id',
  'trace_by_id',
  'error_rate_by_service',
  'terminal_ws_outcomes',
  'terminal_resource_name_join',
  'provisioning_timeout_failure_window',
  'billing_webhook_reconcile_failures',
  'app_runtime_billing_reconciliation',
  'lab_control_plane_failure',
  'lab_control_host_failure',
  'lab_gpu_worker_failure',
  'host_role_correlation_sweep',
];

describe('the repository catalog', () => {
  let catalog: Awaited<ReturnType<typeof loadCatalog>>;
  beforeAll(async () => {
    catalog = await loadCatalog(path.join(REPO_ROOT, 'catalog'));
  });

  it('maps every required signal key to at least one runbook', () => {
    expect(REQUIRED_SIGNALS.filter((key) => !catalog.signals.has(key))).toEqual([]);
    expect(REQUIRED_SIGNALS.filter((key) => (catalog.runbooksBySignal.get(key) ?? []).length === 0)).toEqual([]);
  });

  it('has the platform runbooks, the required saved queries and at least fifteen symptoms', () => {
    expect(PLATFORM_RUNBOOKS.filter((id) => !catalog.runbooks.has(id))).toEqual([]);
    expect(REQUIRED_QUERIES.filter((id) => !catalog.queries.has(id))).toEqual([]);
    expect(catalog.symptoms.length).toBeGreaterThanOrEqual(15);
  });

  it('loads every runbook markdown with a checklist whose step IDs are unique', () => {
    for (const [id, document] of catalog.documents) {
      expect({ id, hasContent: typeof document.content === 'string' && document.content.length > 500 }).toEqual({
        id,
        hasContent: true,
      });
      expect(document.declaredId?.id).toBe(id);
      const ids = document.checklist.map((step) => step.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThan(3);
    }
  });

  it('knows the repository root, a content revision and the signal groups in order', () => {
    expect(catalog.root).toBe(REPO_ROOT);
    expect(catalog.revision).toMatch(/^[0-9a-f]{64}$/);
    const orders = catalog.signalGroups.map((group) => group.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(Object.isFrozen(catalog)).toBe(true);
  });
});

describe('loading a broken catalog', () => {
  it('throws CatalogLoadError with every structural violation and its line', async () => {
    const error = await loadCatalog(path.join(FIXTURES_DIR, 'runbook-required-field', 'catalog')).catch(
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(CatalogLoadError);
    expect((error as CatalogLoadError).violations).toEqual([
      expect.objectContaining({
        path: 'catalog/runbooks.catalog.json',
        rule: 'runbook-required-field',
        severity: 'error',
        line: expect.any(Number),
      }),
    ]);
  });

  it('serves a catalog whose only problems are governance findings (review, alerts, secrets)', async () => {
    for (const fixture of ['runbook-review-overdue', 'alert-runbook-id-missing', 'runbook-secret', 'runbook-url-unresolved']) {
      await expect(loadCatalog(path.join(FIXTURES_DIR, fixture, 'catalog'))).resolves.toBeDefined();
    }
  });

  it('keeps reading after the first problem so one run reports everything', async () => {
    const { violations, declared, catalog } = await readCatalog(path.join(FIXTURES_DIR, 'catalog-schema', 'catalog'));
    expect(violations.map((v) => v.rule)).toEqual(['catalog-schema']);
    expect(declared.queryIds.has('error_rate_by_service')).toBe(true);
    expect(catalog.queries.has('error_rate_by_service')).toBe(false);
    expect(catalog.runbooks.size).toBe(2);
  });

  it('indexes alert rules by the runbook they reference, from the given root', async () => {
    const root = path.join(FIXTURES_DIR, 'valid');
    const catalog = await loadCatalog(path.join(root, 'catalog'), { root });
    expect(catalog.alerts.files).toEqual(['alerts/prometheus/api.yaml', 'provisioning/alerting/outbox.yaml']);
    expect(catalog.alerts.byRunbook.get('ops.api.error_rate')?.map((rule) => rule.name)).toEqual(['ApiErrorRateHigh']);
    expect(catalog.alerts.byRunbook.get('ops.outbox.relay')?.map((rule) => rule.kind)).toEqual(['grafana']);
  });
});
