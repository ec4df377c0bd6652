/**
 * Retention: deletes audit rows older than the retention period and leaves one checkpoint row in
 * their place, so `opsdeck audit verify` still walks an unbroken chain (see chain.ts).
 *
 * The whole purge is one transaction under the chain lock: it sets the transaction-local
 * `opsdeck.audit_purge` that the append-only trigger (migration 0003) checks, verifies the prefix it is
 * about to delete (a broken prefix is refused, never laundered), deletes it, and inserts the
 * checkpoint with the id and chain position (seq) of the last purged row and, as prev_hash, the hash the kept rows continue from.
 * The newest event row is always kept, so the log never ends in a checkpoint.
 */
import type { Sql, Store } from '../store';
import { insertAuditRow } from './append';
import { continuationHash, type AuditFields } from './chain';
import { AUDIT_COLUMNS, auditRowFrom } from './rows';
import { AUDIT_CHAIN_LOCK_KEY, chainPending, CHAIN_BATCH } from './sequencer';
import { verifyAuditChain } from './verify';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeResult {
  purged: number;
  checkpoint_id: number | null;
  cutoff: string;
}

export class AuditChainBrokenError extends Error {
  constructor(
    readonly rowId: number,
    reason: string
  ) {
    super(`audit row ${rowId} is broken (${reason}); refusing to purge. Run opsdeck audit verify.`);
    this.name = 'AuditChainBrokenError';
  }
}

export async function purgeAudit(
  store: Store,
  options: { retentionDays: number; now: Date; correlationId: string; actor?: string }
): Promise<PurgeResult> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * DAY_MS);
  return store.transaction(async (tx) => {
    await tx.query("SELECT set_config('opsdeck.audit_purge', 'on', true)");
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_KEY]);
    // Chain what committed unchained first (sequencer.ts), so the purge works on the whole chain.
    while ((await chainPending(tx)) === CHAIN_BATCH) {
      // another batch
    }
    const firstKept = await firstKeptSeq(tx, cutoff);
    const nothing = { purged: 0, checkpoint_id: null, cutoff: cutoff.toISOString() };
    if (firstKept === null) {
      return nothing;
    }
    const old = await tx.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE kind = 'event' AND seq < $1",
      [firstKept]
    );
    if (Number(old.rows[0].n) === 0) {
      // Only a previous checkpoint (or nothing) precedes the kept rows: there is nothing to purge.
      return nothing;
    }
    const last = await tx.query(
      `SELECT ${AUDIT_COLUMNS}, seq FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT 1`,
      [firstKept]
    );
    const lastPurged = auditRowFrom(last.rows[0]);
    const lastPurgedSeq = Number(last.rows[0].seq);
    // Verify through the first kept row, so the link across the cut is checked too.
    const check = await verifyAuditChain(tx, { throughSeq: firstKept });
    if (!check.ok) {
      throw new AuditChainBrokenError(check.first_broken_id ?? -1, check.reason ?? 'broken');
    }
    const span = await tx.query<{ n: number; first: number }>(
      'SELECT count(*)::int AS n, min(id) AS first FROM audit_log WHERE seq < $1',
      [firstKept]
    );
    const purged = Number(span.rows[0].n);
    await tx.query('DELETE FROM audit_log WHERE seq < $1', [firstKept]);

    const anchor = continuationHash(lastPurged);
    const fields: AuditFields = {
      id: lastPurged.id,
      occurred_at: options.now.toISOString(),
      kind: 'checkpoint',
      actor: options.actor ?? 'opsdeck',
      role: 'system',
      tenant: null,
      project: null,
      action: 'audit.retention_purge',
      target_type: 'audit_log',
      target_id: String(lastPurged.id),
      before: { first_id: Number(span.rows[0].first), last_id: lastPurged.id, rows: purged },
      after: { cutoff: cutoff.toISOString(), retention_days: options.retentionDays, anchor_hash: anchor },
      correlation_id: options.correlationId,
      source_ip: null,
    };
    await insertAuditRow(tx, fields, anchor, lastPurgedSeq);
    return { purged, checkpoint_id: fields.id, cutoff: cutoff.toISOString() };
  });
}

/** The chain position of the oldest event inside the retention period, or of the newest event when every row is older. */
async function firstKeptSeq(tx: Sql, cutoff: Date): Promise<number | null> {
  const inside = await tx.query<{ id: number | null }>(
    "SELECT min(seq) AS id FROM audit_log WHERE kind = 'event' AND occurred_at >= $1",
    [cutoff.toISOString()]
  );
  if (inside.rows[0]?.id !== null && inside.rows[0]?.id !== undefined) {
    return Number(inside.rows[0].id);
  }
  const newest = await tx.query<{ id: number | null }>("SELECT max(seq) AS id FROM audit_log WHERE kind = 'event'");
  return newest.rows[0]?.id === null || newest.rows[0]?.id === undefined ? null : Number(newest.rows[0].id);
}
