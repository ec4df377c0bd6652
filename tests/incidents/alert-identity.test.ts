/**
 * Issue 15 point 4: each alert of an incident carries a Silence link to its sender — Alertmanager's
 * `…/#/silences/new?filter=` built from the alert's labels, Grafana's own `silenceURL` — and never a
 * link with another scheme than http(s).
 */
import { storeKinds } from '../support/stores';
import {
  aGrafanaPayload,
  anAlert,
  anAlertmanagerPayload,
  incidentDetail,
  ingest,
  listIncidents,
  postGrafana,
  useIncidentsApp,
} from './builders';

const disk = (instance: string) =>
  anAlert({
    labels: { alertname: 'ObjectStoreDiskFull', severity: 'critical', instance, service: 'object-store' },
    annotations: { summary: `Disk full on ${instance}` },
  });

describe.each(storeKinds('alert silence links'))('alert silence links on %s', (kind) => {
  const { t } = useIncidentsApp(kind, {}, { realTime: true });

  it("builds Alertmanager's silence form from the alert's labels and the payload's externalURL", async () => {
    await ingest(
      t,
      anAlertmanagerPayload([disk('gpu-worker-17'), disk('gpu-worker-18')], { externalURL: 'http://am.example:9093/' })
    );
    const [incident] = (await listIncidents(t)).items;
    const detail = await incidentDetail(t, incident.id);
    const byInstance = Object.fromEntries(detail.alerts.map((alert) => [alert.labels.instance, alert.silence_url]));
    const filter = encodeURIComponent(
      '{alertname="ObjectStoreDiskFull", instance="gpu-worker-17", service="object-store", severity="critical"}'
    );
    expect(byInstance['gpu-worker-17']).toBe(`http://am.example:9093/#/silences/new?filter=${filter}`);
    expect(byInstance['gpu-worker-18']).toContain(encodeURIComponent('instance="gpu-worker-18"'));
  });

  it("keeps Grafana's silenceURL, and no link for a sender URL that is not http(s)", async () => {
    const grafanaAlert = (instance: string, silenceURL: string) => ({
      ...disk(instance),
      silenceURL,
      dashboardURL: '',
      panelURL: '',
      values: null,
      valueString: '',
    });
    const response = await postGrafana(
      t,
      aGrafanaPayload([
        grafanaAlert('gpu-worker-17', 'https://grafana.example/alerting/silence/new?matcher=instance%3Dgpu-worker-17'),
        grafanaAlert('gpu-worker-18', 'javascript:alert(1)'),
      ])
    );
    expect(response.statusCode).toBe(200);
    const [incident] = (await listIncidents(t)).items;
    const detail = await incidentDetail(t, incident.id);
    const byInstance = Object.fromEntries(detail.alerts.map((alert) => [alert.labels.instance, alert.silence_url]));
    expect(byInstance['gpu-worker-17']).toBe(
      'https://grafana.example/alerting/silence/new?matcher=instance%3Dgpu-worker-17'
    );
    expect(byInstance['gpu-worker-18']).toBeNull();
  });
});
