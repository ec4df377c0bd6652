/**
 * Issue 15 point 1: data freshness answers one question — is the alert delivery path alive? — in both
 * source modes, from the always-firing heartbeat rules each sender delivers (alerts/prometheus/
 * opsdeck-heartbeat.yaml, the Grafana-managed rule in provisioning/alerting/opsdeck-rules.yaml).
 */
import { OpsOverview } from '../../src/contract/overview';
import { type TestApp } from '../support/app';
import { storeKinds } from '../support/stores';
import {
  aGrafanaPayload,
  anAlert,
  anAlertmanagerPayload,
  ingest,
  listIncidents,
  postGrafana,
  useIncidentsApp,
} from './builders';
import { startFakePrometheus, type FakePrometheus } from './fake-prometheus';

const viewer = { 'x-opsdeck-capability': 'incidents:read', 'x-grafana-user': 'watcher' };

async function header(t: TestApp) {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/admin/ops/overview', headers: t.auth(viewer) });
  expect(response.statusCode).toBe(200);
  return OpsOverview.parse(response.json()).decision_header;
}

/** What the generated Prometheus heartbeat rule fires (Watchdog-style). */
const prometheusHeartbeat = (status: 'firing' | 'resolved' = 'firing') =>
  anAlert({
    status,
    labels: { alertname: 'OpsdeckHeartbeat', opsdeck_heartbeat: 'true', severity: 'none' },
    annotations: { summary: 'Always firing: proves Prometheus → Alertmanager → Opsdeck delivers' },
  });

const grafanaHeartbeat = () => ({
  ...anAlert({
    labels: { alertname: 'Opsdeck heartbeat', opsdeck_heartbeat: 'true', grafana_folder: 'Opsdeck' },
    annotations: { summary: 'Always firing' },
  }),
  silenceURL: 'http://grafana.example:3000/alerting/silence/new',
  dashboardURL: '',
  panelURL: '',
  values: { A: 1 },
  valueString: '[ var=A value=1 ]',
});

describe.each(storeKinds('heartbeat freshness'))('heartbeat freshness on %s', (kind) => {
  const suite = useIncidentsApp(kind);
  const { t, clock } = suite;
  let backend: TestApp;
  let prometheus: FakePrometheus;

  beforeAll(async () => {
    prometheus = await startFakePrometheus();
    prometheus.answer(() => ({ samples: [] }));
    backend = await suite.anotherApp({ env: { OPSDECK_PROMETHEUS_URL: prometheus.url } });
  }, 60_000);
  afterAll(async () => {
    await prometheus.close();
  });

  async function heartbeatFromBoth() {
    await ingest(t, anAlertmanagerPayload([prometheusHeartbeat()], { groupKey: '{}:{alertname="OpsdeckHeartbeat"}' }));
    const grafana = await postGrafana(t, aGrafanaPayload([grafanaHeartbeat()]));
    expect(grafana.statusCode).toBe(200);
  }

  it('a quiet system whose heartbeats arrive is fresh, and a heartbeat opens no incident', async () => {
    // An alert heard an hour ago, nothing since: quiet, not stale, while the heartbeats keep arriving.
    await ingest(t, anAlertmanagerPayload([anAlert()]));
    clock.advance(3600);
    await heartbeatFromBoth();
    clock.advance(40);
    for (const app of [t, backend]) {
      const decision = await header(app);
      expect(decision).toMatchObject({ stale: false, data_freshness_seconds: 40 });
      expect(decision.delivery).toMatchObject({ state: 'alive', silent_senders: [] });
      expect(decision.delivery.senders.map((sender) => [sender.source, sender.heartbeats, sender.late])).toEqual([
        ['alertmanager', 1, false],
        ['grafana', 1, false],
      ]);
    }
    const open = await listIncidents(t);
    expect(open.items.map((incident) => incident.title)).not.toContain('OpsdeckHeartbeat');
    expect(open.items).toHaveLength(1);
  });

  it('goes stale in backend mode too when the heartbeats stop, naming the silent senders', async () => {
    await heartbeatFromBoth();
    clock.advance(60);
    await heartbeatFromBoth();
    clock.advance(7 * 60);
    for (const app of [backend, t]) {
      const decision = await header(app);
      expect(decision).toMatchObject({ stale: true, data_freshness_seconds: 420 });
      expect(decision.delivery).toMatchObject({ state: 'silent', silent_senders: ['alertmanager', 'grafana'] });
      expect(decision.delivery.senders.map((sender) => sender.heartbeats)).toEqual([2, 2]);
    }
  });

  it('a late sender is named alone while the other keeps beating; a resolved heartbeat proves nothing', async () => {
    await heartbeatFromBoth();
    clock.advance(6 * 60);
    await ingest(t, anAlertmanagerPayload([prometheusHeartbeat()]));
    const grafanaResolved = await postGrafana(
      t,
      aGrafanaPayload([{ ...grafanaHeartbeat(), status: 'resolved', endsAt: '2026-11-23T10:06:00Z' }])
    );
    expect(grafanaResolved.statusCode).toBe(200);
    const decision = await header(backend);
    expect(decision.stale).toBe(true);
    expect(decision.delivery.silent_senders).toEqual(['grafana']);
    expect(decision.data_freshness_seconds).toBe(360);
  });

  it('without any heartbeat the path is unproven, not stale, and says what to wire', async () => {
    await ingest(t, anAlertmanagerPayload([anAlert()]));
    clock.advance(3600);
    const decision = await header(t);
    expect(decision).toMatchObject({ stale: false, data_freshness_seconds: null });
    expect(decision.delivery).toMatchObject({ state: 'unproven', senders: [], silent_senders: [] });
  });
});
