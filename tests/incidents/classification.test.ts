/**
 * Reclassification and the false classification KPI (issue 12), on both stores, through the real
 * routes: a person's severity change (POST …/severity) or signal change (POST …/signal) is a
 * correction; the KPI counts incidents with one, only in the caller's scope.
 */
import { IncidentDetail } from '../../src/contract/incidents';
import { Kpis } from '../../src/contract/kpis';
import { buildTestApp, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import {
  anAlert,
  anAlertmanagerPayload,
  everyProject,
  INCIDENTS_CATALOG_DIR,
  ingest,
  movableClock,
  resetIncidents,
} from './builders';

const vision = {
  'x-project-id': 't-acme/p-vision',
  'x-opsdeck-capability': 'incidents:read,incidents:write',
  'x-grafana-user': 'acme-op',
};

describe.each(storeKinds('reclassification'))('reclassification on %s', (kind) => {
  let testStore: TestStore;
  let t: TestApp;
  const clock = movableClock('2026-11-23T10:00:30Z');

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    t = await buildTestApp(testStore.store, { catalogDir: INCIDENTS_CATALOG_DIR, now: clock.now });
  }, 60_000);
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
  });
  beforeEach(async () => {
    await resetIncidents(t);
  });

  const open = async (name: string, labels: Record<string, string> = {}) => {
    const alert = anAlert({ labels: { alertname: name, severity: 'critical', ...labels } });
    const id = (await ingest(t, anAlertmanagerPayload([alert]))).incident_ids[0];
    clock.advance(1); // the KPI window ends now, exclusive: opened a second ago counts
    return id;
  };
  const post = (id: string, action: string, payload: object, headers: Record<string, string> = everyProject) =>
    t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/${action}`, headers: t.auth(headers), payload });
  const kpis = async (headers: Record<string, string>) => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/kpis?window=7d', headers: t.auth(headers) });
    expect(response.statusCode).toBe(200);
    return Kpis.parse(response.json());
  };

  it('changes the signal with a reason, audited, on the timeline by the person', async () => {
    const id = await open('ApiErrors', { signal_key: 'api_error_rate_high' });
    const changed = await post(id, 'signal', { signal: 'dlq_backlog_present', reason: 'it is the billing DLQ' });
    expect(changed.statusCode).toBe(200);
    const detail = IncidentDetail.parse(changed.json());
    expect(detail).toMatchObject({ signal_key: 'dlq_backlog_present', signal_group: 'messaging' });
    const entry = detail.timeline.find((e) => e.kind === 'signal_changed');
    expect(entry).toMatchObject({
      actor: 'oncall-primary',
      summary: 'Signal api_error_rate_high → dlq_backlog_present: it is the billing DLQ',
    });
    const { rows } = await t.app.store.query<{ before: unknown; after: unknown }>(
      'SELECT before, after FROM audit_log WHERE action = $1 AND target_id = $2',
      ['incident.signal', id]
    );
    expect(rows).toEqual([
      {
        before: { signal_key: 'api_error_rate_high' },
        after: { signal_key: 'dlq_backlog_present', reason: 'it is the billing DLQ' },
      },
    ]);
    // The same signal again is not a change: no second entry, no second audit row.
    expect((await post(id, 'signal', { signal: 'dlq_backlog_present', reason: 'again' })).statusCode).toBe(200);
    const audits = await t.app.store.query('SELECT 1 FROM audit_log WHERE action = $1 AND target_id = $2', [
      'incident.signal',
      id,
    ]);
    expect(audits.rows).toHaveLength(1);
  });

  it('refuses an unknown signal, a missing reason, and another project’s incident, writing nothing', async () => {
    const id = await open('GlobexErrors', { signal_key: 'api_error_rate_high', tenant: 't-globex', project: 'p-core' });
    const unknown = await post(id, 'signal', { signal: 'no_such_signal', reason: 'typo' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'invalid_request', details: { signal: 'no_such_signal' } });
    expect((await post(id, 'signal', { signal: null })).statusCode).toBe(400);
    const elsewhere = await post(id, 'signal', { signal: null, reason: 'not mine' }, vision);
    expect(elsewhere.statusCode).toBe(404);
    const { rows } = await t.app.store.query<{ signal_key: string }>('SELECT signal_key FROM incidents WHERE id = $1', [
      id,
    ]);
    expect(rows[0].signal_key).toBe('api_error_rate_high');
  });

  it('counts incidents a person reclassified in the false classification rate, per scope', async () => {
    const bySeverity = await open('VisionA', { tenant: 't-acme', project: 'p-vision' });
    const bySignal = await open('VisionB', {
      tenant: 't-acme',
      project: 'p-vision',
      signal_key: 'api_error_rate_high',
    });
    const both = await open('VisionC', { tenant: 't-acme', project: 'p-vision' });
    await open('VisionD', { tenant: 't-acme', project: 'p-vision' });
    await open('VisionE', { tenant: 't-acme', project: 'p-vision' });
    const globex = await open('Globex', { tenant: 't-globex', project: 'p-core' });
    expect((await kpis(vision)).false_classification_rate).toMatchObject({ numerator: 0, denominator: 5, value: 0 });

    expect((await post(bySeverity, 'severity', { severity: 'sev3', reason: 'one pod only' }, vision)).statusCode).toBe(
      200
    );
    expect((await post(bySignal, 'signal', { signal: null, reason: 'test traffic' }, vision)).statusCode).toBe(200);
    expect((await post(both, 'severity', { severity: 'sev2', reason: 'degraded only' }, vision)).statusCode).toBe(200);
    expect(
      (await post(both, 'signal', { signal: 'database_latency_high', reason: 'slow primary' }, vision)).statusCode
    ).toBe(200);
    expect((await post(globex, 'severity', { severity: 'sev4', reason: 'noise' })).statusCode).toBe(200);

    const answer = await kpis(vision);
    expect(answer.false_classification_rate).toMatchObject({ numerator: 3, denominator: 5, value: 0.6 });
    expect(answer.targets.find((target) => target.kpi === 'false_classification_rate')).toMatchObject({
      value: 0.6,
      target: 0.15,
      met: false,
    });
    const everywhere = await kpis({ ...everyProject, 'x-opsdeck-capability': 'incidents:read' });
    expect(everywhere.false_classification_rate).toMatchObject({ numerator: 4, denominator: 6 });
  });
});
