/**
 * The audit log's hash chain, as pure functions: each row stores
 * `hash = sha256(prev_hash || canonical_json(row))`, where canonical_json is RFC 8785 (JCS) over the
 * row's fields except the hashes. Changing any field of any row, or removing a row from the middle,
 * breaks the chain at that row.
 *
 * Retention: a purge deletes the oldest rows and puts one `checkpoint` row in their place (it takes the
 * id of the last purged row, so it sorts first). A checkpoint stands in for the purged prefix: its
 * prev_hash is the hash of the last purged row, its own hash covers its fields, and the chain
 * continues from its prev_hash. It is accepted only as the very first row; anywhere else it is a break.
 */
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

import { escapeText, escapeTextDeep } from '../../contract/text';

/** prev_hash of the first row ever written (and of nothing else). */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  id: number;
  occurred_at: string;
  kind: 'event' | 'checkpoint';
  actor: string;
  role: string;
  tenant: string | null;
  project: string | null;
  action: string;
  target_type: string;
  target_id: string;
  before: unknown;
  after: unknown;
  correlation_id: string;
  source_ip: string | null;
}

export interface ChainedAuditRow extends AuditFields {
  prev_hash: string;
  hash: string;
}

const storableOrNull = (value: string | null) => (value === null ? null : escapeText(value));

/**
 * The row exactly as the store will keep it, so that the hash is computed over what a verifier reads
 * back (issue 17 item 2: a lone surrogate was hashed as sent but stored as U+FFFD, and the chain read
 * as broken from then on). Text loses what PostgreSQL cannot store (NUL, lone surrogates: escaped as
 * `\uXXXX`); before/after go through JSON as JSONB does (undefined members dropped, dates as strings).
 * Identity on rows that were storable already, so chains written before this verify unchanged.
 */
export function storableAuditFields(fields: AuditFields): AuditFields {
  const json = (value: unknown) =>
    value === undefined || value === null ? null : escapeTextDeep(JSON.parse(JSON.stringify(value))).value;
  return {
    ...fields,
    actor: escapeText(fields.actor),
    role: escapeText(fields.role),
    tenant: storableOrNull(fields.tenant),
    project: storableOrNull(fields.project),
    action: escapeText(fields.action),
    target_type: escapeText(fields.target_type),
    target_id: escapeText(fields.target_id),
    before: json(fields.before),
    after: json(fields.after),
    correlation_id: escapeText(fields.correlation_id),
    source_ip: storableOrNull(fields.source_ip),
  };
}

export function canonicalAuditJson(fields: AuditFields): string {
  const {
    id,
    occurred_at,
    kind,
    actor,
    role,
    tenant,
    project,
    action,
    target_type,
    target_id,
    before,
    after,
    correlation_id,
    source_ip,
  } = fields;
  const text = canonicalize({
    id,
    occurred_at,
    kind,
    actor,
    role,
    tenant,
    project,
    action,
    target_type,
    target_id,
    before: before ?? null,
    after: after ?? null,
    correlation_id,
    source_ip,
  });
  if (text === undefined) {
    throw new Error('audit row is not serialisable');
  }
  return text;
}

export function auditHash(prevHash: string, fields: AuditFields): string {
  return createHash('sha256').update(prevHash).update(canonicalAuditJson(fields)).digest('hex');
}

/** The hash the next row must carry as prev_hash: a checkpoint passes on the anchor it stands in for. */
export function continuationHash(row: Pick<ChainedAuditRow, 'kind' | 'hash' | 'prev_hash'>): string {
  return row.kind === 'checkpoint' ? row.prev_hash : row.hash;
}

export type ChainBreakReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'unexpected_checkpoint';
export type ChainBreak = { id: number; reason: ChainBreakReason; expected: string; actual: string };

export const CHAIN_BREAK_EXPLANATIONS: Record<ChainBreakReason, string> = {
  hash_mismatch: 'the row was changed after it was written (its content no longer matches its hash)',
  prev_hash_mismatch: 'a row before it was removed, inserted or changed (it does not continue the chain)',
  unexpected_checkpoint:
    'a checkpoint row appears after the start of the log (only a retention purge writes one, first)',
};

/**
 * Checks rows given in id order, starting from `prevHash` (the genesis hash, or the continuation hash
 * of the last row checked by a previous call). `atStart` says the first row given is the first row of
 * the log, the only place a checkpoint may stand. Returns the first break, or the hash to continue from.
 */
export function verifyChainSegment(
  rows: Iterable<ChainedAuditRow>,
  prevHash: string = GENESIS_HASH,
  options: { atStart?: boolean } = {}
): { ok: true; lastHash: string; checked: number } | { ok: false; checked: number; break: ChainBreak } {
  let expectedPrev = prevHash;
  let checked = 0;
  const atStart = options.atStart ?? prevHash === GENESIS_HASH;
  for (const row of rows) {
    const isCheckpoint = row.kind === 'checkpoint';
    if (isCheckpoint && !(atStart && checked === 0)) {
      return {
        ok: false,
        checked,
        break: { id: row.id, reason: 'unexpected_checkpoint', expected: 'event', actual: row.kind },
      };
    }
    // The first-row checkpoint is the re-anchor after a purge: the rows it replaced are gone.
    if (!isCheckpoint && row.prev_hash !== expectedPrev) {
      return {
        ok: false,
        checked,
        break: { id: row.id, reason: 'prev_hash_mismatch', expected: expectedPrev, actual: row.prev_hash },
      };
    }
    const recomputed = auditHash(row.prev_hash, row);
    if (recomputed !== row.hash) {
      return {
        ok: false,
        checked,
        break: { id: row.id, reason: 'hash_mismatch', expected: recomputed, actual: row.hash },
      };
    }
    expectedPrev = continuationHash(row);
    checked += 1;
  }
  return { ok: true, lastHash: expectedPrev, checked };
}
