/**
 * The audit chain sequenced after commit (issue 13 item 4): writers no longer hold a global chain
 * lock until COMMIT; rows are chained in commit order by one sequencer at a time; a crash between a
 * commit and its chaining loses and breaks nothing (the next run chains the leftovers); the guard
 * still refuses every change but the one chaining update; tampering is still named at the right row.
 */
import { appendAudit, type AuditContext } from '../../src/api/audit/append';
import { chainAudit, startAuditSweep } from '../../src/api/audit/sequencer';
import { verifyAuditChain, verifyAuditLog } from '../../src/api/audit/verify';
import type { Sql, Store } from '../../src/api/store';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';

jest.setTimeout(60_000);

const context: AuditContext = {
  actor: 'alice',
  role: 'operator',
  tenant: 't-acme',
  project: 'p-vision',
  correlation_id: 'req-sequencer-0001',
  source_ip: null,
};

const note = (tx: Sql, n: number) =>
  appendAudit(tx, context, { action: 'incident.note', target_type: 'incident', target_id: `inc-${n}`, after: { n } });

async function chainOf(store: Store): Promise<Array<{ id: number; seq: number | null }>> {
  const { rows } = await store.query<{ id: number; seq: number | null }>(
    'SELECT id, seq FROM audit_log ORDER BY seq NULLS LAST, id'
  );
  return rows.map((row) => ({ id: Number(row.id), seq: row.seq === null ? null : Number(row.seq) }));
}

/** What a process killed right after COMMIT leaves: committed rows that no sequencer chained. */
async function leaveUnchained(store: Store, from: number, count: number) {
  for (let n = from; n < from + count; n += 1) {
    // The store's query() has no afterCommit: the row commits and nobody chains it.
    await note(store, n);
  }
}

describe.each(storeKinds('audit sequencer suite'))('audit sequencer on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;

  beforeEach(async () => {
    testStore = await openTestStore(kind);
    store = testStore.store;
  });
  afterEach(() => testStore.dispose());
  const onPostgres = kind === 'postgres' ? it : it.skip;

  it('chains a transaction’s rows once it committed, before transaction() resolves', async () => {
    const { id } = await store.transaction((tx) => note(tx, 1));
    const second = await store.transaction(async (tx) => [await note(tx, 2), await note(tx, 3)]);
    expect(await chainOf(store)).toEqual([
      { id, seq: 1 },
      { id: second[0].id, seq: 2 },
      { id: second[1].id, seq: 3 },
    ]);
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true, checked: 3 });
  });

  it('a crash between commit and chaining loses nothing: verify and the sweep chain the leftovers', async () => {
    await store.transaction((tx) => note(tx, 1));
    await leaveUnchained(store, 2, 3);
    expect((await chainOf(store)).filter((row) => row.seq === null)).toHaveLength(3);
    // The walk alone covers the chained part; verifyAuditLog (CLI, route, restore) chains first.
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true, checked: 1 });
    expect(await verifyAuditLog(store)).toMatchObject({ ok: true, checked: 4 });
    await leaveUnchained(store, 5, 2);
    const stop = startAuditSweep(store, 60_000);
    try {
      for (let i = 0; i < 100 && (await chainOf(store)).some((row) => row.seq === null); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      stop();
    }
    expect((await chainOf(store)).map((row) => row.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true, checked: 6 });
  });

  it('chains more than one batch, and concurrent callers share runs', async () => {
    await store.query(
      `INSERT INTO audit_log (occurred_at, kind, actor, role, action, target_type, target_id, correlation_id)
       SELECT now(), 'event', 'bulk', 'system', 'bulk.row', 'thing', g::text, 'req-bulk' FROM generate_series(1, 2500) AS g`
    );
    const counts = await Promise.all([chainAudit(store), chainAudit(store), chainAudit(store)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2_500);
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true, checked: 2_500 });
  });

  it('the guard admits only the chaining update, once', async () => {
    await leaveUnchained(store, 1, 1);
    const [{ id }] = await chainOf(store);
    // Changing the content of an unchained row, or chaining it with a changed field: refused.
    await expect(store.query("UPDATE audit_log SET actor = 'mallory' WHERE id = $1", [id])).rejects.toThrow(
      /append-only/
    );
    await expect(
      store.query("UPDATE audit_log SET actor = 'mallory', seq = 1, prev_hash = 'x', hash = 'y' WHERE id = $1", [id])
    ).rejects.toThrow(/append-only/);
    await chainAudit(store);
    // A chained row cannot be re-chained or unchained.
    await expect(store.query("UPDATE audit_log SET seq = 7, hash = 'y' WHERE id = $1", [id])).rejects.toThrow(
      /append-only/
    );
    await expect(
      store.query('UPDATE audit_log SET seq = NULL, hash = NULL, prev_hash = NULL WHERE id = $1', [id])
    ).rejects.toThrow(/append-only/);
  });

  it('names the tampered row even when rows were chained out of id order', async () => {
    // A row with a higher id that committed first is chained first; the rest follow.
    await store.query(
      `INSERT INTO audit_log (id, occurred_at, kind, actor, role, action, target_type, target_id, correlation_id)
       VALUES (1000000, now(), 'event', 'early', 'system', 'x.y', 'thing', 'late-id', 'req-early')`
    );
    await chainAudit(store);
    await leaveUnchained(store, 1, 3);
    await chainAudit(store);
    const chain = await chainOf(store);
    expect(chain.map((row) => row.seq)).toEqual([1, 2, 3, 4]);
    expect(chain[0].id).toBe(1_000_000);
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true, checked: 4 });
    await store.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await store.query('UPDATE audit_log SET after = \'{"n": 99}\' WHERE id = $1', [chain[2].id]);
    await store.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    expect(await verifyAuditLog(store)).toMatchObject({ ok: false, first_broken_id: chain[2].id });
  });

  // Concurrency needs two connections: PostgreSQL only (PGlite runs one transaction at a time).
  onPostgres(
    'a writer commits while another writer’s transaction is still open, and rows chain in commit order',
    async () => {
      let releaseFirst!: () => void;
      const firstMayCommit = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      let firstId = 0;
      let firstAppended!: () => void;
      const appended = new Promise<void>((resolve) => {
        firstAppended = resolve;
      });
      const first = store.transaction(async (tx) => {
        firstId = (await note(tx, 1)).id;
        firstAppended();
        await firstMayCommit;
      });
      await appended;
      // Before issue 13 item 4 this waited for the chain lock the open transaction held: it never resolved.
      const second = await store.transaction((tx) => note(tx, 2));
      releaseFirst();
      await first;
      expect(second.id).toBeGreaterThan(firstId);
      // The later id committed first, so it comes first in the chain.
      expect(await chainOf(store)).toEqual([
        { id: second.id, seq: 1 },
        { id: firstId, seq: 2 },
      ]);
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true, checked: 2 });
    }
  );

  const shardOf = async (tx: Sql) =>
    Number((await tx.query<{ s: number }>('SELECT pg_backend_pid() % 64 AS s')).rows[0].s);

  /** Runs `work` on a connection whose counter shard is not `shard` (holding colliding ones open meanwhile). */
  const onOtherShard = (shard: number, work: (tx: Sql) => Promise<unknown>): Promise<unknown> =>
    store.transaction(async (tx) => ((await shardOf(tx)) === shard ? onOtherShard(shard, work) : work(tx)));

  onPostgres(
    'a writer of incidents commits while another writer’s transaction is still open (sharded counter)',
    async () => {
      const insert = (tx: Sql, id: string) =>
        tx.query(
          `INSERT INTO incidents (id, grouping_key, title, status, severity, tenant, project, runbook_ids, missing_runbook,
           firing_count, resolved_count, correlation_ids, trace_ids, opened_at, updated_at, last_alert_at)
         VALUES ($1, $1, 'x', 'detected', 'sev3', 't', 'p', '[]', true, 1, 0, '[]', '[]', now(), now(), now())`,
          [id]
        );
      const total = async () =>
        Number((await store.query<{ v: number }>('SELECT sum(v)::bigint AS v FROM incident_version_shards')).rows[0].v);
      const before = await total();
      let release!: () => void;
      const mayCommit = new Promise<void>((resolve) => {
        release = resolve;
      });
      let inserted!: () => void;
      const firstInserted = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      let shardOfFirst!: (shard: number) => void;
      const firstShard = new Promise<number>((resolve) => {
        shardOfFirst = resolve;
      });
      const first = store.transaction(async (tx) => {
        await insert(tx, 'inc-shard-1');
        shardOfFirst(await shardOf(tx));
        inserted();
        await mayCommit;
      });
      await firstInserted;
      // Before: both statements' triggers updated the one incident_version row; this waited for the first COMMIT.
      await onOtherShard(await firstShard, (tx) => insert(tx, 'inc-shard-2'));
      expect(await total()).toBe(before + 1);
      release();
      await first;
      expect(await total()).toBe(before + 2);
    }
  );
});
