/**
 * The audit log's hash chain, as pure functions: each row stores
 * `hash = sha256(prev_hash || canonical_json(row))`, where canonical_json is RFC 8785 (JCS) over the
 * row's fields except the hashes. Changing any field of any row, or removing a row from the middle,
 * breaks the chain at that row.
 */
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

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

export function canonicalAuditJson(fields: AuditFields): string {
  const { id, occurred_at, kind, actor, role, tenant, project, action, target_type, target_id, before, after, correlation_id, source_ip } =
    fields;
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

export type ChainBreak = { id: number; reason: 'hash_mismatch' | 'prev_hash_mismatch'; expected: string; actual: string };

/**
 * Checks rows given in id order, starting from `prevHash` (the genesis hash, or the hash of the
 * last row checked by a previous call). Returns the first break, or the hash to continue from.
 */
export function verifyChainSegment(
  rows: Iterable<ChainedAuditRow>,
  prevHash: string = GENESIS_HASH
): { ok: true; lastHash: string; checked: number } | { ok: false; checked: number; break: ChainBreak } {
  let expectedPrev = prevHash;
  let checked = 0;
  for (const row of rows) {
    // A checkpoint row starts the chain anew after a retention purge: it records the hash it continues from.
    if (row.kind !== 'checkpoint' && row.prev_hash !== expectedPrev) {
      return { ok: false, checked, break: { id: row.id, reason: 'prev_hash_mismatch', expected: expectedPrev, actual: row.prev_hash } };
    }
    const recomputed = auditHash(row.prev_hash, row);
    if (recomputed !== row.hash) {
      return { ok: false, checked, break: { id: row.id, reason: 'hash_mismatch', expected: recomputed, actual: row.hash } };
    }
    expectedPrev = row.hash;
    checked += 1;
  }
  return { ok: true, lastHash: expectedPrev, checked };
}
