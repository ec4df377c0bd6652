/**
 * Status updates published to the owner team's notification channels (issue 12), on both stores:
 * written with the update in one transaction, delivered by the on-call worker to the local receivers
 * (Slack Block Kit and the signed webhook, checked as the services would), retried on a 503, never
 * sent twice; PagerDuty gets none (an update is not an alert); a team without channels gets none.
 */
import { StatusUpdate } from '../../src/contract/communication';
import { buildTestApp, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import {
  anAlert,
  anAlertmanagerPayload,
  everyProject,
  incidentDetail,
  ingest,
  movableClock,
  resetIncidents,
} from '../incidents/builders';
import { Receivers } from './receivers';
import { GRAFANA, HOOK_SECRET, pagingTestOptions } from './support';

describe.each(storeKinds('status updates to channels'))('status updates to notification channels on %s', (kind) => {
  let testStore: TestStore;
  let t: TestApp;
  let second: TestApp;
  const receivers = new Receivers(HOOK_SECRET);
  const clock = movableClock();

  const options = () => pagingTestOptions(receivers.url, clock.now);

  beforeAll(async () => {
    await receivers.start();
    testStore = await openTestStore(kind);
    t = await buildTestApp(testStore.store, options());
    second = await buildTestApp(testStore.store, options());
  }, 60_000);
  afterAll(async () => {
    await second.app.close();
    await t.app.close();
    await testStore.dispose();
    await receivers.stop();
  });
  beforeEach(async () => {
    clock.set('2026-11-23T10:00:30Z');
    await resetIncidents(t);
    receivers.received.length = 0;
    receivers.failNext = {};
  });

  /** An incident of platform-messaging whose opening pages are already delivered (so only updates remain). */
  async function incident(labels: Record<string, string> = {}, annotations = anAlert().annotations) {
    const alert = anAlert({ labels: { ...anAlert().labels, ...labels }, annotations });
    const id = (await ingest(t, anAlertmanagerPayload([alert]))).incident_ids[0];
    await t.app.oncall.tick();
    receivers.received.length = 0;
    return id;
  }
  const post = async (id: string, body: object) => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/updates`,
      headers: t.auth(everyProject),
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    return StatusUpdate.parse(response.json());
  };
  const rows = async (id: string) =>
    (
      await t.app.store.query<{ delivery_key: string; status: string; channel_type: string }>(
        `SELECT delivery_key, status, channel_type FROM notification_outbox WHERE incident_id = $1 AND event = 'status_update'
          ORDER BY delivery_key`,
        [id]
      )
    ).rows;

  it('writes one row per Slack and webhook channel with the update and delivers them in the published formats', async () => {
    const id = await incident();
    const update = await post(id, {
      stage: 'identified',
      audience: 'external',
      message: 'Relay lease lost; <restarting> now',
    });
    expect(await rows(id)).toEqual([
      { delivery_key: `${id}:status_update:${update.id}:hook`, status: 'pending', channel_type: 'webhook' },
      { delivery_key: `${id}:status_update:${update.id}:slack`, status: 'pending', channel_type: 'slack' },
    ]);
    expect(await t.app.oncall.tick()).toMatchObject({ delivered: 2, failed: 0 });
    expect(receivers.at('/v2/enqueue')).toHaveLength(0);

    const [slack] = receivers.at('/slack');
    expect(slack.problems).toEqual([]);
    expect(slack.body.text).toBe('Status update (identified): [sev1] Outbox relay is not draining');
    expect(JSON.stringify(slack.body.blocks)).toContain('Relay lease lost; &lt;restarting&gt; now');
    expect(JSON.stringify(slack.body.blocks)).toContain('External (status feed) · posted by oncall-primary');
    expect(JSON.stringify(slack.body.blocks)).toContain(`${GRAFANA}/a/opsdeck-ops-app/incidents/${id}`);

    const [hook] = receivers.at('/hook');
    expect(hook.problems).toEqual([]);
    expect(hook.body).toMatchObject({
      event: 'status_update',
      delivery_key: `${id}:status_update:${update.id}:hook`,
      incident: { id },
      update: {
        id: update.id,
        stage: 'identified',
        audience: 'external',
        message: 'Relay lease lost; <restarting> now',
        posted_by: 'oncall-primary',
      },
    });
    const timeline = (await incidentDetail(t, id)).timeline.filter(
      (entry) => entry.kind === 'page_sent' && entry.summary.startsWith('Status update')
    );
    expect(timeline.map((entry) => entry.summary).sort()).toEqual([
      'Status update (identified) sent via hook',
      'Status update (identified) sent via slack',
    ]);
    expect(await t.app.oncall.tick()).toMatchObject({ delivered: 0 });
    expect(receivers.received).toHaveLength(2);
  });

  it('retries a channel that answered 503 and delivers each update exactly once across two workers', async () => {
    const id = await incident();
    receivers.failNext['/slack'] = 1;
    await post(id, { stage: 'investigating', audience: 'internal' });
    await Promise.all([t.app.oncall.tick(), second.app.oncall.tick()]);
    expect((await rows(id)).map((row) => row.status).sort()).toEqual(['delivered', 'pending']);
    clock.advance(3); // the first retry waits 2 s
    await Promise.all([t.app.oncall.tick(), second.app.oncall.tick()]);
    expect((await rows(id)).map((row) => row.status)).toEqual(['delivered', 'delivered']);
    // The receiver keeps what it accepted (not the request it failed with 503): one each.
    const slack = receivers.at('/slack');
    expect(slack).toHaveLength(1);
    expect(slack[0].problems).toEqual([]);
    expect(receivers.at('/hook')).toHaveLength(1);
  });

  it('writes nothing for a team without an escalation chain', async () => {
    const id = await incident(
      { service: 'no-such-service', alertname: 'Orphan', signal_key: 'no_such_signal' },
      { summary: 'Nobody owns this' }
    );
    const detail = await incidentDetail(t, id);
    expect(detail.owner_team).toBeNull();
    await post(id, { stage: 'investigating', audience: 'external' });
    expect(await rows(id)).toEqual([]);
  });
});
