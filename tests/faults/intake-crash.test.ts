/**
 * Issue 17's store-fault case: kill -9 during a 20,000-alert intake with a sender that retries like
 * Alertmanager (each payload until a 2xx, whatever the error), on PostgreSQL and on the embedded store.
 * The real `opsdeck serve` is killed once a few payloads were acknowledged and others are in flight,
 * then started again on the same data; the sender moves to the new address and carries on. Afterwards
 * every alert is stored exactly once (a payload cut off mid-transaction left nothing, its retry wrote
 * it whole; a payload acknowledged before the kill and retried anyway would not duplicate), and
 * `opsdeck audit verify` accepts the chain.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { anAlert, anAlertmanagerPayload } from '../incidents/builders';
import { MINIMAL_CATALOG_DIR } from '../support/app';
import { waitFor } from '../support/processes';
import { BIN, ensureBuilt, killHard, PROCESS_WEBHOOK_TOKEN, type ServeProcess } from '../support/serve-process';
import { storeKinds } from '../support/stores';
import { makePlace, serveOn, type Place } from './places';

const TOTAL = 20_000;
const PER_PAYLOAD = 500;
const PAYLOADS = TOTAL / PER_PAYLOAD;
/** Payloads in flight at once, like Alertmanager sending several groups. */
const SENDERS = 4;
const START_MS = 120_000;

const payload = (i: number) =>
  anAlertmanagerPayload(
    Array.from({ length: PER_PAYLOAD }, (_, j) =>
      anAlert({
        labels: {
          alertname: 'Flood',
          severity: 'warning',
          signal_key: `flood_${i % 8}`,
          instance: `host-${i}-${j}`,
        },
      })
    ),
    { groupKey: `{}:{alertname="Flood",batch="${i}"}` }
  );

/** Sends every payload until it gets a 2xx; `target()` is read on every attempt (the server moves). */
async function retryingSender(target: () => string, acked: Set<number>) {
  const bodies = Array.from({ length: PAYLOADS }, (_, i) => JSON.stringify(payload(i)));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < PAYLOADS; i = next++) {
      for (;;) {
        try {
          const response = await fetch(`${target()}/api/v1/alerts/alertmanager`, {
            method: 'POST',
            headers: { authorization: `Bearer ${PROCESS_WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
            body: bodies[i],
            signal: AbortSignal.timeout(60_000),
          });
          await response.arrayBuffer();
          if (response.ok) {
            acked.add(i);
            break;
          }
        } catch {
          // Connection refused or reset: the process is gone; retry, as Alertmanager does.
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, worker));
}

describe.each(storeKinds('intake crash suite'))('kill -9 during a 20,000-alert intake (%s)', (kind) => {
  let place: Place;
  const servers: ServeProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    place = await makePlace(kind);
  }, START_MS);
  afterAll(async () => {
    await Promise.all(servers.map(killHard));
    await place.remove();
  });

  const serve = () => serveOn(place, { OPSDECK_CATALOG_DIR: MINIMAL_CATALOG_DIR }, servers);

  it(
    'stores every acknowledged alert exactly once and the audit chain verifies',
    async () => {
      const first = await serve();
      let url = first.url;
      const acked = new Set<number>();
      const sending = retryingSender(() => url, acked);
      // Killed with payloads acknowledged and others in flight.
      await waitFor('a few acknowledged payloads', async () => (acked.size >= 6 ? true : null), 5 * 60_000);
      await killHard(first.server);
      const ackedBeforeKill = acked.size;
      expect(ackedBeforeKill).toBeLessThan(PAYLOADS);
      const second = await serve();
      url = second.url;
      await sending;
      expect(acked.size).toBe(PAYLOADS);
      second.server.child.kill('SIGTERM');
      expect(await second.server.exited).toBe(0);

      const counts = await place.use(async (store) => {
        // As many rows as alerts sent, and as many distinct alerts: each one exactly once.
        const { rows } = await store.query<{ n: number; distinct_n: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT labels->>'instance')::int AS distinct_n
             FROM alerts WHERE alertname = 'Flood'`
        );
        return rows[0];
      });
      expect(counts).toEqual({ n: TOTAL, distinct_n: TOTAL });

      const verify = await promisify(execFile)(process.execPath, [BIN, 'audit', 'verify'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...place.env },
        timeout: 120_000,
      });
      expect(verify.stdout).toMatch(/^audit log OK/);
    },
    10 * 60_000
  );
});
