/**
 * A storm for the browser suite and bench/ops-page.bench.ts: `count` open incidents through the real
 * Alertmanager webhook (one alert each, distinct alertnames so none group together, mixed severities),
 * and both senders' heartbeats, so the delivery path reads alive.
 */
const SEVERITIES = ['critical', 'sev2', 'warning', 'sev4'];

async function post(apiUrl: string, path: string, webhookToken: string, body: unknown) {
  const response = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${webhookToken}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  }
}

export async function postHeartbeats(apiUrl: string, webhookToken: string) {
  const beat = (alertname: string) => ({
    status: 'firing',
    labels: { alertname, opsdeck_heartbeat: 'true' },
    annotations: { summary: 'Always firing' },
    startsAt: new Date(Date.now() - 3_600_000).toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: '',
  });
  await post(apiUrl, '/api/v1/alerts/alertmanager', webhookToken, {
    version: '4',
    groupKey: '{}:{alertname="OpsdeckHeartbeat"}',
    status: 'firing',
    receiver: 'opsdeck',
    alerts: [beat('OpsdeckHeartbeat')],
  });
  await post(apiUrl, '/api/v1/alerts/grafana', webhookToken, {
    receiver: 'opsdeck',
    status: 'firing',
    orgId: 1,
    groupKey: '{}/{alertname="Opsdeck heartbeat"}',
    version: '1',
    alerts: [beat('Opsdeck heartbeat')],
  });
}

export async function openStormIncidents(apiUrl: string, webhookToken: string, count: number) {
  for (let start = 0; start < count; start += 200) {
    const alerts = Array.from({ length: Math.min(200, count - start) }, (_, i) => {
      const n = start + i;
      return {
        status: 'firing',
        labels: {
          alertname: `StormAlert${n}`,
          severity: SEVERITIES[n % SEVERITIES.length],
          instance: `node-${n}`,
          service: `svc-${n % 17}`,
        },
        annotations: { summary: `Storm incident ${n}: node-${n} unreachable` },
        startsAt: new Date(Date.now() - n * 60_000).toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
      };
    });
    await post(apiUrl, '/api/v1/alerts/alertmanager', webhookToken, {
      version: '4',
      groupKey: `{}:{storm="${start}"}`,
      status: 'firing',
      receiver: 'opsdeck',
      alerts,
    });
  }
}
