/**
 * Paging end to end on both stores: pages written with their cause, delivered by the worker to local
 * receivers that validate PagerDuty Events v2, Slack Block Kit and the signed webhook; escalation by
 * the app clock (no sleeps); retries with backoff; two workers on one store deliver each page once.
 */
import { ConfigError } from '../../src/api/config';
import { IncidentDetail } from '../../src/contract/incidents';
import { buildTestApp, type TestApp } from '../support/app';
import { storeKinds } from '../support/stores';
import {
  anAlert,
  anAlertmanagerPayload,
  everyProject,
  incidentDetail,
  ingest,
  useIncidentsApp,
} from '../incidents/builders';
import { Receivers } from './receivers';
import { ONCALL_CATALOG_DIR } from './support';

const HOOK_SECRET = 'test-hook-secret-0123456789abcdef';
const PD_KEY = 'R0UT1NGKEY0123456789ABCDEFGHIJKL';
const GRAFANA = 'https://grafana.example.com';

describe.each(storeKinds('on-call paging'))('on-call paging on %s', (kind) => {
  let second: TestApp;
  const receivers = new Receivers(HOOK_SECRET);

  const options = () => {
    const env = {
      OPSDECK_TEST_PD_KEY: PD_KEY,
      OPSDECK_TEST_SLACK_URL: `${receivers.url}/slack`,
      OPSDECK_TEST_HOOK_URL: `${receivers.url}/hook`,
      OPSDECK_TEST_HOOK_SECRET: HOOK_SECRET,
    };
    return {
      catalogDir: ONCALL_CATALOG_DIR,
      now: clock.now,
      env: { OPSDECK_GRAFANA_URL: GRAFANA },
      extra: { oncall: { paused: true, env, pagerDutyUrl: `${receivers.url}/v2/enqueue` } },
    };
  };

  // The receivers start first: the apps' options name their URL.
  beforeAll(() => receivers.start());
  const suite = useIncidentsApp(kind, () => options());
  const { t, clock } = suite;
  beforeAll(async () => {
    second = await suite.anotherApp(options());
  }, 60_000);
  afterAll(() => receivers.stop());
  beforeEach(async () => {
    receivers.received.length = 0;
    receivers.failNext = {};
  });

  async function sev1(labels: Record<string, string> = {}) {
    const result = await ingest(t, anAlertmanagerPayload([anAlert({ labels: { ...anAlert().labels, ...labels } })]));
    return result.incident_ids[0];
  }
  const outbox = async (id: string) =>
    (
      await t.app.store.query<{
        delivery_key: string;
        status: string;
        attempts: number;
        next_attempt_at: Date | string;
      }>(
        'SELECT delivery_key, status, attempts, next_attempt_at FROM notification_outbox WHERE incident_id = $1 ORDER BY delivery_key',
        [id]
      )
    ).rows;

  it('writes level-1 pages with the incident and delivers them in the published formats', async () => {
    const id = await sev1();
    expect((await outbox(id)).map((row) => [row.delivery_key, row.status])).toEqual([
      [`${id}:opened:1:team:platform-messaging:pagerduty`, 'pending'],
      [`${id}:opened:1:team:platform-messaging:slack`, 'pending'],
    ]);
    expect(await t.app.oncall.tick()).toMatchObject({ delivered: 2, failed: 0 });
    const [pd] = receivers.at('/v2/enqueue');
    expect(pd.problems).toEqual([]);
    expect(pd.body).toMatchObject({
      routing_key: PD_KEY,
      event_action: 'trigger',
      dedup_key: id,
      payload: {
        severity: 'critical',
        source: 'outbox-relay',
        custom_details: { paged: ['pm-b'], escalation_level: 1 },
      },
    });
    expect(pd.body.links[0].href).toBe(`${GRAFANA}/a/opsdeck-ops-app/incidents/${id}`);
    const [slack] = receivers.at('/slack');
    expect(slack.problems).toEqual([]);
    expect(JSON.stringify(slack.body.blocks)).toContain('ack due in 5m');
    expect(JSON.stringify(slack.body.blocks)).toContain(`${GRAFANA}/a/opsdeck-ops-app/runbooks/ops.outbox.relay`);
    const sent = (await incidentDetail(t, id)).timeline.filter((entry) => entry.kind === 'page_sent');
    expect(sent.map((entry) => entry.summary).sort()).toEqual([
      'Paged pm-b via pagerduty (opened, level 1)',
      'Paged pm-b via slack (opened, level 1)',
    ]);
    expect(await t.app.oncall.tick()).toMatchObject({ delivered: 0 });
    expect(receivers.received).toHaveLength(2);
  });

  it('escalates on the app clock: level 2 at the ack clock, level 3 after its wait, with a signed webhook', async () => {
    const id = await sev1();
    await t.app.oncall.tick();
    // Opened at 10:00:30 (when the alert was received): the sev1 ack clock breaches at 10:05:30.
    clock.set('2026-11-23T10:05:29Z');
    expect(await t.app.oncall.tick()).toMatchObject({ escalated: 0 });
    clock.set('2026-11-23T10:05:30Z');
    expect(await t.app.oncall.tick()).toMatchObject({ escalated: 1, delivered: 2 });
    expect(receivers.at('/v2/enqueue').at(-1)?.body.payload.custom_details).toMatchObject({
      escalation_level: 2,
      paged: ['pm-a'],
    });
    clock.set('2026-11-23T10:15:30Z');
    expect(await t.app.oncall.tick()).toMatchObject({ escalated: 1, delivered: 2 });
    const [hook] = receivers.at('/hook');
    expect(hook.problems).toEqual([]);
    expect(hook.headers['x-opsdeck-delivery']).toBe(`${id}:escalated:3:lead:hook`);
    expect(hook.body).toMatchObject({ event: 'escalated', level: 3, targets: ['lead'], incident: { id } });
    const detail = await incidentDetail(t, id);
    expect(detail.response?.escalation_level).toBe(3);
    expect(detail.timeline.filter((entry) => entry.kind === 'escalated').map((entry) => entry.summary)).toEqual([
      'Escalated to level 2: acknowledge clock breached',
      'Escalated to level 3: level 2 did not acknowledge',
    ]);
  });

  it('sends acknowledge and resolve to every channel paged so far, and stops escalating', async () => {
    const id = await sev1();
    await t.app.oncall.tick();
    clock.advance(60);
    await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/acknowledge`, headers: t.auth(everyProject) });
    await t.app.oncall.tick();
    expect(receivers.at('/v2/enqueue').at(-1)?.body).toEqual({
      routing_key: PD_KEY,
      event_action: 'acknowledge',
      dedup_key: id,
    });
    expect(JSON.stringify(receivers.at('/slack').at(-1)?.body)).toContain('acknowledged by oncall-primary');
    clock.advance(600);
    expect(await t.app.oncall.tick()).toMatchObject({ escalated: 0 });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/transitions`,
      headers: t.auth(everyProject),
      payload: { to: 'resolved' },
    });
    await t.app.oncall.tick();
    expect(receivers.at('/v2/enqueue').map((entry) => entry.body.event_action)).toEqual([
      'trigger',
      'acknowledge',
      'resolve',
    ]);
    expect(receivers.received.every((entry) => entry.problems.length === 0)).toBe(true);
  });

  it('goes straight to level 3 for a security label', async () => {
    const id = await sev1({ security: 'true' });
    expect(await t.app.oncall.tick()).toMatchObject({ escalated: 1 });
    expect((await incidentDetail(t, id)).response?.escalation_level).toBe(3);
    expect((await outbox(id)).map((row) => row.delivery_key)).toContain(`${id}:escalated:3:lead:hook`);
  });

  it('retries a failed delivery with backoff and delivers it once', async () => {
    const id = await sev1();
    receivers.failNext['/slack'] = 1;
    expect(await t.app.oncall.tick()).toMatchObject({ delivered: 1, retried: 1 });
    const slackRow = (await outbox(id)).find((row) => row.delivery_key.endsWith(':slack'))!;
    expect(slackRow).toMatchObject({ status: 'pending', attempts: 1 });
    expect(new Date(slackRow.next_attempt_at).getTime() - clock.now().getTime()).toBe(2_000);
    expect(await t.app.oncall.tick()).toMatchObject({ delivered: 0 });
    clock.advance(2);
    expect(await t.app.oncall.tick()).toMatchObject({ delivered: 1 });
    expect(receivers.at('/slack').map((entry) => entry.problems)).toEqual([[]]);
    expect((await outbox(id)).map((row) => row.status)).toEqual(['delivered', 'delivered']);
    const timeline = IncidentDetail.parse(await incidentDetail(t, id)).timeline;
    expect(timeline.filter((entry) => entry.kind === 'page_sent')).toHaveLength(2);
  });

  it('gives up after the last attempt and says so on the timeline', async () => {
    const id = await sev1();
    receivers.failNext['/slack'] = 100;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      await t.app.oncall.tick();
      clock.advance(301);
    }
    const failed = (await incidentDetail(t, id)).timeline.filter((entry) => entry.kind === 'page_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].summary).toContain('failed after 8 attempt(s): slack answered HTTP 503');
  });

  it('two workers on one store deliver every page exactly once', async () => {
    for (let i = 0; i < 6; i += 1) {
      await ingest(
        t,
        anAlertmanagerPayload([anAlert({ labels: { ...anAlert().labels, signal_key: `sig_${i}` } })], {
          groupKey: `g${i}`,
        })
      );
    }
    await Promise.all([t.app.oncall.tick(), second.app.oncall.tick(), t.app.oncall.tick(), second.app.oncall.tick()]);
    const keys = receivers.received.map((entry) => `${entry.path}:${JSON.stringify(entry.body)}`);
    expect(receivers.received.length).toBeGreaterThan(0);
    const { rows } = await t.app.store.query<{ n: number; delivered: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'delivered')::int AS delivered FROM notification_outbox"
    );
    expect(rows[0].n).toBe(rows[0].delivered);
    expect(receivers.received).toHaveLength(rows[0].n);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('exposes pages, delivery latency and breached clocks on /metrics', async () => {
    await sev1();
    await t.app.oncall.tick();
    clock.advance(6 * 60);
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/opsdeck_notifications_total\{channel="slack",outcome="delivered"\} [1-9]/);
    expect(text).toMatch(/opsdeck_notification_delivery_seconds_count\{channel="pagerduty"\} [1-9]/);
    expect(text).toContain('opsdeck_response_sla_breached_incidents{severity="sev1",stage="acknowledge"} 1');
    expect(text).not.toContain('stage="initial_response"} 1');
  });

  it('refuses to start when a channel is configured and OPSDECK_GRAFANA_URL is not', async () => {
    const broken = { ...options(), env: {} };
    await expect(buildTestApp(suite.testStore.store, broken)).rejects.toThrow(ConfigError);
    await expect(buildTestApp(suite.testStore.store, broken)).rejects.toThrow(/OPSDECK_GRAFANA_URL.*pagerduty/);
  });
});
