/**
 * Postmortems: a draft generated from a resolved incident, edited, published; its action items
 * tracked; the policy that a sev1/sev2 incident closes only with its postmortem. Each change is one
 * transaction with its timeline entry (when the incident's story changes) and one audit row.
 */
import type { ActionDefinition } from '../../contract/approvals';
import type {
  ActionItem,
  ActionItemPage,
  ActionItemQuery,
  Postmortem,
  PostmortemCreateRequest,
  PostmortemEditRequest,
  PostmortemObligations,
  PostmortemPolicyFile,
} from '../../contract/communication';
import { listApprovalRecords, toApprovals } from '../approvals/repository';
import { appendAudit } from '../audit/append';
import { auditContextIn, type ActorAt } from '../access/actor';
import type { RequestScope } from '../access/identity';
import { incidentInScope } from '../communication/updates';
import { badRequest, conflict, notFound } from '../errors';
import type { IncidentRecord, TimelineRecord } from '../incidents/model';
import { insertTimeline, newIdAt, timelineOf } from '../incidents/repository';
import type { Sql, Store } from '../store';
import { draftItems, draftMarkdown, exportMarkdown } from './draft';
import {
  actionItemsOf,
  countOverdueItems,
  decodeItemCursor,
  findPostmortemOf,
  flaggedRunbooks,
  insertPostmortem,
  insertReviewFlags,
  listActionItems as listItemRecords,
  missingPostmortems,
  replaceActionItems,
  reviewFlagsOf,
  setActionItemStatus,
  toPostmortem,
  updatePostmortem,
  type ActionItemRecord,
  type PostmortemRecord,
} from './repository';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface PostmortemContext {
  policy: PostmortemPolicyFile;
  actions: ReadonlyMap<string, ActionDefinition>;
}

/** When the policy wants this incident's postmortem: resolution + the severity's due_hours; null when optional. */
export function postmortemDueAt(policy: PostmortemPolicyFile, incident: IncidentRecord): Date | null {
  const rule = policy.required[incident.severity];
  if (!rule || !incident.resolved_at) {
    return null;
  }
  return new Date(incident.resolved_at.getTime() + rule.due_hours * HOUR);
}

/** Runbooks opened or stepped through on the timeline, and those of the actions requested. */
export function runbooksUsed(timeline: TimelineRecord[], actions: ReadonlyMap<string, ActionDefinition>): string[] {
  const ids = new Set<string>();
  for (const entry of timeline) {
    const runbookId = entry.data.runbook_id;
    if ((entry.kind === 'runbook_opened' || entry.kind === 'checklist_step_done') && typeof runbookId === 'string') {
      ids.add(runbookId);
    }
    const actionId = entry.data.action_id;
    if (entry.kind === 'approval_requested' && typeof actionId === 'string' && actions.get(actionId)) {
      ids.add(actions.get(actionId)!.runbook_id);
    }
  }
  return [...ids].sort();
}

async function view(
  sql: Sql,
  context: PostmortemContext,
  record: PostmortemRecord,
  incident: IncidentRecord,
  now: Date
) {
  return toPostmortem(
    record,
    await actionItemsOf(sql, record.id, now),
    await reviewFlagsOf(sql, record.id),
    postmortemDueAt(context.policy, incident)
  );
}

async function mustFindPostmortem(sql: Sql, incidentId: string, forUpdate = false) {
  const record = await findPostmortemOf(sql, incidentId, forUpdate);
  if (!record) {
    throw notFound('postmortem_not_found', `incident ${incidentId} has no postmortem yet`, { incident_id: incidentId });
  }
  return record;
}

export async function createPostmortem(
  store: Store,
  caller: ActorAt,
  context: PostmortemContext,
  incidentId: string,
  body: PostmortemCreateRequest
): Promise<Postmortem> {
  const now = caller.now;
  return store.transaction(async (tx) => {
    const incident = await incidentInScope(tx, caller, incidentId, true);
    if (incident.status !== 'resolved' && incident.status !== 'closed') {
      throw conflict(
        'invalid_transition',
        `a postmortem follows resolution; incident ${incident.id} is ${incident.status}`,
        {
          status: incident.status,
        }
      );
    }
    if (await findPostmortemOf(tx, incident.id)) {
      throw conflict('postmortem_exists', `incident ${incident.id} already has a postmortem; edit it instead`, {
        incident_id: incident.id,
      });
    }
    const timeline = await timelineOf(tx, incident.id);
    const records = await listApprovalRecords(tx, caller.scope, { incident_id: incident.id, limit: 500 }, now, null);
    const approvals = await toApprovals(tx, records.records, { user: caller.user, role: 'viewer', now });
    const facts = { incident, timeline, approvals, runbooksUsed: runbooksUsed(timeline, context.actions), now };
    const record: PostmortemRecord = {
      id: newIdAt(now),
      incident_id: incident.id,
      tenant: incident.tenant,
      project: incident.project,
      status: 'draft',
      external_url: body.external_url ?? null,
      markdown: body.external_url
        ? `# Postmortem: ${incident.title}\n\nKept elsewhere: ${body.external_url}\n`
        : draftMarkdown(facts),
      created_by: caller.user,
      created_at: now,
      updated_at: now,
      published_at: null,
    };
    await insertPostmortem(tx, record);
    const due = new Date(now.getTime() + context.policy.action_item_due_days * DAY);
    const items: ActionItemRecord[] = body.external_url
      ? []
      : draftItems(facts).map((item) => ({ id: newIdAt(now), ...item, due_at: due, status: 'open', done_at: null }));
    await replaceActionItems(tx, record, items);
    await insertTimeline(tx, [
      {
        id: newIdAt(now),
        incident_id: incident.id,
        at: now,
        kind: 'postmortem_created',
        actor: caller.user,
        summary: body.external_url ? `Postmortem kept elsewhere: ${body.external_url}` : 'Postmortem draft created',
        data: { postmortem_id: record.id, external_url: record.external_url },
        correlation_id: caller.audit.correlation_id,
      },
    ]);
    await appendAudit(
      tx,
      auditContextIn(caller, incident),
      {
        action: 'postmortem.create',
        target_type: 'incident',
        target_id: incident.id,
        after: { postmortem_id: record.id, external_url: record.external_url, action_items: items.length },
      },
      now
    );
    return view(tx, context, record, incident, now);
  });
}

export async function getPostmortem(store: Store, caller: ActorAt, context: PostmortemContext, incidentId: string) {
  const incident = await incidentInScope(store, caller, incidentId);
  return view(store, context, await mustFindPostmortem(store, incident.id), incident, caller.now);
}

export async function exportPostmortem(store: Store, caller: ActorAt, context: PostmortemContext, incidentId: string) {
  const postmortem = await getPostmortem(store, caller, context, incidentId);
  return exportMarkdown(postmortem.markdown, postmortem.action_items);
}

function itemsFromEdit(body: NonNullable<PostmortemEditRequest['action_items']>, current: ActionItem[], now: Date) {
  const byId = new Map(current.map((item) => [item.id, item]));
  return body.map((input): ActionItemRecord => {
    const kept = input.id ? byId.get(input.id) : undefined;
    if (input.id && !kept) {
      throw badRequest(`action item ${input.id} is not on this postmortem`, { action_item_id: input.id });
    }
    return {
      id: kept?.id ?? newIdAt(now),
      title: input.title,
      owner: input.owner,
      due_at: new Date(input.due_at),
      status: kept?.state === 'done' ? 'done' : 'open',
      done_at: kept?.done_at ? new Date(kept.done_at) : null,
    };
  });
}

export async function editPostmortem(
  store: Store,
  caller: ActorAt,
  context: PostmortemContext,
  incidentId: string,
  body: PostmortemEditRequest
): Promise<Postmortem> {
  const now = caller.now;
  return store.transaction(async (tx) => {
    const incident = await incidentInScope(tx, caller, incidentId, true);
    const current = await mustFindPostmortem(tx, incident.id, true);
    const publishing = body.status === 'published' && current.status !== 'published';
    const next: PostmortemRecord = {
      ...current,
      markdown: body.markdown ?? current.markdown,
      updated_at: now,
      status: publishing ? 'published' : current.status,
      published_at: publishing ? now : current.published_at,
    };
    await updatePostmortem(tx, next);
    if (body.action_items) {
      await replaceActionItems(tx, next, itemsFromEdit(body.action_items, await actionItemsOf(tx, next.id, now), now));
    }
    let flagged: string[] = [];
    if (publishing) {
      flagged = runbooksUsed(await timelineOf(tx, incident.id), context.actions);
      await insertReviewFlags(tx, next, flagged, now);
      await insertTimeline(tx, [
        {
          id: newIdAt(now),
          incident_id: incident.id,
          at: now,
          kind: 'postmortem_published',
          actor: caller.user,
          summary: `Postmortem published${flagged.length > 0 ? `; runbooks flagged for review: ${flagged.join(', ')}` : ''}`,
          data: { postmortem_id: next.id, runbooks_flagged: flagged },
          correlation_id: caller.audit.correlation_id,
        },
      ]);
    }
    await appendAudit(
      tx,
      auditContextIn(caller, incident),
      {
        action: publishing ? 'postmortem.publish' : 'postmortem.edit',
        target_type: 'incident',
        target_id: incident.id,
        before: { status: current.status, markdown_length: current.markdown.length },
        after: {
          status: next.status,
          markdown_length: next.markdown.length,
          action_items: body.action_items?.length ?? null,
          runbooks_flagged: flagged,
        },
      },
      now
    );
    return view(tx, context, next, incident, now);
  });
}

export async function setItemStatus(store: Store, caller: ActorAt, id: string, status: 'open' | 'done') {
  return store.transaction(async (tx) => {
    const item = await setActionItemStatus(tx, id, caller.scope, status, caller.now);
    if (!item) {
      throw notFound('action_item_not_found', `no action item ${id} in this project`, { action_item_id: id });
    }
    await appendAudit(
      tx,
      auditContextIn(caller, item),
      { action: 'postmortem.action_item', target_type: 'action_item', target_id: id, after: { status } },
      caller.now
    );
    return item;
  });
}

/** Action items of the scope, soonest due first; a cursor this API did not issue is a 400, not a 500. */
export async function listActionItems(
  store: Store,
  scope: RequestScope | null,
  query: ActionItemQuery,
  now: Date
): Promise<ActionItemPage> {
  if (query.cursor) {
    try {
      decodeItemCursor(query.cursor);
    } catch {
      throw badRequest('cursor is not one this API issued', { cursor: query.cursor });
    }
  }
  return listItemRecords(store, scope, query, now);
}

/**
 * Closing rule: a sev1/sev2 incident (per policy) closes only once its postmortem is published or
 * points to one kept elsewhere. A draft is not enough: the review is the point of closing.
 */
export async function assertClosable(tx: Sql, policy: PostmortemPolicyFile, incident: IncidentRecord) {
  if (!policy.required[incident.severity]) {
    return;
  }
  const postmortem = await findPostmortemOf(tx, incident.id);
  if (postmortem && (postmortem.status === 'published' || postmortem.external_url)) {
    return;
  }
  throw conflict(
    'postmortem_required',
    `a ${incident.severity} incident closes only with its postmortem: ${
      postmortem ? 'publish the draft' : 'create one (POST /incidents/{id}/postmortem), or link one kept elsewhere'
    }`,
    { severity: incident.severity, postmortem_status: postmortem?.status ?? 'missing' }
  );
}

export async function obligations(
  store: Store,
  caller: ActorAt,
  policy: PostmortemPolicyFile
): Promise<PostmortemObligations> {
  const required = Object.entries(policy.required).map(([severity, rule]) => ({ severity, hours: rule!.due_hours }));
  const due = await missingPostmortems(store, caller.scope, required);
  const postmortemsDue = due.map((row) => ({
    ...row,
    severity: row.severity as PostmortemObligations['postmortems_due'][number]['severity'],
    postmortem_status: row.postmortem_status === 'draft' ? ('draft' as const) : ('missing' as const),
    overdue: Date.parse(row.due_at) < caller.now.getTime(),
  }));
  return {
    postmortems_due: postmortemsDue,
    overdue_postmortems: postmortemsDue.filter((row) => row.overdue).length,
    overdue_action_items: await countOverdueItems(store, caller.scope, caller.now),
    runbooks_to_review: await flaggedRunbooks(store, caller.scope),
  };
}
