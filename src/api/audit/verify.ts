/**
 * Walks the whole audit chain in id order, page by page, and reports the first broken row. Used by
 * `opsdeck audit verify`, GET /api/v1/audit/verify and the retention purge (which refuses to purge a
 * broken prefix, so a purge can never launder tampering).
 */
import type { AuditVerifyResult } from '../../contract/audit';
import type { Sql } from '../store';
import { CHAIN_BREAK_EXPLANATIONS, GENESIS_HASH, verifyChainSegment } from './chain';
import { AUDIT_COLUMNS, auditRowFrom } from './rows';

const PAGE_SIZE = 1_000;

export interface VerifyOptions {
  /** Stop after the row with this id (inclusive): the purge checks only what it is about to delete. */
  throughId?: number;
}

export async function verifyAuditChain(sql: Sql, options: VerifyOptions = {}): Promise<AuditVerifyResult> {
  let afterId = -1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let checkpointId: number | null = null;
  for (;;) {
    const params: unknown[] = [afterId, PAGE_SIZE];
    let bound = '';
    if (options.throughId !== undefined) {
      params.push(options.throughId);
      bound = ' AND id <= $3';
    }
    const { rows } = await sql.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE id > $1${bound} ORDER BY id LIMIT $2`,
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
    afterId = page[page.length - 1].id;
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
