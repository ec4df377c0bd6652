/**
 * A real `opsdeck serve` process is SIGKILLed while its worker has a page in flight (the receiver holds
 * the request open). Another process takes the page over once the lease expires and the receiver,
 * deduplicating on the delivery key, acts on it once; the row is delivered once, one timeline entry.
 * PostgreSQL only: the embedded store cannot be shared by two processes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

import { buildTestApp, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import { waitFor } from '../support/processes';
import { anAlert, anAlertmanagerPayload, ingest, incidentDetail, movableClock } from '../incidents/builders';
import { Receivers } from './receivers';
import { ONCALL_CATALOG_DIR } from './support';

const BIN = path.join(__dirname, '..', '..', 'bin', 'opsdeck.js');
const TOKEN = 'crash-test-token-0123456789';
const kinds = storeKinds('on-call crash').filter((kind) => kind === 'postgres');

function listening(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Server listening at/.test(output)) {
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

(kinds.length > 0 ? describe : describe.skip)('a process killed mid-delivery', () => {
  let testStore: TestStore;
  let t: TestApp;
  const receivers = new Receivers('unused-secret-0123456789');
  const clock = movableClock(new Date().toISOString());

  beforeAll(async () => {
    await receivers.start();
    testStore = await openTestStore('postgres');
    t = await buildTestApp(testStore.store, {
      catalogDir: ONCALL_CATALOG_DIR,
      now: clock.now,
      env: { OPSDECK_GRAFANA_URL: 'https://grafana.example.com' },
      extra: { oncall: { paused: true, env: { OPSDECK_TEST_SLACK_URL: `${receivers.url}/slack` } } },
    });
  }, 60_000);
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
    await receivers.stop();
  });

  it('delivers the page once', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env.PATH,
        OPSDECK_API_TOKEN: TOKEN,
        OPSDECK_PORT: '0',
        OPSDECK_DATABASE_URL: testStore.url!,
        OPSDECK_CATALOG_DIR: ONCALL_CATALOG_DIR,
        OPSDECK_GRAFANA_URL: 'https://grafana.example.com',
        // Only Slack is configured; PagerDuty pages are recorded as skipped.
        OPSDECK_TEST_SLACK_URL: `${receivers.url}/slack`,
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await listening(child);
      receivers.hold['/slack'] = true;
      const {
        incident_ids: [id],
      } = await ingest(t, anAlertmanagerPayload([anAlert()]));
      // The child's worker claims the page and sends it; the receiver holds the request open.
      await waitFor(
        'the child to send the page',
        async () => (receivers.arrivals.includes('/slack') ? true : null),
        20_000
      ).catch((error: Error) => {
        throw new Error(`${error.message}; child output:\n${output.slice(-3000)}`);
      });
      const killed = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await killed;
      receivers.hold['/slack'] = false;
      receivers.release();
      const leased = await t.app.store.query<{ status: string; lease_until: Date }>(
        "SELECT status, lease_until FROM notification_outbox WHERE channel = 'slack'"
      );
      expect(leased.rows[0].status).toBe('pending');

      // Before the lease expires nobody else touches it; after, this process re-sends it.
      expect(await t.app.oncall.tick()).toMatchObject({ delivered: 0 });
      clock.set(new Date(new Date(leased.rows[0].lease_until).getTime() + 1000).toISOString());
      expect(await t.app.oncall.tick()).toMatchObject({ delivered: 1 });

      const keys = receivers.at('/slack').map((entry) => entry.body.blocks.at(-1).elements[0].text);
      expect(keys).toHaveLength(2);
      expect(new Set(keys).size).toBe(1);
      const { rows } = await t.app.store.query<{ status: string; attempts: number }>(
        "SELECT status, attempts FROM notification_outbox WHERE channel = 'slack'"
      );
      expect(rows).toEqual([{ status: 'delivered', attempts: 2 }]);
      const sent = (await incidentDetail(t, id)).timeline.filter((entry) => entry.kind === 'page_sent');
      expect(sent).toHaveLength(1);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    }
  }, 90_000);
});
