/**
 * Walks the whole audit chain in chain order (`seq`, see sequencer.ts), page by page, and reports the
 * first broken row by its id. Used by `opsdeck audit verify`, GET /api/v1/audit/verify and the
 * retention purge (which refuses to purge a broken prefix, so a purge can never launder tampering).
 * A row not chained yet is not part of the chain; `verifyAuditLog` chains such rows first.
 */
import type { AuditVerifyResult } from '../../contract/audit';
import type { Sql, Store } from '../store';
import { CHAIN_BREAK_EXPLANATIONS, GENESIS_HASH, verifyChainSegment } from './chain';
import { AUDIT_COLUMNS, auditRowFrom } from './rows';
import { chainAudit } from './sequencer';

const PAGE_SIZE = 1_000;

export interface VerifyOptions {
  /** Stop after the row at this chain position (inclusive): the purge checks only what it is about to delete. */
  throughSeq?: number;
}

export async function verifyAuditChain(sql: Sql, options: VerifyOptions = {}): Promise<AuditVerifyResult> {
  let afterSeq = -1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let checkpointId: number | null = null;
  for (;;) {
    const params: unknown[] = [afterSeq, PAGE_SIZE];
    let bound = '';
    if (options.throughSeq !== undefined) {
      params.push(options.throughSeq);
      bound = ' AND seq <= $3';
    }
    const { rows } = await sql.query(
      `SELECT ${AUDIT_COLUMNS}, seq FROM audit_log WHERE seq > $1${bound} ORDER BY seq LIMIT $2`,
      params
    );
    if (rows.length === 0) {
      break;
    }
    const page = rows.map(auditRowFrom);
    if (checked === 0 && page[0].kind === 'checkpoint') {
      checkpointId = page[0].id;
    }
    const result = verifyChainSegment(page, prevHash, { atStart: checked === 0 });
    if (!result.ok) {
      return {
        ok: false,
        checked: checked + result.checked,
        first_broken_id: result.break.id,
        reason: `${result.break.reason}: ${CHAIN_BREAK_EXPLANATIONS[result.break.reason]}`,
        head_hash: null,
        checkpoint_id: checkpointId,
      };
    }
    checked += result.checked;
    prevHash = result.lastHash;
    afterSeq = Number(rows[rows.length - 1].seq);
  }
  return {
    ok: true,
    checked,
    first_broken_id: null,
    reason: null,
    head_hash: checked > 0 ? prevHash : null,
    checkpoint_id: checkpointId,
  };
}

/**
 * The whole log: first chains every committed row still waiting (a crash between a commit and its
 * chaining leaves some), then walks the chain. What `opsdeck audit verify`, the verify route and
 * `opsdeck restore` run.
 */
export async function verifyAuditLog(store: Store): Promise<AuditVerifyResult> {
  // A store this caller may only read cannot chain: verify what is chained.
  await chainAudit(store).catch(() => 0);
  return verifyAuditChain(store);
}
