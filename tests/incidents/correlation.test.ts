import { ErrorEnvelope } from '../../src/contract/common';
import { CorrelationLookup } from '../../src/contract/correlation';
import { createRequestLog } from '../../src/api/correlation/request-log';
import { storeKinds } from '../support/stores';
import { everyProject, recordedGrafana, useIncidentsApp, webhookAuth } from './builders';

describe.each(storeKinds('correlation lookup'))('correlation lookup on %s', (kind) => {
  const { t } = useIncidentsApp(kind, {}, { realTime: true });

  async function lookup(correlationId: string, headers: Record<string, string> = everyProject) {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/correlations/${correlationId}`,
      headers: t.auth(headers),
    });
    expect(response.statusCode).toBe(200);
    return CorrelationLookup.parse(response.json());
  }

  it('finds the incidents and alerts that carry the ID, their trace IDs, and links to Loki and Tempo', async () => {
    const delivery = await t.app.inject({
      method: 'POST',
      url: '/api/v1/alerts/grafana',
      headers: { ...webhookAuth, 'x-correlation-id': 'grafana-delivery-0001' },
      payload: recordedGrafana('webhook-firing.json'),
    });
    expect(delivery.statusCode).toBe(200);

    const found = await lookup('req-7f3c9a1e-acme');
    expect(found.incidents.map((incident) => incident.signal_key)).toEqual(['api_error_rate_high']);
    expect(found.alerts.map((alert) => [alert.fingerprint, alert.incident_id])).toEqual([
      ['def15df1e1ef5266', found.incidents[0].id],
    ]);
    expect(found.trace_ids).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736']);
    expect(found.explore_links.map((link) => [link.datasource, link.query_id])).toEqual([
      ['loki', 'api_error_by_correlation_id'],
      ['loki', 'worker_events_by_correlation_id'],
      ['tempo', 'trace_by_id'],
    ]);
    expect(decodeURIComponent(found.explore_links[0].url)).toContain('correlation_id=\\"req-7f3c9a1e-acme\\"');
    expect(decodeURIComponent(found.explore_links[2].url)).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(found.audit).toEqual([]);

    // The delivering request's own ID finds its audit row, what it delivered, and its request record.
    const byDelivery = await lookup('grafana-delivery-0001');
    expect(byDelivery.audit).toEqual([
      expect.objectContaining({
        action: 'alerts.received',
        actor: 'webhook:grafana',
        correlation_id: 'grafana-delivery-0001',
      }),
    ]);
    expect(byDelivery.alerts).toHaveLength(2);
    expect(byDelivery.incidents).toHaveLength(2);
    expect(byDelivery.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        route: '/api/v1/alerts/grafana',
        status: 200,
        error_code: null,
        correlation_id: 'grafana-delivery-0001',
      }),
    ]);
    // One of the delivered incidents knows a trace: Tempo is linked too.
    expect(byDelivery.explore_links.map((link) => link.query_id)).toEqual([
      'api_error_by_correlation_id',
      'worker_events_by_correlation_id',
      'trace_by_id',
    ]);
  });

  it('records every API request with its route template, status and error code', async () => {
    const failing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents/01JZZZZZZZZZZZZZZZZZZZZZZZ',
      headers: t.auth({ ...everyProject, 'x-correlation-id': 'user-report-0042' }),
    });
    expect(failing.statusCode).toBe(404);
    const unauthenticated = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents',
      headers: { 'x-correlation-id': 'user-report-0042' },
    });
    expect(unauthenticated.statusCode).toBe(401);
    const found = await lookup('user-report-0042');
    expect(found.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        route: '/api/v1/incidents/:id',
        status: 404,
        error_code: 'incident_not_found',
      }),
      expect.objectContaining({ route: '/api/v1/incidents', status: 401, error_code: 'unauthenticated' }),
    ]);
    expect(found.requests[0].duration_ms).toBeGreaterThanOrEqual(0);
    expect(found.incidents).toEqual([]);
  });

  it('stays inside the X-Project-ID scope', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/alerts/grafana',
      headers: { ...webhookAuth, 'x-correlation-id': 'grafana-delivery-0002' },
      payload: recordedGrafana('webhook-firing.json'),
    });
    const platform = await lookup('grafana-delivery-0002', {
      'x-project-id': 'platform/platform',
      'x-opsdeck-capability': 'incidents:read',
    });
    expect(platform.incidents.map((incident) => incident.project)).toEqual(['platform']);
    // Audit rows outside any project (the webhook delivery) need `*`.
    expect(platform.audit).toEqual([]);
    const vision = await lookup('req-7f3c9a1e-acme', {
      'x-project-id': 'platform/platform',
      'x-opsdeck-capability': 'incidents:read',
    });
    expect(vision.incidents).toEqual([]);
    expect(vision.alerts).toEqual([]);
  });

  it("keeps request records inside the project they were made in (a viewer of one project cannot read another's)", async () => {
    const vision = { 'x-project-id': 'vision/vision', 'x-opsdeck-capability': 'incidents:read' };
    const platform = { 'x-project-id': 'platform/platform', 'x-opsdeck-capability': 'incidents:read' };
    const made = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents/01JZZZZZZZZZZZZZZZZZZZZZZZ',
      headers: t.auth({ ...vision, 'x-correlation-id': 'vision-report-0099' }),
    });
    expect(made.statusCode).toBe(404);

    // Another project's viewer learns nothing about the request: not its route, status or duration.
    expect((await lookup('vision-report-0099', platform)).requests).toEqual([]);
    // The project's own viewers, and `*`, see it.
    const own = await lookup('vision-report-0099', vision);
    expect(own.requests).toEqual([
      expect.objectContaining({ route: '/api/v1/incidents/:id', status: 404, error_code: 'incident_not_found' }),
    ]);
    expect((await lookup('vision-report-0099')).requests).toHaveLength(1);

    // A request made outside any project (a webhook delivery, an unauthenticated call) needs `*`, like audit rows.
    const unauthenticated = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents',
      headers: { 'x-correlation-id': 'anonymous-call-0100' },
    });
    expect(unauthenticated.statusCode).toBe(401);
    expect((await lookup('anonymous-call-0100', vision)).requests).toEqual([]);
    expect((await lookup('anonymous-call-0100')).requests).toHaveLength(1);
  });

  it('refuses a malformed correlation ID and a call without X-Project-ID', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/correlations/short', headers: t.auth(everyProject) });
    expect(bad.statusCode).toBe(400);
    expect(ErrorEnvelope.parse(bad.json()).code).toBe('invalid_request');
    const unscoped = await t.app.inject({
      method: 'GET',
      url: '/api/v1/correlations/req-7f3c9a1e-acme',
      headers: t.auth({ 'x-grafana-user': 'watcher', 'x-opsdeck-capability': 'incidents:read' }),
    });
    expect(unscoped.statusCode).toBe(400);
  });

  it('writes the log in batches and prunes it to its bound', async () => {
    const log = createRequestLog(t.app.store, { bound: 50, pruneEvery: 20, maxBatch: 1_000, flushIntervalMs: 60_000 });
    for (let i = 0; i < 130; i += 1) {
      log.record({
        at: new Date(),
        method: 'GET',
        route: '/x',
        status: 200,
        error_code: null,
        correlation_id: `bulk-${String(i).padStart(4, '0')}`,
        duration_ms: 1,
        tenant: null,
        project: null,
      });
    }
    // Nothing is written on the request path: the records wait for the flush.
    expect(
      (await t.app.store.query<{ n: number }>("SELECT count(*)::int AS n FROM request_log WHERE route = '/x'")).rows[0]
        .n
    ).toBe(0);
    await log.flush();
    const { rows } = await t.app.store.query<{ correlation_id: string }>(
      "SELECT correlation_id FROM request_log WHERE route = '/x' ORDER BY id"
    );
    // The newest rows survive, at most `bound` of them (the app's own records may share the table).
    expect(rows.length).toBeLessThanOrEqual(50);
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(rows.map((row) => row.correlation_id)).toEqual(
      rows.map((_, i) => `bulk-${String(130 - rows.length + i).padStart(4, '0')}`)
    );
    await log.close();
  });

  it('drops the oldest buffered records, and counts them, when the store falls behind', async () => {
    const log = createRequestLog(t.app.store, { maxBuffer: 5, maxBatch: 1_000, flushIntervalMs: 60_000 });
    for (let i = 0; i < 8; i += 1) {
      log.record({
        at: new Date(),
        method: 'GET',
        route: '/y',
        status: 200,
        error_code: null,
        correlation_id: `drop-${String(i).padStart(4, '0')}`,
        duration_ms: null,
        tenant: null,
        project: null,
      });
    }
    expect(log.dropped).toBe(3);
    await log.close();
    const { rows } = await t.app.store.query<{ correlation_id: string }>(
      "SELECT correlation_id FROM request_log WHERE route = '/y' ORDER BY id"
    );
    expect(rows.map((row) => row.correlation_id)).toEqual([
      'drop-0003',
      'drop-0004',
      'drop-0005',
      'drop-0006',
      'drop-0007',
    ]);
  });
});
