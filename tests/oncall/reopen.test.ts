/**
 * A reopened incident is a new page (issue 11.5), on both stores, on the app clock: an alert firing
 * again on a resolved incident starts a new occurrence — level-1 pages with delivery keys (and a
 * PagerDuty dedup_key) of their own, clocks restarted from the reopening, the chain from level 1.
 */
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
import { ONCALL_CATALOG_DIR } from './support';

const PD_KEY = 'R0UT1NGKEY0123456789ABCDEFGHIJKL';
const SECRET = 'test-hook-secret-0123456789abcdef';

describe.each(storeKinds('on-call reopen'))('a reopened incident is paged again on %s', (kind) => {
  let testStore: TestStore;
  let t: TestApp;
  const receivers = new Receivers(SECRET);
  const clock = movableClock();

  beforeAll(async () => {
    await receivers.start();
    testStore = await openTestStore(kind);
    t = await buildTestApp(testStore.store, {
      catalogDir: ONCALL_CATALOG_DIR,
      now: clock.now,
      env: { OPSDECK_GRAFANA_URL: 'https://grafana.example.com' },
      extra: {
        oncall: {
          paused: true,
          env: {
            OPSDECK_TEST_PD_KEY: PD_KEY,
            OPSDECK_TEST_SLACK_URL: `${receivers.url}/slack`,
            OPSDECK_TEST_HOOK_URL: `${receivers.url}/hook`,
            OPSDECK_TEST_HOOK_SECRET: SECRET,
          },
          pagerDutyUrl: `${receivers.url}/v2/enqueue`,
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
    await receivers.stop();
  });
  beforeEach(async () => {
    clock.set('2026-11-23T10:00:30Z');
    await resetIncidents(t);
    receivers.received.length = 0;
  });

  const post = (id: string, action: string, payload?: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/${action}`, headers: t.auth(everyProject), payload });
  const pd = () => receivers.at('/v2/enqueue').map((entry) => [entry.body.event_action, entry.body.dedup_key]);

  /** Opened, paged, acknowledged and resolved by a person: the first occurrence is over. */
  async function resolvedIncident() {
    const id = (await ingest(t, anAlertmanagerPayload([anAlert()]))).incident_ids[0];
    await t.app.oncall.tick();
    clock.advance(60);
    await post(id, 'acknowledge');
    clock.set('2026-11-23T10:10:00Z');
    expect((await post(id, 'transitions', { to: 'resolved' })).statusCode).toBe(200);
    await t.app.oncall.tick();
    expect(pd()).toEqual([
      ['trigger', id],
      ['acknowledge', id],
      ['resolve', id],
    ]);
    return id;
  }

  it('pages the new occurrence when an alert fires again, with clocks from the reopening', async () => {
    const id = await resolvedIncident();
    clock.set('2026-11-23T10:20:00Z');
    await ingest(t, anAlertmanagerPayload([anAlert({ startsAt: '2026-11-23T10:19:00Z' })]));
    const reopened = await incidentDetail(t, id);
    expect(reopened.status).toBe('reopened');
    expect(reopened.response).toMatchObject({
      ack_due_at: '2026-11-23T10:25:00.000Z',
      ack_status: 'pending',
      acknowledged_at: null,
      escalation_level: 1,
      next_escalation_level: 2,
    });
    expect(await t.app.oncall.tick()).toMatchObject({ delivered: 2 });
    expect(pd().at(-1)).toEqual(['trigger', `${id}~r2`]);
    expect(receivers.at('/v2/enqueue').every((entry) => entry.problems.length === 0)).toBe(true);
    // The new occurrence's ack clock breaches five minutes after the reopening: level 2 is paged.
    clock.set('2026-11-23T10:24:59Z');
    expect(await t.app.oncall.tick()).toMatchObject({ escalated: 0 });
    clock.set('2026-11-23T10:25:00Z');
    expect(await t.app.oncall.tick()).toMatchObject({ escalated: 1, delivered: 2 });
    const { rows } = await t.app.store.query<{ delivery_key: string }>(
      'SELECT delivery_key FROM notification_outbox WHERE incident_id = $1 ORDER BY delivery_key',
      [id]
    );
    expect(rows.map((row) => row.delivery_key).filter((key) => key.startsWith(`${id}~r2:`))).toEqual([
      `${id}~r2:escalated:2:team:platform-messaging:pagerduty`,
      `${id}~r2:escalated:2:team:platform-messaging:slack`,
      `${id}~r2:opened:1:team:platform-messaging:pagerduty`,
      `${id}~r2:opened:1:team:platform-messaging:slack`,
    ]);
    // Acknowledging the new occurrence acknowledges its PagerDuty alert.
    expect((await post(id, 'acknowledge')).statusCode).toBe(200);
    await t.app.oncall.tick();
    expect(pd().at(-1)).toEqual(['acknowledge', `${id}~r2`]);
  });

  it('pages again when a person reopens a resolved incident, and a re-delivered alert does not page twice', async () => {
    const id = await resolvedIncident();
    clock.set('2026-11-23T10:30:00Z');
    expect((await post(id, 'transitions', { to: 'reopened', note: 'came back' })).statusCode).toBe(200);
    await ingest(t, anAlertmanagerPayload([anAlert()])); // the old occurrence again: no new page
    expect(await t.app.oncall.tick()).toMatchObject({ delivered: 2 });
    expect(pd().slice(3)).toEqual([['trigger', `${id}~r2`]]);
    expect((await incidentDetail(t, id)).response?.ack_due_at).toBe('2026-11-23T10:35:00.000Z');
  });
});
