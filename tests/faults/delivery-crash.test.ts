/**
 * Issue 13 fault suite: SIGTERM and kill -9 while a page is in flight (the receiver holds the request
 * open), on PostgreSQL and on the embedded store, with a real `opsdeck serve` that is then started
 * again on the same data.
 *
 * - SIGTERM: shutdown waits for the delivery (bounded by OPSDECK_SHUTDOWN_TIMEOUT_MS), records it and
 *   exits 0; the restarted process sends nothing more: one delivery, recorded once.
 * - kill -9: the page stays claimed under its lease (delivery timeout + 20 s); the test moves the lease
 *   into the past instead of waiting 30 s. The restarted process sends the page again with the same
 *   delivery key, so a receiver that deduplicates on it (PagerDuty's dedup_key, the webhook's
 *   X-Opsdeck-Delivery, the key in Slack's last block) acts once; the row is delivered once, with one
 *   `page_sent` timeline entry. (tests/oncall/crash.test.ts takes the page over in-process instead.)
 */
import type { Store } from '../../src/api/store';
import { anAlert, anAlertmanagerPayload } from '../incidents/builders';
import { Receivers } from '../oncall/receivers';
import { ONCALL_CATALOG_DIR } from '../oncall/support';
import { waitFor } from '../support/processes';
import { ensureBuilt, killHard, PROCESS_WEBHOOK_TOKEN, type ServeProcess } from '../support/serve-process';
import { storeKinds } from '../support/stores';
import { makePlace, serveOn, type Place } from './places';

const START_MS = 120_000;

describe.each(storeKinds('delivery crash suite'))('a page in flight when the process stops (%s)', (kind) => {
  const receivers = new Receivers('unused-secret-0123456789');
  const servers: ServeProcess[] = [];
  const places: Place[] = [];

  beforeAll(async () => {
    ensureBuilt();
    await receivers.start();
  }, START_MS);
  afterAll(async () => {
    await Promise.all(servers.map(killHard));
    await receivers.stop();
    await Promise.all(places.map((place) => place.remove()));
  });

  const serve = (place: Place) =>
    serveOn(
      place,
      {
        OPSDECK_CATALOG_DIR: ONCALL_CATALOG_DIR,
        OPSDECK_GRAFANA_URL: 'https://grafana.example.com',
        // Only Slack is configured; PagerDuty pages are recorded as skipped.
        OPSDECK_TEST_SLACK_URL: `${receivers.url}/slack`,
        OPSDECK_SHUTDOWN_TIMEOUT_MS: '30000',
      },
      servers
    );

  /** A fresh place, a server on it, an incident, and its Slack page held open by the receiver. */
  async function pageInFlight() {
    const place = await makePlace(kind);
    places.push(place);
    const { server, url } = await serve(place);
    receivers.received.length = 0;
    receivers.arrivals.length = 0;
    receivers.hold['/slack'] = true;
    const ingested = await fetch(`${url}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROCESS_WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(anAlertmanagerPayload([anAlert()])),
    });
    expect(ingested.status).toBe(200);
    await waitFor('the page to be sent', async () => (receivers.arrivals.includes('/slack') ? true : null), 30_000);
    return { place, server };
  }

  const recorded = (store: Store) =>
    Promise.all([
      store.query<{ status: string; attempts: number }>(
        "SELECT status, attempts FROM notification_outbox WHERE channel = 'slack'"
      ),
      store.query<{ n: number }>("SELECT count(*)::int AS n FROM incident_timeline WHERE kind = 'page_sent'"),
    ]).then(([outbox, timeline]) => ({
      outbox: outbox.rows.map((row) => ({ status: row.status, attempts: Number(row.attempts) })),
      page_sent: Number(timeline.rows[0].n),
    }));

  const keys = () => receivers.at('/slack').map((entry) => entry.body.blocks.at(-1).elements[0].text as string);

  it(
    'SIGTERM: the delivery finishes and is recorded before the exit; the restarted process sends nothing',
    async () => {
      const { place, server } = await pageInFlight();
      server.child.kill('SIGTERM');
      // The receiver answers a second later: shutdown must wait for it, not cut it off.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      receivers.hold['/slack'] = false;
      receivers.release();
      expect(await server.exited).toBe(0);
      expect(keys()).toHaveLength(1);
      expect(await place.use(recorded)).toEqual({ outbox: [{ status: 'delivered', attempts: 1 }], page_sent: 1 });

      const again = await serve(place);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      again.server.child.kill('SIGTERM');
      expect(await again.server.exited).toBe(0);
      expect(keys()).toHaveLength(1);
      expect(await place.use(recorded)).toEqual({ outbox: [{ status: 'delivered', attempts: 1 }], page_sent: 1 });
    },
    4 * START_MS
  );

  it(
    'kill -9: after restart and the lease, the page is re-sent with the same key; delivered once, recorded once',
    async () => {
      const { place, server } = await pageInFlight();
      await killHard(server);
      receivers.hold['/slack'] = false;
      receivers.release();
      const left = await place.use(async (store) => {
        const state = await recorded(store);
        await store.query(
          "UPDATE notification_outbox SET lease_until = now() - interval '1 second' WHERE channel = 'slack'"
        );
        return state;
      });
      expect(left).toEqual({ outbox: [{ status: 'pending', attempts: 1 }], page_sent: 0 });

      const again = await serve(place);
      await waitFor('the page to be re-sent', async () => (keys().length === 2 ? true : null), 30_000);
      again.server.child.kill('SIGTERM');
      expect(await again.server.exited).toBe(0);

      expect(keys()).toHaveLength(2);
      expect(receivers.distinctDeliveries('/slack')).toBe(1);
      expect(await place.use(recorded)).toEqual({ outbox: [{ status: 'delivered', attempts: 2 }], page_sent: 1 });
    },
    4 * START_MS
  );
});
