import { ErrorEnvelope } from '../../src/contract/common';
import { labelFingerprint } from '../../src/api/incidents/fingerprint';
import { TEST_TOKEN, TEST_WEBHOOK_TOKEN, type TestApp } from '../support/app';
import { storeKinds } from '../support/stores';
import {
  aGrafanaPayload,
  anAlert,
  anAlertmanagerPayload,
  incidentDetail,
  ingest,
  listIncidents,
  postAlertmanager,
  postGrafana,
  recordedAlertmanager,
  recordedGrafana,
  resolvedAt,
  useIncidentsApp,
} from '../incidents/builders';

async function countRows(t: TestApp, table: string): Promise<number> {
  const { rows } = await t.app.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return Number(rows[0].n);
}

async function snapshot(t: TestApp) {
  const page = await listIncidents(t);
  const details = await Promise.all(page.items.map((incident) => incidentDetail(t, incident.id)));
  return { details, timeline: await countRows(t, 'incident_timeline'), alerts: await countRows(t, 'alerts') };
}

describe.each(storeKinds('alert intake'))('alert intake on %s', (kind) => {
  const { t, clock } = useIncidentsApp(kind);

  it('turns the recorded Alertmanager payload into incidents with their runbooks and severities', async () => {
    const result = await ingest(t, recordedAlertmanager('webhook-v4-firing.json'));
    expect(result).toMatchObject({ received: 2, created: 2, updated: 0, unchanged: 0, missing_runbook: [] });
    expect(result.incident_ids).toHaveLength(2);

    const page = await listIncidents(t);
    const outbox = page.items.find((incident) => incident.signal_key === 'outbox_relay_degraded');
    const dlq = page.items.find((incident) => incident.signal_key === 'dlq_backlog_present');
    expect(outbox).toMatchObject({
      status: 'detected',
      severity: 'sev1',
      grouping_key: 'outbox_relay_degraded',
      signal_group: 'messaging',
      tenant: 'platform',
      project: 'platform',
      owner_team: 'platform-messaging',
      missing_runbook: false,
      alert_counts: { firing: 1, resolved: 0 },
      title: 'Outbox relay is not draining',
    });
    expect(outbox?.runbooks.map((runbook) => runbook.id)).toEqual(['ops.outbox.relay']);
    expect(outbox?.first_saved_query?.id).toBe('outbox_relay_lag');
    expect(dlq).toMatchObject({ severity: 'sev3', owner_team: 'platform-messaging' });
    expect(dlq?.runbooks.map((runbook) => runbook.id)).toEqual(['ops.queue.backlog']);

    const detail = await incidentDetail(t, outbox!.id);
    expect(detail.alerts).toEqual([
      expect.objectContaining({
        fingerprint: '52125532941b0280',
        status: 'firing',
        severity: 'sev1',
        source: 'alertmanager',
        ends_at: null,
      }),
    ]);
    expect(detail.timeline.map((entry) => entry.kind)).toEqual(['state_changed', 'alert_fired']);
  });

  it('changes nothing when the same payload is delivered again', async () => {
    await ingest(t, recordedAlertmanager('webhook-v4-firing.json'));
    const before = await snapshot(t);
    clock.advance(60);
    const again = await ingest(t, recordedAlertmanager('webhook-v4-firing.json'));
    expect(again).toMatchObject({ received: 2, created: 0, updated: 0, unchanged: 2 });
    expect(await snapshot(t)).toEqual(before);
  });

  it('resolves alerts and moves incidents whose alerts all resolved to monitoring', async () => {
    await ingest(t, recordedAlertmanager('webhook-v4-firing.json'));
    clock.advance(30);
    const result = await ingest(t, recordedAlertmanager('webhook-v4-resolved.json'));
    expect(result).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
    const page = await listIncidents(t);
    expect(page.items.map((incident) => incident.status)).toEqual(['monitoring', 'monitoring']);
    const detail = await incidentDetail(t, page.items[0].id);
    expect(detail.alert_counts).toEqual({ firing: 0, resolved: 1 });
    expect(detail.alerts[0]).toMatchObject({ status: 'resolved', ends_at: '2026-11-23T20:06:09.194Z' });
    expect(detail.timeline.map((entry) => entry.kind)).toEqual([
      'state_changed',
      'alert_fired',
      'alert_resolved',
      'state_changed',
    ]);
    expect(detail.timeline[3]).toMatchObject({
      actor: 'system',
      data: { from: 'detected', to: 'monitoring', automatic: true },
    });
    expect(detail.acknowledged_at).toBeNull();
  });

  it('never reopens on a firing that arrives after its own resolved (same startsAt)', async () => {
    const firing = anAlert();
    await ingest(t, anAlertmanagerPayload([resolvedAt(firing, '2026-11-23T10:05:00Z')]));
    const [incident] = (await listIncidents(t)).items;
    expect(incident).toMatchObject({ status: 'monitoring', alert_counts: { firing: 0, resolved: 1 } });

    clock.advance(10);
    const late = await ingest(t, anAlertmanagerPayload([firing]));
    expect(late).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const after = await incidentDetail(t, incident.id);
    expect(after).toMatchObject({ status: 'monitoring', alert_counts: { firing: 0, resolved: 1 } });
    expect(after.alerts[0].status).toBe('resolved');
  });

  it('ignores an older occurrence delivered after a newer one', async () => {
    const newer = anAlert({ startsAt: '2026-11-23T10:00:00Z' });
    await ingest(t, anAlertmanagerPayload([newer]));
    const older = anAlert({ startsAt: '2026-11-23T09:00:00Z' });
    const result = await ingest(t, anAlertmanagerPayload([resolvedAt(older, '2026-11-23T09:10:00Z')]));
    expect(result).toMatchObject({ unchanged: 1, created: 0, updated: 0 });
    const [incident] = (await listIncidents(t)).items;
    const detail = await incidentDetail(t, incident.id);
    expect(detail.alerts[0]).toMatchObject({ status: 'firing', starts_at: '2026-11-23T10:00:00.000Z' });
    expect(detail.status).toBe('detected');
  });

  it('reopens a resolved incident when its alert fires again with a new startsAt', async () => {
    const first = anAlert({ startsAt: '2026-11-23T10:00:00Z' });
    await ingest(t, anAlertmanagerPayload([first]));
    await ingest(t, anAlertmanagerPayload([resolvedAt(first, '2026-11-23T10:10:00Z')]));
    const [incident] = (await listIncidents(t)).items;
    const resolve = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/transitions`,
      headers: t.auth({
        'x-project-id': '*',
        'x-opsdeck-capability': 'incidents:read,incidents:write,approvals:request',
        'x-grafana-user': 'oncall-primary',
      }),
      payload: { to: 'resolved' },
    });
    expect(resolve.statusCode).toBe(200);

    clock.advance(600);
    const again = await ingest(t, anAlertmanagerPayload([anAlert({ startsAt: '2026-11-23T10:20:00Z' })]));
    expect(again).toMatchObject({ updated: 1, incident_ids: [incident.id] });
    const detail = await incidentDetail(t, incident.id);
    expect(detail).toMatchObject({ status: 'reopened', resolved_at: null, alert_counts: { firing: 1, resolved: 0 } });
    expect(detail.timeline.at(-1)).toMatchObject({ kind: 'state_changed', data: { from: 'resolved', to: 'reopened' } });
    expect((await listIncidents(t)).items).toHaveLength(1);
  });

  it('rejects an invalid payload with 400 listing every problem and writes nothing', async () => {
    const auditBefore = await countRows(t, 'audit_log');
    const payload = anAlertmanagerPayload([anAlert()]);
    const broken = {
      ...payload,
      alerts: [
        anAlert(),
        { ...anAlert(), status: 'exploded' },
        { ...anAlert(), labels: {} },
        { ...anAlert(), startsAt: 'yesterday' },
      ],
    };
    const response = await postAlertmanager(t, broken);
    expect(response.statusCode).toBe(400);
    const envelope = ErrorEnvelope.parse(response.json());
    expect(envelope.code).toBe('invalid_request');
    const paths = (envelope.details.issues as Array<{ path: string }>).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.alerts.1.status', 'body.alerts.2.labels', 'body.alerts.3.startsAt'])
    );
    expect(await countRows(t, 'incidents')).toBe(0);
    expect(await countRows(t, 'alerts')).toBe(0);
    expect(await countRows(t, 'audit_log')).toBe(auditBefore);
  });

  it('rejects alerts with impossible times, listing each, and writes nothing', async () => {
    const response = await postAlertmanager(
      t,
      anAlertmanagerPayload([
        anAlert(),
        anAlert({ labels: { alertname: 'A' }, startsAt: '0001-01-01T00:00:00Z' }),
        resolvedAt(anAlert({ labels: { alertname: 'B' }, startsAt: '2026-11-23T10:00:00Z' }), '2026-11-23T09:00:00Z'),
      ])
    );
    expect(response.statusCode).toBe(400);
    const envelope = ErrorEnvelope.parse(response.json());
    expect((envelope.details.issues as Array<{ path: string }>).map((issue) => issue.path)).toEqual([
      'alerts.1.startsAt',
      'alerts.2.endsAt',
    ]);
    expect(await countRows(t, 'incidents')).toBe(0);
  });

  it('stores an alert without runbook_id or signal_key and flags it missing_runbook', async () => {
    const alert = anAlert({
      labels: { alertname: 'DiskFull', severity: 'warning', instance: 'db-1' },
      annotations: { summary: 'Disk full' },
    });
    const result = await ingest(t, anAlertmanagerPayload([alert]));
    const fingerprint = labelFingerprint(alert.labels);
    expect(result.missing_runbook).toEqual([fingerprint]);
    const [incident] = (await listIncidents(t)).items;
    expect(incident).toMatchObject({
      missing_runbook: true,
      runbooks: [],
      grouping_key: 'DiskFull',
      severity: 'sev3',
      signal_key: null,
      first_saved_query: null,
    });
    const detail = await incidentDetail(t, incident.id);
    expect(detail.alerts[0]).toMatchObject({ fingerprint, missing_runbook: true, runbook_ids: [] });
  });

  it('falls back to the signal runbooks when runbook_id names no catalog runbook', async () => {
    const alert = anAlert({ annotations: { runbook_id: 'ops.not.there', summary: 'x' } });
    const result = await ingest(t, anAlertmanagerPayload([alert]));
    expect(result.missing_runbook).toEqual([]);
    const [incident] = (await listIncidents(t)).items;
    expect(incident.runbooks.map((runbook) => runbook.id)).toEqual(['ops.outbox.relay']);
  });

  it('computes the fingerprint from the sorted labels, as Alertmanager does, when the sender leaves it out', async () => {
    const recorded = recordedAlertmanager('webhook-v4-firing.json');
    const withoutFingerprints = {
      ...recorded,
      alerts: recorded.alerts.map(({ fingerprint: _omitted, ...alert }) => alert),
    };
    await ingest(t, withoutFingerprints);
    const stored = await t.app.store.query<{ fingerprint: string }>(
      'SELECT fingerprint FROM alerts ORDER BY fingerprint'
    );
    // The values Alertmanager itself put in the recorded payload.
    expect(stored.rows.map((row) => row.fingerprint)).toEqual(['52125532941b0280', '93f47bedcc97a15b']);
    const again = await ingest(t, recorded);
    expect(again.unchanged).toBe(2);
  });

  it('groups by signal and splits by tenant/project, defaulting to the platform', async () => {
    await ingest(
      t,
      anAlertmanagerPayload([
        anAlert({
          labels: { alertname: 'ApiErrors', signal_key: 'api_error_rate_high', service: 'api-gateway', region: 'a' },
        }),
        anAlert({
          labels: { alertname: 'ApiErrors', signal_key: 'api_error_rate_high', service: 'billing', region: 'b' },
        }),
        anAlert({
          labels: { alertname: 'ApiErrors', signal_key: 'api_error_rate_high', tenant: 't-acme', project: 'p-vision' },
        }),
        anAlert({
          labels: {
            alertname: 'ApiErrors',
            signal_key: 'api_error_rate_high',
            tenant: 't-globex',
            project: 'p-vision',
          },
        }),
      ])
    );
    const items = (await listIncidents(t)).items;
    const summary = items
      .map((incident) => [incident.grouping_key, incident.tenant, incident.project, incident.alert_counts.firing])
      .sort();
    expect(summary).toEqual([
      ['api_error_rate_high', 'platform', 'platform', 2],
      ['api_error_rate_high/t-acme/p-vision', 't-acme', 'p-vision', 1],
      ['api_error_rate_high/t-globex/p-vision', 't-globex', 'p-vision', 1],
    ]);
  });

  it('takes severity from the label, else the runbook hint, else the signal; the incident has the worst', async () => {
    const noLabel = anAlert({ labels: { alertname: 'Outbox', signal_key: 'outbox_relay_degraded', instance: 'a' } });
    const info = anAlert({
      labels: { alertname: 'Outbox', signal_key: 'outbox_relay_degraded', severity: 'info', instance: 'b' },
    });
    const sev2 = anAlert({
      labels: { alertname: 'Db', signal_key: 'database_latency_high', severity: 'sev2' },
      annotations: {},
    });
    const signalOnly = anAlert({
      labels: { alertname: 'Db', signal_key: 'database_latency_high', instance: 'c' },
      annotations: { runbook_id: 'nope.nope' },
    });
    await ingest(t, anAlertmanagerPayload([info]));
    let [outbox] = (await listIncidents(t)).items;
    expect(outbox.severity).toBe('sev4');
    await ingest(t, anAlertmanagerPayload([noLabel, sev2, signalOnly]));
    const items = (await listIncidents(t)).items;
    outbox = items.find((incident) => incident.signal_key === 'outbox_relay_degraded')!;
    expect(outbox.severity).toBe('sev1');
    const detail = await incidentDetail(t, outbox.id);
    expect(detail.alerts.map((alert) => alert.severity).sort()).toEqual(['sev1', 'sev4']);
    const db = items.find((incident) => incident.signal_key === 'database_latency_high')!;
    const dbDetail = await incidentDetail(t, db.id);
    // The catalog's database runbook hints sev2, which is also the signal default.
    expect(dbDetail.alerts.map((alert) => alert.severity)).toEqual(['sev2', 'sev2']);
  });

  it('keeps correlation IDs, trace IDs, a valid canonical resource name and the first failing host role', async () => {
    await ingest(
      t,
      anAlertmanagerPayload([
        anAlert({
          labels: {
            alertname: 'ApiErrors',
            signal_key: 'api_error_rate_high',
            host_role: 'worker_compute',
            instance: '1',
          },
          annotations: {
            correlation_id: 'req-0001-abcdef',
            trace_id: '4BF92F3577B34DA6A3CE929D0E0E4736',
            resource_name: 'not-a-resource-name',
          },
        }),
        anAlert({
          labels: {
            alertname: 'ApiErrors',
            signal_key: 'api_error_rate_high',
            host_role: 'app_control',
            instance: '2',
          },
          annotations: {
            correlation_ids: 'req-0002-abcdef, bad id',
            resource_name: 'core42:aicloud:uae-north-1:t-acme:p-vision:inference_endpoint:ep-42',
          },
        }),
      ])
    );
    const [incident] = (await listIncidents(t)).items;
    expect(incident).toMatchObject({
      correlation_ids: ['req-0001-abcdef', 'req-0002-abcdef'],
      trace_ids: ['4bf92f3577b34da6a3ce929d0e0e4736'],
      resource_name: 'core42:aicloud:uae-north-1:t-acme:p-vision:inference_endpoint:ep-42',
      host_role: 'app_control',
    });
    expect(incident.runbooks.map((runbook) => runbook.id)).toEqual(['ops.api.error_rate', 'ops.correlation.triage']);
  });

  it('keeps the latest occurrence when one payload carries the same alert twice', async () => {
    const alert = anAlert();
    const result = await ingest(t, anAlertmanagerPayload([alert, resolvedAt(alert, '2026-11-23T10:01:00Z'), alert]));
    expect(result).toMatchObject({ received: 3, created: 1 });
    const [incident] = (await listIncidents(t)).items;
    expect(incident).toMatchObject({ status: 'monitoring', alert_counts: { firing: 0, resolved: 1 } });
  });

  it('opens one incident when payloads of the same new key arrive at once, and keeps other keys apart', async () => {
    const payloads = Array.from({ length: 6 }, (_, i) =>
      anAlertmanagerPayload([
        anAlert({ labels: { alertname: 'Burst', signal_key: 'outbox_relay_degraded', instance: `a-${i}` } }),
        anAlert({
          labels: {
            alertname: 'Burst',
            signal_key: 'dlq_backlog_present',
            instance: `b-${i}`,
            tenant: `t-${i % 2}`,
            project: 'p-x',
          },
        }),
      ])
    );
    const responses = await Promise.all(payloads.map((payload) => postAlertmanager(t, payload)));
    expect(responses.map((response) => response.statusCode)).toEqual(new Array(6).fill(200));
    const items = (await listIncidents(t)).items;
    expect(items.map((incident) => [incident.grouping_key, incident.alert_counts.firing]).sort()).toEqual([
      ['dlq_backlog_present/t-0/p-x', 3],
      ['dlq_backlog_present/t-1/p-x', 3],
      ['outbox_relay_degraded', 6],
    ]);
  });

  it('never overwrites a lifecycle move committed while a payload was being ingested', async () => {
    await ingest(
      t,
      anAlertmanagerPayload([
        anAlert({ labels: { alertname: 'Race', signal_key: 'outbox_relay_degraded', instance: '1' } }),
      ])
    );
    const [incident] = (await listIncidents(t)).items;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const move = t.app.store.transaction(async (tx) => {
      await tx.query("UPDATE incidents SET status = 'mitigating' WHERE id = $1", [incident.id]);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    let ingested = false;
    const payload = ingest(
      t,
      anAlertmanagerPayload([
        anAlert({ labels: { alertname: 'Race', signal_key: 'outbox_relay_degraded', instance: '2' } }),
      ])
    ).then((result) => {
      ingested = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The intake waits for the incident's row lock (PostgreSQL) or for the single transaction slot
    // (PGlite) instead of working from the status it read.
    expect(ingested).toBe(false);
    release();
    await move;
    expect((await payload).updated + (await payload).created).toBe(1);
    expect(await incidentDetail(t, incident.id)).toMatchObject({
      status: 'mitigating',
      alert_counts: { firing: 2, resolved: 0 },
    });
  });

  it('writes one audit row per payload, in the same transaction', async () => {
    const response = await postAlertmanager(t, recordedAlertmanager('webhook-v4-firing.json'));
    const correlationId = response.headers['x-correlation-id'] as string;
    const { rows } = await t.app.store.query<{
      actor: string;
      action: string;
      target_type: string;
      after: { created: number };
    }>('SELECT actor, action, target_type, after FROM audit_log WHERE correlation_id = $1', [correlationId]);
    expect(rows).toEqual([
      expect.objectContaining({
        actor: 'webhook:alertmanager',
        action: 'alerts.received',
        target_type: 'alert_payload',
        after: expect.objectContaining({ created: 2 }),
      }),
    ]);
  });

  it('accepts the webhook token as Bearer or as the Basic-auth password, and nothing else', async () => {
    const payload = recordedAlertmanager('webhook-v4-firing.json');
    expect((await postAlertmanager(t, payload, {})).statusCode).toBe(401);
    expect((await postAlertmanager(t, payload, { authorization: `Bearer ${TEST_TOKEN}` })).statusCode).toBe(401);
    expect((await postAlertmanager(t, payload, { authorization: 'Bearer wrong-token-wrong-token' })).statusCode).toBe(
      401
    );
    const basic = Buffer.from(`alertmanager:${TEST_WEBHOOK_TOKEN}`).toString('base64');
    expect((await postAlertmanager(t, payload, { authorization: `Basic ${basic}` })).statusCode).toBe(200);
    expect(await countRows(t, 'alerts')).toBe(2);
  });

  it('turns the recorded Grafana contact-point payload into incidents', async () => {
    const response = await postGrafana(t, recordedGrafana('webhook-firing.json'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ received: 2, created: 2, missing_runbook: [] });
    const items = (await listIncidents(t)).items;
    const api = items.find((incident) => incident.signal_key === 'api_error_rate_high')!;
    expect(api).toMatchObject({
      tenant: 't-acme',
      project: 'p-vision',
      severity: 'sev1',
      status: 'detected',
      correlation_ids: ['req-7f3c9a1e-acme'],
      trace_ids: ['4bf92f3577b34da6a3ce929d0e0e4736'],
      resource_name: 'core42:aicloud:uae-north-1:t-acme:p-vision:inference_endpoint:ep-42',
      host_role: 'app_control',
    });
    const db = items.find((incident) => incident.signal_key === 'database_latency_high')!;
    expect(db).toMatchObject({ status: 'monitoring', severity: 'sev2', alert_counts: { firing: 0, resolved: 1 } });
    const detail = await incidentDetail(t, api.id);
    expect(detail.alerts[0]).toMatchObject({ source: 'grafana', fingerprint: 'def15df1e1ef5266' });
  });

  it('validates a Grafana payload too (orgId is required)', async () => {
    const { orgId: _dropped, ...withoutOrg } = aGrafanaPayload([anAlert()]);
    const response = await postGrafana(t, withoutOrg);
    expect(response.statusCode).toBe(400);
    expect(await countRows(t, 'incidents')).toBe(0);
  });
});
