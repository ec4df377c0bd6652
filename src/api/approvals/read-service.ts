/**
 * The two reads of remediation requests: a page of the project's requests, and one request with its
 * evidence, decisions, execution, verification and feedback. Each approval answers whether this reader
 * may decide it (their access.yaml role in the project, approvals/service.ts `readerOf`).
 */
import type { Approval, ApprovalListQuery } from '../../contract/approvals';
import type { Actor } from '../access/actor';
import { badRequest, notFound } from '../errors';
import type { ApprovalsContext } from './context';
import { decodeCursor, findApproval, listApprovalRecords, toApprovals } from './repository';
import { approvalView, readerOf } from './service';

type ReadContext = Pick<ApprovalsContext, 'store' | 'now'>;

export async function listApprovals(ctx: ReadContext, actor: Actor, query: ApprovalListQuery) {
  const afterId = query.cursor ? decodeCursor(query.cursor) : null;
  if (query.cursor && afterId === null) {
    throw badRequest('cursor is not one this API issued', { cursor: query.cursor });
  }
  const page = await listApprovalRecords(ctx.store, actor.scope, query, ctx.now(), afterId);
  return { items: await toApprovals(ctx.store, page.records, readerOf(ctx, actor)), next_cursor: page.next_cursor };
}

export async function getApproval(ctx: ReadContext, actor: Actor, id: string): Promise<Approval> {
  const record = await findApproval(ctx.store, id, actor.scope);
  if (!record) {
    throw notFound('approval_not_found', `no approval ${id} in this project`, { approval_id: id });
  }
  return approvalView(ctx, actor, ctx.store, record);
}
