import { gunzipSync } from 'node:zlib';

import { AccessFile } from '../../src/contract/access';
import { OpsOverview, OVERVIEW_SECTIONS } from '../../src/contract/overview';
import { type TestApp } from '../support/app';
import { storeKinds } from '../support/stores';
import { anAlert, anAlertmanagerPayload, everyProject, ingest, listIncidents, useIncidentsApp } from './builders';
import { startFakePrometheus, type FakePrometheus } from './fake-prometheus';

const viewer = { 'x-opsdeck-capability': 'incidents:read', 'x-grafana-user': 'watcher' };

async function overview(t: TestApp, headers: Record<string, string> = viewer) {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/admin/ops/overview', headers: t.auth(headers) });
  if (response.statusCode !== 200) {
    throw new Error(`overview answered ${response.statusCode}: ${response.body}`);
  }
  return { raw: response.json() as Record<string, unknown>, body: OpsOverview.parse(response.json()), response };
}

/** A pending request on the first incident of that project (seed() must have opened one there). */
async function insertPendingApproval(t: TestApp, id: string, tenant: string, project: string, expiresAt: string) {
  await t.app.store.query(
    `INSERT INTO approvals (id, incident_id, tenant, project, action_id, action_title, risk_class, status, requires_approval,
       policy_reason, min_approvals, requested_by, requested_at, expires_at, parameters, evidence, similar_past_outcomes,
       saved_query_links, correlation_id, updated_at)
     VALUES ($1, (SELECT min(id) FROM incidents WHERE tenant = $2 AND project = $3), $2, $3, 'restart', 'Restart', 'R2', 'pending', true, 'R2 needs approval', 1, 'oncall-primary',
       '2026-11-23T10:00:00Z', $4, '{}', '{}', '[]', '[]', 'req-approval-0001', '2026-11-23T10:00:00Z')`,
    [id, tenant, project, expiresAt]
  );
}

describe.each(storeKinds('ops overview'))('ops overview on %s', (kind) => {
  const suite = useIncidentsApp(kind);
  const { t, clock } = suite;
  let backend: TestApp;
  let prometheus: FakePrometheus;

  beforeAll(async () => {
    prometheus = await startFakePrometheus();
    backend = await suite.anotherApp({
      env: { OPSDECK_PROMETHEUS_URL: prometheus.url, OPSDECK_HOST_ROLE: 'app_control' },
    });
  }, 60_000);
  afterAll(async () => {
    await prometheus.close();
  });

  async function seed() {
    await ingest(
      t,
      anAlertmanagerPayload([
        anAlert({
          labels: { alertname: 'Dlq', signal_key: 'dlq_backlog_present', severity: 'warning', service: 'outbox-relay' },
          annotations: {},
        }),
        anAlert({
          labels: { alertname: 'Noise', severity: 'warning', service: 'billing-worker', host_role: 'worker_compute' },
          annotations: {},
        }),
      ])
    );
    clock.advance(60);
    await ingest(
      t,
      anAlertmanagerPayload([
        anAlert({
          labels: {
            alertname: 'Outbox',
            signal_key: 'outbox_relay_degraded',
            severity: 'critical',
            service: 'outbox-relay',
            host_role: 'platform_control',
          },
        }),
        anAlert({
          labels: {
            alertname: 'ApiErrors',
            signal_key: 'api_error_rate_high',
            severity: 'warning',
            tenant: 't-acme',
            project: 'p-vision',
            service: 'api-gateway',
          },
          annotations: { slo_burn_rate: '14.4', correlation_id: 'req-overview-0001' },
        }),
      ])
    );
    clock.advance(60);
  }

  it('answers the five sections in order, in_memory without a backend', async () => {
    await seed();
    const { raw, body } = await overview(t);
    expect(Object.keys(raw)).toEqual([...OVERVIEW_SECTIONS]);
    expect(body.decision_header).toMatchObject({
      generated_at: '2026-11-23T10:02:30.000Z',
      source_mode: 'in_memory',
      degraded: false,
      guidance: null,
      // No heartbeat arrived (tests/incidents/heartbeat.test.ts covers them): the path is unproven, not stale.
      data_freshness_seconds: null,
      stale: false,
      stale_after_seconds: 300,
      open_incidents: { total: 4, by_severity: { sev1: 1, sev2: 0, sev3: 3, sev4: 0 } },
      pending_approvals: 0,
    });
    expect(body.investigation_tools.correlation_search.endpoint).toBe('/api/v1/correlations/{correlation_id}');
  });

  it('orders action cards by severity, then SLO burn, then age, each with runbooks or the missing_runbook flag', async () => {
    await seed();
    const { body } = await overview(t);
    expect(body.action_required.cards.map((card) => [card.title, card.severity])).toEqual([
      ['Outbox relay is not draining', 'sev1'],
      ['API error rate high', 'sev3'],
      ['Dead-letter queue backlog', 'sev3'],
      ['Noise', 'sev3'],
    ]);
    const [outbox, api, dlq, noise] = body.action_required.cards;
    expect(outbox).toMatchObject({
      runbooks: [expect.objectContaining({ id: 'ops.outbox.relay' })],
      missing_runbook: false,
      first_saved_query: expect.objectContaining({ id: 'outbox_relay_lag' }),
    });
    // Same severity: the one burning its SLO first, then the older ones.
    expect(api).toMatchObject({
      signal_key: 'api_error_rate_high',
      slo_burn_rate: 14.4,
      tenant: 't-acme',
      age_seconds: 60,
    });
    expect(dlq).toMatchObject({
      signal_key: 'dlq_backlog_present',
      age_seconds: 120,
      runbooks: [expect.objectContaining({ id: 'ops.queue.backlog' })],
    });
    expect(noise).toMatchObject({ missing_runbook: true, runbooks: [], first_saved_query: null });
  });

  it('names the unknown runbook_id an alert declared on its no-runbook card (issue 15)', async () => {
    await ingest(
      t,
      anAlertmanagerPayload([
        anAlert({
          labels: { alertname: 'Typo', severity: 'warning', service: 'billing-worker' },
          annotations: { runbook_id: 'ops.billing.typo' },
        }),
        anAlert({ labels: { alertname: 'Plain', severity: 'warning', service: 'billing-api' }, annotations: {} }),
      ])
    );
    const { body } = await overview(t);
    const byTitle = new Map(body.action_required.cards.map((card) => [card.title, card]));
    expect(byTitle.get('Typo')).toMatchObject({ missing_runbook: true, unknown_runbook_ids: ['ops.billing.typo'] });
    expect(byTitle.get('Plain')).toMatchObject({ missing_runbook: true, unknown_runbook_ids: [] });
  });

  it('shows every health block with its investigation path; in_memory reads the process counters and open incidents', async () => {
    await seed();
    await overview(t);
    const { body } = await overview(t);
    const blocks = body.health_summary.blocks;
    expect(blocks.map((block) => [block.key, block.kind])).toEqual([
      ['latency_p95', 'golden'],
      ['traffic', 'golden'],
      ['error_ratio', 'golden'],
      ['saturation', 'golden'],
      ['queue_backlog', 'domain'],
      ['outbox_relay', 'domain'],
      ['telemetry_freshness', 'domain'],
      ['database_latency', 'domain'],
    ]);
    for (const block of blocks) {
      expect(block.investigation.dashboard_url).toBe(
        `/d/${block.investigation.dashboard_uid}?viewPanel=${block.investigation.panel_id}`
      );
      expect(block.investigation.query_id).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    const byKey = Object.fromEntries(blocks.map((block) => [block.key, block]));
    expect(byKey.latency_p95.investigation).toMatchObject({ dashboard_uid: 'opsdeck-golden-signals', panel_id: 1 });
    expect(byKey.error_ratio.investigation).toMatchObject({
      panel_id: 3,
      query_id: 'error_rate_by_service',
      runbook_id: 'ops.api.error_rate',
    });
    expect(byKey.outbox_relay.investigation).toMatchObject({
      dashboard_uid: 'opsdeck-domain-signals',
      panel_id: 201,
      query_id: 'outbox_relay_lag',
      runbook_id: 'ops.outbox.relay',
    });
    expect(byKey.outbox_relay.investigation.explore_url).not.toBeNull();
    // The fixture catalog has no telemetry runbook: the path says so instead of naming a missing one.
    expect(byKey.telemetry_freshness.investigation.runbook_id).toBeNull();
    // Golden blocks from this process's own requests (the suite has made some), domain blocks from incidents.
    expect(byKey.traffic.value).toBeGreaterThan(0);
    // The api_error_rate_high incident fires: the block shows it, not this process's 0% (issue 15).
    expect(byKey.error_ratio).toMatchObject({ value: null, status: 'warn', measures: 'open_incidents' });
    expect(byKey.outbox_relay).toMatchObject({ value: null, status: 'crit' });
    expect(byKey.queue_backlog).toMatchObject({ value: null, status: 'warn' });
    expect(byKey.database_latency).toMatchObject({ value: null, status: 'unknown' });
  });

  it('never shows a block OK beside a firing incident of its signal, and says what each block measures (issue 15)', async () => {
    await seed();
    for (const app of [t, backend]) {
      if (app === backend) {
        // The backend reads 0% 5xx and idle CPU: the firing incidents still win.
        prometheus.answer((query) =>
          query.includes('code=~"5.."') || query.includes('node_cpu_seconds_total')
            ? { samples: [{ labels: { service: 'api-gateway' }, value: 0 }] }
            : { samples: [] }
        );
      }
      const { body } = await overview(app);
      const byKey = Object.fromEntries(body.health_summary.blocks.map((block) => [block.key, block]));
      // api_error_rate_high fires (sev3), outbox_relay_degraded (sev1): neither block is OK.
      expect(byKey.error_ratio).toMatchObject({ status: 'warn', open_incidents: 1 });
      expect(byKey.outbox_relay).toMatchObject({ status: 'crit', open_incidents: 1 });
      expect(byKey.error_ratio.basis).toContain('open incident');
      // Traffic has no alarm level: no "crit < 0 requests/s".
      expect(byKey.traffic.threshold).toBeNull();
      expect(byKey.traffic.status).not.toBe('crit');
    }
    const { body } = await overview(t);
    const byKey = Object.fromEntries(body.health_summary.blocks.map((block) => [block.key, block]));
    // Without a backend: a golden block with no incident says it shows this API process.
    expect(byKey.latency_p95).toMatchObject({ measures: 'api_process', open_incidents: 0 });
    expect(byKey.latency_p95.basis).toContain('this Opsdeck API process');
    expect(byKey.error_ratio).toMatchObject({ measures: 'open_incidents', value: null });
    expect(byKey.database_latency).toMatchObject({ measures: 'nothing', status: 'unknown', value: null });
  });

  it('lists in "saved queries relevant now" every query a card offers: one rule for both (issue 15)', async () => {
    await seed();
    await ingest(
      t,
      anAlertmanagerPayload([
        anAlert({
          labels: { alertname: 'Triage', severity: 'warning', service: 'api-gateway' },
          annotations: { runbook_id: 'ops.correlation.triage', summary: 'Triage by correlation' },
        }),
      ])
    );
    const { body } = await overview(t);
    const offered = body.action_required.cards.flatMap((card) =>
      card.first_saved_query ? [card.first_saved_query.id] : []
    );
    expect(offered.length).toBeGreaterThan(0);
    const listed = body.investigation_tools.saved_queries.map((query) => query.id);
    for (const id of offered) {
      expect(listed).toContain(id);
    }
  });

  it('lists the saved queries of open incidents and fleet rows per host role and service', async () => {
    await seed();
    await overview(t);
    const { body } = await overview(t);
    expect(body.investigation_tools.saved_queries.map((query) => query.id)).toEqual([
      'outbox_relay_lag',
      'error_rate_by_service',
      'dlq_depth_by_queue',
    ]);
    expect(body.investigation_tools.saved_queries[0].reason).toMatch(
      /1 open incident on Outbox relay degraded \(worst sev1\)/
    );
    const rows = body.fleet_detail.rows;
    expect(rows.slice(0, 3)).toEqual([
      expect.objectContaining({
        kind: 'host_role',
        key: 'platform_control',
        open_incidents: 1,
        firing_alerts: 1,
        worst_severity: 'sev1',
      }),
      expect.objectContaining({
        kind: 'host_role',
        key: 'app_control',
        open_incidents: 0,
        worst_severity: null,
        requests: 0,
        errors: 0,
      }),
      expect.objectContaining({ kind: 'host_role', key: 'worker_compute', open_incidents: 1, worst_severity: 'sev3' }),
    ]);
    // This process runs as platform_control (the default OPSDECK_HOST_ROLE) and has answered requests.
    expect(rows[0].requests).toBeGreaterThan(0);
    expect(rows.slice(3).map((row) => [row.kind, row.key, row.open_incidents])).toEqual([
      ['service', 'outbox-relay', 2],
      ['service', 'api-gateway', 1],
      ['service', 'billing-worker', 1],
    ]);
  });

  it('narrows to the X-Project-ID scope, pending approvals included', async () => {
    await seed();
    await insertPendingApproval(t, 'A1', 't-acme', 'p-vision', '2026-11-23T12:00:00Z');
    await insertPendingApproval(t, 'A2', 'platform', 'platform', '2026-11-23T12:00:00Z');
    await insertPendingApproval(t, 'A3', 't-acme', 'p-vision', '2026-11-23T10:01:00Z');
    const { body } = await overview(t, { ...viewer, 'x-project-id': 't-acme/p-vision' });
    expect(body.decision_header.open_incidents.total).toBe(1);
    expect(body.decision_header.pending_approvals).toBe(1);
    expect(body.action_required.cards.map((card) => card.project)).toEqual(['p-vision']);
    const all = await overview(t, { ...viewer, 'x-project-id': '*' });
    expect(all.body.decision_header).toMatchObject({
      pending_approvals: 2,
      open_incidents: expect.objectContaining({ total: 4 }),
    });
  });

  it('gives every project only to a global grant; a member of named projects must name one', async () => {
    await seed();
    const original = t.app.catalog.current();
    t.app.catalog.replace({
      ...original,
      access: AccessFile.parse({
        version: 1,
        global: [{ role: 'operator', users: ['sre-on-call'] }],
        projects: [{ tenant: 't-acme', project: 'p-vision', bindings: [{ role: 'viewer', users: ['acme-observer'] }] }],
      }),
    });
    try {
      const member = await overview(t, {
        'x-opsdeck-capability': 'incidents:read',
        'x-grafana-user': 'acme-observer',
        'x-project-id': 'p-vision',
      });
      expect(member.body.decision_header.open_incidents.total).toBe(1);
      expect(member.body.action_required.cards.map((card) => card.project)).toEqual(['p-vision']);
      const withoutHeader = await t.app.inject({
        method: 'GET',
        url: '/api/v1/admin/ops/overview',
        headers: t.auth({ 'x-opsdeck-capability': 'incidents:read', 'x-grafana-user': 'acme-observer' }),
      });
      expect(withoutHeader.statusCode).toBe(400);
      const global = await overview(t, { 'x-opsdeck-capability': 'incidents:read', 'x-grafana-user': 'sre-on-call' });
      expect(global.body.decision_header.open_incidents.total).toBe(4);
      const everyProjectAsMember = await t.app.inject({
        method: 'GET',
        url: '/api/v1/admin/ops/overview',
        headers: t.auth({
          'x-opsdeck-capability': 'incidents:read',
          'x-grafana-user': 'acme-observer',
          'x-project-id': '*',
        }),
      });
      expect(everyProjectAsMember.statusCode).toBe(403);
    } finally {
      t.app.catalog.replace(original);
    }
  });

  it('counts only open incidents; a quiet intake is not stale without a late heartbeat', async () => {
    await seed();
    const [incident] = (await listIncidents(t, '?signal=dlq_backlog_present')).items;
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/transitions`,
      headers: t.auth(everyProject),
      payload: { to: 'resolved' },
    });
    expect(moved.statusCode).toBe(200);
    clock.advance(301);
    const { body } = await overview(t);
    expect(body.decision_header).toMatchObject({ data_freshness_seconds: null, stale: false });
    expect(body.decision_header.open_incidents.total).toBe(3);
    expect(body.action_required.cards.map((card) => card.incident_id)).not.toContain(incident.id);
  });

  it('reflects every change to incidents at once, whoever makes it', async () => {
    await seed();
    const before = await overview(t);
    expect(before.body.decision_header.open_incidents.by_severity).toEqual({ sev1: 1, sev2: 0, sev3: 3, sev4: 0 });
    // An intake, a lifecycle move and a raw write by another part of the API: each shows on the next call.
    await ingest(
      t,
      anAlertmanagerPayload([
        anAlert({
          labels: { alertname: 'Db', signal_key: 'database_latency_high', severity: 'sev2' },
          annotations: {},
        }),
      ])
    );
    expect((await overview(t)).body.decision_header.open_incidents.by_severity).toEqual({
      sev1: 1,
      sev2: 1,
      sev3: 3,
      sev4: 0,
    });
    const [outbox] = (await listIncidents(t, '?severity=sev1')).items;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${outbox.id}/transitions`,
      headers: t.auth(everyProject),
      payload: { to: 'resolved' },
    });
    expect((await overview(t)).body.decision_header.open_incidents.by_severity).toEqual({
      sev1: 0,
      sev2: 1,
      sev3: 3,
      sev4: 0,
    });
    await t.app.store.query(
      "UPDATE incidents SET severity = 'sev4' WHERE severity = 'sev3' AND service = 'billing-worker'"
    );
    const after = await overview(t);
    expect(after.body.decision_header.open_incidents.by_severity).toEqual({ sev1: 0, sev2: 1, sev3: 2, sev4: 1 });
    expect(after.body.action_required.cards.map((card) => card.severity)).toEqual(['sev2', 'sev3', 'sev3', 'sev4']);
  });

  it('evaluates the blocks with PromQL in backend mode', async () => {
    await seed();
    prometheus.answer((query) => {
      if (query.includes('outbox_oldest_pending_age_seconds')) {
        return {
          samples: [
            { labels: { service: 'outbox-relay' }, value: 420 },
            { labels: { service: 'other' }, value: 12 },
          ],
        };
      }
      if (query.includes('dlq_messages_pending')) {
        return { samples: [{ labels: { queue: 'billing' }, value: 0 }] };
      }
      if (query.startsWith('sum by (host_role) (increase(http_requests_total{code')) {
        return { samples: [{ labels: { host_role: 'worker_compute' }, value: 7 }] };
      }
      if (query.startsWith('sum by (host_role) (increase(http_requests_total[')) {
        return {
          samples: [
            { labels: { host_role: 'worker_compute' }, value: 700 },
            { labels: { host_role: 'app_control' }, value: 50 },
          ],
        };
      }
      if (query.startsWith('sum by (service) (increase(http_requests_total[')) {
        return { samples: [{ labels: { service: 'inference-service' }, value: 99 }] };
      }
      if (query.includes('db_query_duration_seconds_bucket')) {
        return { samples: [{ labels: { db: 'orders' }, value: 0.12 }] };
      }
      return { samples: [] };
    });
    const { body } = await overview(backend);
    expect(body.decision_header).toMatchObject({
      source_mode: 'backend',
      degraded: false,
      guidance: null,
      data_freshness_seconds: null,
    });
    const byKey = Object.fromEntries(body.health_summary.blocks.map((block) => [block.key, block]));
    expect(byKey.outbox_relay).toMatchObject({ value: 420, status: 'crit', threshold: 300 });
    // Prometheus reads 0, but the DLQ incident still fires: never OK beside it (issue 15).
    expect(byKey.queue_backlog).toMatchObject({ value: 0, status: 'warn', open_incidents: 1 });
    expect(byKey.database_latency).toMatchObject({ value: 0.12, status: 'warn' });
    expect(byKey.latency_p95).toMatchObject({ value: null, status: 'unknown' });
    const rows = Object.fromEntries(body.fleet_detail.rows.map((row) => [`${row.kind}:${row.key}`, row]));
    expect(rows['host_role:worker_compute']).toMatchObject({ requests: 700, errors: 7, open_incidents: 1 });
    expect(rows['host_role:app_control']).toMatchObject({ requests: 50, errors: 0 });
    expect(rows['service:inference-service']).toMatchObject({ requests: 99, open_incidents: 0 });
    expect(prometheus.queries).toContain('max by (service) (outbox_oldest_pending_age_seconds)');
    const metrics = await backend.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('opsdeck_overview_source_mode{mode="backend"} 1');
  });

  it('falls back to in_memory with degraded and guidance when the backend errors', async () => {
    await seed();
    prometheus.answer(() => ({ httpStatus: 503, body: 'overloaded' }));
    expect(
      (await backend.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: backend.auth(everyProject) }))
        .statusCode
    ).toBe(200);
    const { body } = await overview(backend);
    expect(body.decision_header).toMatchObject({
      source_mode: 'in_memory',
      degraded: true,
      data_freshness_seconds: null,
    });
    expect(body.decision_header.guidance).toContain('http_503');
    expect(body.decision_header.guidance).toContain(prometheus.url);
    expect(body.decision_header.guidance).toContain('ops.metrics.source_mode');
    // This replica runs as app_control: its own counters show there.
    const appControl = body.fleet_detail.rows.find((row) => row.key === 'app_control');
    expect(appControl?.requests).toBeGreaterThan(0);
    const metrics = await backend.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/opsdeck_overview_backend_errors_total\{reason="http_503"\} [1-9]/);
    expect(metrics.body).toContain('opsdeck_overview_source_mode{mode="in_memory"} 1');
  });

  it('answers within the 2 s budget, degraded, when the backend hangs', async () => {
    prometheus.answer(() => ({ hang: true }));
    const started = Date.now();
    const { body } = await overview(backend);
    const elapsed = Date.now() - started;
    expect(body.decision_header).toMatchObject({ source_mode: 'in_memory', degraded: true });
    expect(body.decision_header.guidance).toMatch(/timeout: Prometheus did not answer within 2000 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(1900);
  }, 20_000);

  it('needs only the viewer role and refuses a caller without the token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/ops/overview' })).statusCode).toBe(401);
    const { response } = await overview(t, {});
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-encoding']).toBeUndefined();
  });

  it('sends the same answer gzipped to a caller that accepts it', async () => {
    await seed();
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/ops/overview',
      headers: t.auth({ ...viewer, 'accept-encoding': 'gzip, deflate, br' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'accept-encoding' });
    const body = OpsOverview.parse(JSON.parse(gunzipSync(response.rawPayload).toString('utf8')));
    expect(body.decision_header.open_incidents.total).toBe(4);
  });
});
