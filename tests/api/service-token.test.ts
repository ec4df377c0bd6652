/**
 * Issue 15 point 8: a `curl` with the quick-start token alone reads incidents. A call with the service
 * token and none of Grafana's identity headers (X-Grafana-User, X-Opsdeck-Capability) acts as the
 * documented identity `service-token`: viewer in every project, X-Project-ID optional (default `*`),
 * never a writer. Calls through Grafana keep every rule they had.
 */
import { ErrorEnvelope } from '../../src/contract/common';
import { IncidentPage } from '../../src/contract/incidents';
import { Me } from '../../src/contract/access';
import { OpsOverview } from '../../src/contract/overview';
import { buildTestApp, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import {
  anAlert,
  anAlertmanagerPayload,
  everyProject,
  ingest,
  INCIDENTS_CATALOG_DIR,
  listIncidents,
  resetIncidents,
} from '../incidents/builders';

describe.each(storeKinds('service token identity'))('service token alone on %s', (kind) => {
  let testStore: TestStore;
  let t: TestApp;

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    t = await buildTestApp(testStore.store, { catalogDir: INCIDENTS_CATALOG_DIR });
    await resetIncidents(t);
    await ingest(
      t,
      anAlertmanagerPayload([
        anAlert(),
        anAlert({
          labels: {
            alertname: 'ApiErrors',
            signal_key: 'api_error_rate_high',
            severity: 'warning',
            tenant: 't-acme',
            project: 'p-vision',
          },
        }),
      ])
    );
  }, 60_000);
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: t.auth(headers) });

  it('lists the incidents of every project without X-Project-ID', async () => {
    const response = await get('/api/v1/incidents');
    expect(response.statusCode).toBe(200);
    const page = IncidentPage.parse(response.json());
    const everything = await listIncidents(t);
    expect(page.items.map((incident) => incident.id).sort()).toEqual(everything.items.map((i) => i.id).sort());
    expect(new Set(page.items.map((incident) => incident.project)).size).toBe(2);
  });

  it('narrows to a named project and reads one incident', async () => {
    const scoped = IncidentPage.parse((await get('/api/v1/incidents', { 'x-project-id': 'p-vision' })).json());
    expect(scoped.items.map((incident) => incident.project)).toEqual(['p-vision']);
    const one = await get(`/api/v1/incidents/${scoped.items[0].id}`);
    expect(one.statusCode).toBe(200);
    const all = await get('/api/v1/incidents', { 'x-project-id': '*' });
    expect(all.statusCode).toBe(200);
  });

  it('reads the ops overview', async () => {
    const response = await get('/api/v1/admin/ops/overview');
    expect(response.statusCode).toBe(200);
    expect(OpsOverview.parse(response.json()).decision_header.open_incidents.total).toBe(2);
  });

  it('says who it is on /api/v1/me: service-token, viewer everywhere', async () => {
    const me = Me.parse((await get('/api/v1/me')).json());
    expect(me).toMatchObject({ user: 'service-token', role: 'viewer', global_role: 'viewer' });
  });

  it('never writes: a transition is 403 naming the way to act', async () => {
    const [incident] = (await listIncidents(t)).items;
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/transitions`,
      headers: t.auth(),
      payload: { to: 'triaging' },
    });
    expect(response.statusCode).toBe(403);
    const envelope = ErrorEnvelope.parse(response.json());
    expect(envelope.code).toBe('insufficient_permissions');
    expect(envelope.message).toContain('service-token');
    expect(envelope.message).toContain('X-Grafana-User');
  });

  it('keeps the rules for a Grafana user: X-Project-ID is still required', async () => {
    const response = await get('/api/v1/incidents', {
      'x-grafana-user': 'watcher',
      'x-opsdeck-capability': 'incidents:read',
    });
    expect(response.statusCode).toBe(400);
    const ok = await get('/api/v1/incidents', everyProject);
    expect(ok.statusCode).toBe(200);
  });
});
