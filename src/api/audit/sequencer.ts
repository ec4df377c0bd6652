/**
 * The audit chain's sequencer (issue 13 item 4). Writers insert audit rows unchained (append.ts) and
 * never wait for one another; after their commit the sequencer gives the committed rows their place in
 * the chain (`seq`) and their hashes, in batches, one sequencer at a time across every replica (the
 * chain lock, held only for the batch's own short transaction). Rows are chained in the order they
 * became visible, i.e. in commit order: a row that committed later than a newer id is chained later.
 *
 * When it runs: after every transaction that appended a row, before that transaction's `transaction()`
 * resolves (so a request's audit row is chained before its answer, and reads of the log see it); at
 * start and every few seconds (`startAuditSweep`), which chains rows left unchained by a crash between
 * a commit and its chaining — in this process or another replica; and before every verification and
 * purge. Concurrent callers share runs (overview/coalesce.ts): a caller waits for a run that started
 * after it asked, so its own committed row is in it, and one run serves every caller of a burst.
 */
import { coalescing } from '../overview/coalesce';
import type { Sql, Store } from '../store';
import { auditHash, continuationHash, GENESIS_HASH } from './chain';
import { AUDIT_COLUMNS, auditRowFrom } from './rows';

/** Serialises chaining and retention purges, so that each row's prev_hash is the hash of the row before it. */
export const AUDIT_CHAIN_LOCK_KEY = 0x61756474; // "audt"

/** Rows chained per sequencer transaction: the chain lock is never held for long. */
export const CHAIN_BATCH = 1_000;

/**
 * Chains up to `limit` committed unchained rows, lowest id first, after the current head (call inside
 * a transaction; takes the chain lock to COMMIT). Returns how many it chained.
 */
export async function chainPending(tx: Sql, limit = CHAIN_BATCH): Promise<number> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_KEY]);
  // Read after the lock: this statement's snapshot sees every batch chained before us.
  const pending = await tx.query(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT $1`, [
    limit,
  ]);
  if (pending.rows.length === 0) {
    return 0;
  }
  const head = await tx.query<{ kind: 'event' | 'checkpoint'; hash: string; prev_hash: string; seq: number }>(
    'SELECT kind, hash, prev_hash, seq FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1'
  );
  let prevHash = head.rows[0] ? continuationHash(head.rows[0]) : GENESIS_HASH;
  let seq = head.rows[0] ? Number(head.rows[0].seq) : 0;
  const links = pending.rows.map((row) => {
    // Hashed as read back, i.e. exactly as stored and as the verifier will read it.
    const hash = auditHash(prevHash, auditRowFrom(row));
    seq += 1;
    const link = { id: Number(row.id), seq, prev_hash: prevHash, hash };
    prevHash = hash;
    return link;
  });
  await tx.query(
    `UPDATE audit_log AS a SET seq = r.seq, prev_hash = r.prev_hash, hash = r.hash
       FROM jsonb_to_recordset($1::jsonb) AS r (id bigint, seq bigint, prev_hash text, hash text)
      WHERE a.id = r.id AND a.seq IS NULL`,
    [JSON.stringify(links)]
  );
  return links.length;
}

const runners = new WeakMap<Store, (key: string) => Promise<number>>();

/** Chains every row committed before the call (one batch transaction after another). Returns the count. */
export function chainAudit(store: Store): Promise<number> {
  let run = runners.get(store);
  if (!run) {
    run = coalescing(async () => {
      let total = 0;
      for (;;) {
        const chained = await store.transaction((tx) => chainPending(tx));
        total += chained;
        if (chained < CHAIN_BATCH) {
          return total;
        }
      }
    });
    runners.set(store, run);
  }
  return run('audit');
}

/** Whether committed rows wait to be chained (cheap: a partial index of a handful of rows). */
async function anyUnchained(sql: Sql): Promise<boolean> {
  const { rows } = await sql.query<{ any: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM audit_log WHERE seq IS NULL) AS any'
  );
  return Boolean(rows[0]?.any);
}

/**
 * Chains leftovers now and every `intervalMs`: rows a crash left unchained, here or on another
 * replica. Returns the stop function. Failures (the store away) wait for the next tick.
 */
export function startAuditSweep(store: Store, intervalMs = 5_000, onError: (error: unknown) => void = () => undefined) {
  const sweep = async () => {
    try {
      if (await anyUnchained(store)) {
        await chainAudit(store);
      }
    } catch (error) {
      onError(error);
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
