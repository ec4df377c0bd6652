/**
 * GET /api/v1/slos/status on both stores: backend mode reads the SLO recording rules from a
 * Prometheus (here a stub speaking the HTTP API), in_memory mode says what it cannot know and shows
 * the burn alerts the intake stored, and a failing backend degrades to in_memory with the reason.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SloStatusList, type SloStatus } from '../../src/contract/slo';
import { SLO_BACKEND_QUERIES } from '../../src/api/slo/status';
import { buildTestApp, REPO_CATALOG_DIR, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';

type Vector = Array<{ metric: Record<string, string>; value: [number, string] }>;

const AVAILABILITY = 'api-gateway-requests-availability';
const LATENCY = 'api-gateway-requests-latency';

/** Answers /api/v1/query like Prometheus, from canned vectors per query; records what was asked. */
async function fakePrometheus(
  vectors: Record<string, Vector>,
  status = 200
): Promise<{ url: string; asked: string[]; server: Server }> {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const query = new URLSearchParams(body).get('query') ?? '';
      asked.push(query);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        status === 200
          ? JSON.stringify({ status: 'success', data: { resultType: 'vector', result: vectors[query] ?? [] } })
          : JSON.stringify({ status: 'error', errorType: 'internal', error: 'boom' })
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked, server };
}

const sample = (labels: Record<string, string>, value: number) => ({
  metric: labels,
  value: [1_700_000_000, String(value)] as [number, string],
});

const BACKEND: Record<string, Vector> = {
  'slo:period_error_budget_remaining:ratio': [
    sample({ sloth_id: AVAILABILITY }, 0.2),
    sample({ sloth_id: LATENCY }, 0.9),
  ],
  'slo:burn_rate:ratio': [
    sample({ sloth_id: AVAILABILITY, sloth_window: '5m' }, 4.2),
    sample({ sloth_id: AVAILABILITY, sloth_window: '1h' }, 3.9),
    sample({ sloth_id: AVAILABILITY, sloth_window: '1d' }, 3.1),
    sample({ sloth_id: LATENCY, sloth_window: '5m' }, 0.1),
  ],
  'slo:error_budget_policy_state == 1': [sample({ sloth_id: AVAILABILITY, state: 'critical' }, 1)],
  'ALERTS{alertstate="firing", sloth_id!=""}': [
    sample({ alertname: 'ApiAvailabilityBudgetBurn', sloth_id: AVAILABILITY, sloth_severity: 'ticket' }, 1),
    sample(
      {
        alertname: 'ErrorBudgetSlowBurn',
        sloth_id: AVAILABILITY,
        sloth_severity: 'ticket',
        opsdeck_budget_alert: 'slow_burn',
      },
      1
    ),
    sample({ alertname: 'ErrorBudgetDepleted', sloth_id: AVAILABILITY, opsdeck_budget_alert: 'depleted' }, 1),
  ],
};

async function storeFiringBurnAlert(testStore: TestStore, slothId: string, severity: 'page' | 'ticket') {
  await storeFiringSloAlert(testStore, slothId, 'ApiAvailabilityBudgetBurn', { sloth_severity: severity });
}

async function storeFiringSloAlert(
  testStore: TestStore,
  slothId: string,
  alertname: string,
  labels: Record<string, string>
) {
  const now = new Date('2026-11-23T10:00:00Z');
  await testStore.store.query(
    `INSERT INTO incidents (id, grouping_key, title, status, severity, tenant, project, missing_runbook, opened_at, updated_at, last_alert_at)
     VALUES ($1, $2, $3, 'detected', 'sev1', 'platform', 'platform', false, $4, $4, $4)`,
    [`inc-${slothId}-${alertname}`, alertname, 'burn', now]
  );
  await testStore.store.query(
    `INSERT INTO alerts (incident_id, fingerprint, source, alertname, status, severity, labels, annotations, starts_at,
                         missing_runbook, first_received_at, last_received_at, delivery_correlation_id)
     VALUES ($1, $2, 'alertmanager', $5, 'firing', 'sev1', $3, '{}', $4, false, $4, $4, 'req-test-0001')`,
    [
      `inc-${slothId}-${alertname}`,
      `fp-${slothId}-${alertname}`,
      JSON.stringify({ alertname, sloth_id: slothId, ...labels }),
      now,
      alertname,
    ]
  );
}

describe.each(storeKinds('SLO status API'))('GET /api/v1/slos/status (%s store)', (kind) => {
  let testStore: TestStore;
  const apps: TestApp[] = [];
  const servers: Server[] = [];

  const app = async (env: Record<string, string> = {}) => {
    const built = await buildTestApp(testStore.store, {
      catalogDir: REPO_CATALOG_DIR,
      env,
      now: () => new Date('2026-11-23T12:00:00Z'),
    });
    apps.push(built);
    return built;
  };
  const statusOf = async (t: TestApp, url = '/api/v1/slos/status') => {
    const response = await t.app.inject({ method: 'GET', url, headers: t.auth() });
    expect(response.statusCode).toBe(200);
    return SloStatusList.parse(response.json());
  };
  const item = (list: { items: SloStatus[] }, id: string) => list.items.find((entry) => entry.id === id);

  beforeAll(async () => {
    testStore = await openTestStore(kind);
  });
  afterAll(async () => {
    await Promise.all(apps.map((t) => t.app.close()));
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await testStore.dispose();
  });

  it('needs the service token', async () => {
    const t = await app();
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/slos/status' });
    expect(response.statusCode).toBe(401);
  });

  it('in_memory: lists every SLO of catalog/slos with its runbook, says budgets are unknown, and shows stored burn alerts', async () => {
    const t = await app();
    const before = await statusOf(t);
    expect(before.source_mode).toBe('in_memory');
    expect(before.degraded).toBe(false);
    expect(before.guidance).toContain('OPSDECK_PROMETHEUS_URL');
    expect(before.items.map((s) => s.id).sort()).toEqual([
      AVAILABILITY,
      LATENCY,
      'fleet-agent-communication-latency',
      'fleet-telemetry-telemetry-freshness',
      'provisioning-dispatcher-requests-success',
    ]);
    expect(item(before, AVAILABILITY)).toMatchObject({
      service: 'api-gateway',
      objective: 99.5,
      runbook_id: 'ops.api.error_rate',
      error_budget_remaining: null,
      alert_state: 'unknown',
      budget_policy_state: null,
      source_mode: 'in_memory',
    });
    expect(Object.values(item(before, AVAILABILITY)?.burn_rates ?? {})).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);

    await storeFiringBurnAlert(testStore, AVAILABILITY, 'page');
    const after = await statusOf(t);
    expect(item(after, AVAILABILITY)?.alert_state).toBe('page');
    expect(item(after, LATENCY)?.alert_state).toBe('unknown');
  });

  it('in_memory: a delivered depleted policy alert makes the state depleted (critical stays unknown without Prometheus)', async () => {
    await storeFiringSloAlert(testStore, LATENCY, 'ErrorBudgetDepleted', { opsdeck_budget_alert: 'depleted' });
    const list = await statusOf(await app());
    expect(list.guidance).toContain('critical needs Prometheus');
    expect(item(list, LATENCY)).toMatchObject({
      budget_policy_state: 'depleted',
      policy_alerts: ['depleted'],
      obligation: expect.stringContaining('Feature freeze'),
      alert_state: 'unknown',
      owner: 'core-api',
      dashboard_url: '/d/opsdeck-slo-burn?viewPanel=204',
    });
    expect(item(list, AVAILABILITY)).toMatchObject({ budget_policy_state: null, obligation: null, policy_alerts: [] });
  });

  it('backend: reads the recording rules and ALERTS, derives what a rule does not record', async () => {
    const prometheus = await fakePrometheus(BACKEND);
    servers.push(prometheus.server);
    const t = await app({ OPSDECK_PROMETHEUS_URL: prometheus.url });
    const list = await statusOf(t);
    expect(prometheus.asked.sort()).toEqual([...SLO_BACKEND_QUERIES].sort());
    expect(list).toMatchObject({ source_mode: 'backend', degraded: false, generated_at: '2026-11-23T12:00:00.000Z' });
    expect(item(list, AVAILABILITY)).toMatchObject({
      error_budget_remaining: 0.2,
      burn_rates: { '5m': 4.2, '30m': null, '1h': 3.9, '2h': null, '6h': null, '1d': 3.1, '3d': null },
      alert_state: 'ticket',
      budget_policy_state: 'critical',
      source_mode: 'backend',
      policy_alerts: ['slow_burn', 'depleted'],
      obligation: expect.stringContaining('Emergency freeze'),
      owner: 'core-api',
      dashboard_url: '/d/opsdeck-slo-burn?viewPanel=104',
    });
    // no policy-state series recorded yet: derived from the budget with catalog/error-budget-policy.yaml
    expect(item(list, LATENCY)).toMatchObject({
      error_budget_remaining: 0.9,
      alert_state: 'ok',
      budget_policy_state: 'remaining',
    });
    // an SLO without series (new, no traffic) is unknown, not ok
    expect(item(list, 'fleet-agent-communication-latency')).toMatchObject({
      error_budget_remaining: null,
      alert_state: 'unknown',
      budget_policy_state: null,
    });
  });

  it('filters by service', async () => {
    const t = await app();
    const list = await statusOf(t, '/api/v1/slos/status?service=fleet-telemetry');
    expect(list.items.map((s) => s.id)).toEqual(['fleet-telemetry-telemetry-freshness']);
    // panel IDs follow the SLO's place among all SLOs, not among the filtered ones
    expect(list.items[0].dashboard_url).toBe('/d/opsdeck-slo-burn?viewPanel=404');
  });

  it('degrades to in_memory, saying why, when the backend fails or is unreachable', async () => {
    const failing = await fakePrometheus({}, 500);
    servers.push(failing.server);
    const broken = await statusOf(await app({ OPSDECK_PROMETHEUS_URL: failing.url }));
    expect(broken).toMatchObject({ source_mode: 'in_memory', degraded: true });
    expect(broken.guidance).toContain('Prometheus rejected');
    expect(item(broken, AVAILABILITY)?.alert_state).toBe('page');

    const unreachable = await statusOf(await app({ OPSDECK_PROMETHEUS_URL: 'http://127.0.0.1:1' }));
    expect(unreachable).toMatchObject({ source_mode: 'in_memory', degraded: true });
    expect(unreachable.guidance).toContain('unreachable');
  });
});
