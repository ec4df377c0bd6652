/**
 * Paging the incidents a big payload opens (issue 17 item 7): every new incident gets its level-1
 * pages and its escalation clock exactly once, written in the payload's transaction, and the number of
 * statements does not grow with the number of incidents one by one. Paging used to run five statements
 * per incident (the pages, then the escalation refresh's reads and its update): 10,000 new incidents
 * were 50,000 statements, which on the embedded store run synchronously in the event loop's thread.
 */
import type { Sql, Store } from '../../src/api/store';
import { buildTestApp, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import { anAlert, anAlertmanagerPayload, ingest, movableClock } from '../incidents/builders';
import { pagingTestOptions } from './support';

/** The store with every statement counted, inside transactions too. */
function countingStore(store: Store): { store: Store; statements: () => number } {
  let statements = 0;
  const counted = (sql: Sql): Sql => ({
    ...sql,
    query: (text, params) => {
      statements += 1;
      return sql.query(text, params);
    },
  });
  return {
    store: { ...store, ...counted(store), transaction: (work) => store.transaction((tx) => work(counted(tx))) },
    statements: () => statements,
  };
}

const INCIDENTS = 1_000;

describe.each(storeKinds('intake paging batch'))('paging the incidents of a big payload on %s', (kind) => {
  let testStore: TestStore;
  let counting: ReturnType<typeof countingStore>;
  let t: TestApp;
  const clock = movableClock();

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    counting = countingStore(testStore.store);
    // The worker is paused and never ticked: nothing is sent, the receivers' URLs are never called.
    t = await buildTestApp(counting.store, pagingTestOptions('http://127.0.0.1:9', clock.now));
  }, 60_000);
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
  });

  const payload = anAlertmanagerPayload(
    Array.from({ length: INCIDENTS }, (_, i) =>
      anAlert({ labels: { ...anAlert().labels, signal_key: `batch_${i}`, instance: `host-${i}` } })
    ),
    { groupKey: 'big-batch' }
  );

  it('pages every new incident once, in statements that do not grow one by one with the incidents', async () => {
    const before = counting.statements();
    const result = await ingest(t, payload);
    const statements = counting.statements() - before;
    expect(result.created).toBe(INCIDENTS);
    expect(new Set(result.incident_ids).size).toBe(INCIDENTS);

    const { rows } = await t.app.store.query<{ incident_id: string; pages: number; keys: number }>(
      `SELECT incident_id, count(*)::int AS pages, count(DISTINCT delivery_key)::int AS keys
         FROM notification_outbox WHERE event = 'opened' GROUP BY incident_id`
    );
    expect(rows).toHaveLength(INCIDENTS);
    // The fixture's sev1 chain pages level 1 through PagerDuty and Slack: two pages per incident.
    expect(rows.every((row) => row.pages === 2 && row.keys === 2)).toBe(true);
    const keys = await t.app.store.query<{ delivery_key: string }>(
      `SELECT delivery_key FROM notification_outbox WHERE incident_id = $1 ORDER BY delivery_key`,
      [result.incident_ids[0]]
    );
    expect(keys.rows.map((row) => row.delivery_key)).toEqual([
      `${result.incident_ids[0]}:opened:1:team:platform-messaging:pagerduty`,
      `${result.incident_ids[0]}:opened:1:team:platform-messaging:slack`,
    ]);
    // Every incident's escalation clock is set: the sev1 ack clock, 5 minutes after it opened.
    const clocks = await t.app.store.query<{ due: number }>(
      `SELECT count(*)::int AS due FROM incidents
        WHERE next_escalation_at = opened_at + interval '5 minutes'`
    );
    expect(clocks.rows[0].due).toBe(INCIDENTS);
    // The whole payload: one by one paging alone was 5 statements per incident (5,016–5,053 in all
    // here); set-based it is 32 on PostgreSQL and 183 on the embedded store (50-row statements).
    expect(statements).toBeLessThan(INCIDENTS / 4);
  }, 300_000);

  it('writes no page twice when the same payload is delivered again', async () => {
    const again = await ingest(t, payload);
    expect(again.created).toBe(0);
    const { rows } = await t.app.store.query<{ pages: number }>(
      `SELECT count(*)::int AS pages FROM notification_outbox WHERE event = 'opened'`
    );
    expect(rows[0].pages).toBe(2 * INCIDENTS);
  }, 300_000);
});
