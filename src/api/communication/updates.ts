/**
 * Status updates: an incident commander tells responders (internal) or stakeholders (external) where
 * an incident stands. Each update is one transaction with its timeline entry and one audit row; the
 * first update of an incident is its initial response. External updates make the status feed; every
 * update is also written to the owner team's Slack and webhook channels through the paging outbox, in
 * the same transaction (delivered by the on-call worker with its retries).
 */
import {
  UPDATE_STAGES,
  type IncidentUpdates,
  type StatusFeed,
  type StatusTemplatesFile,
  type StatusUpdate,
  type StatusUpdateRequest,
} from '../../contract/communication';
import { endpoints } from '../../contract/endpoints';
import { absoluteLink, appLinks } from '../../contract/links';
import type { Catalog } from '../../catalog/model';
import { appendAudit } from '../audit/append';
import { notFound } from '../errors';
import type { IncidentRecord } from '../incidents/model';
import { findIncident, insertTimeline, newIdAt, touchIncident } from '../incidents/repository';
import { publishStatusUpdate } from '../oncall/hooks';
import type { Sql, Store } from '../store';
import { auditContextIn, type ActorAt } from '../access/actor';
import type { RequestScope } from '../access/identity';
import { atomFeed } from './atom';
import { fillTemplate, templateValues } from './templates';
import { externalFeed, findUpdate, hasUpdates, insertUpdate, updatesOf } from './updates-repository';

export async function incidentInScope(sql: Sql, caller: ActorAt, id: string, forUpdate = false) {
  const incident = await findIncident(sql, id, caller.scope, { forUpdate });
  if (!incident) {
    throw notFound('incident_not_found', `no incident ${id} in this project`, { incident_id: id });
  }
  return incident;
}

export function filledTemplates(templates: StatusTemplatesFile, incident: IncidentRecord, now: Date) {
  const values = templateValues(incident, now);
  return UPDATE_STAGES.map((stage) => ({ stage, message: fillTemplate(templates.templates[stage], values) }));
}

export async function listUpdates(
  store: Store,
  caller: ActorAt,
  templates: StatusTemplatesFile,
  incidentId: string
): Promise<IncidentUpdates> {
  const incident = await incidentInScope(store, caller, incidentId);
  return { items: await updatesOf(store, incident.id), templates: filledTemplates(templates, incident, caller.now) };
}

export async function postUpdate(
  store: Store,
  caller: ActorAt,
  catalog: Pick<Catalog, 'statusTemplates' | 'oncall'>,
  incidentId: string,
  body: StatusUpdateRequest
): Promise<StatusUpdate> {
  const now = caller.now;
  const templates = catalog.statusTemplates;
  return store.transaction(async (tx) => {
    // Locked, so two first updates posted at once cannot both count as the initial response.
    const incident = await incidentInScope(tx, caller, incidentId, true);
    const initial = !(await hasUpdates(tx, incident.id));
    const message = body.message ?? fillTemplate(templates.templates[body.stage], templateValues(incident, now));
    const id = newIdAt(now);
    await insertUpdate(tx, {
      id,
      incident_id: incident.id,
      tenant: incident.tenant,
      project: incident.project,
      stage: body.stage,
      audience: body.audience,
      message,
      posted_by: caller.user,
      posted_at: now,
      correlation_id: caller.audit.correlation_id,
    });
    await insertTimeline(tx, [
      {
        id: newIdAt(now),
        incident_id: incident.id,
        at: now,
        kind: 'status_update',
        actor: caller.user,
        summary: `${body.audience === 'external' ? 'External' : 'Internal'} update (${body.stage}): ${message}`,
        data: { update_id: id, stage: body.stage, audience: body.audience, initial_response: initial },
        correlation_id: caller.audit.correlation_id,
      },
    ]);
    await touchIncident(tx, incident.id, now);
    await appendAudit(
      tx,
      auditContextIn(caller, incident),
      {
        action: 'incident.status_update',
        target_type: 'incident',
        target_id: incident.id,
        after: { update_id: id, stage: body.stage, audience: body.audience, message, initial_response: initial },
      },
      now
    );
    const posted = (await findUpdate(tx, id))!;
    await publishStatusUpdate(
      tx,
      catalog,
      incident,
      {
        id,
        stage: posted.stage,
        audience: posted.audience,
        message,
        posted_by: caller.user,
        posted_at: posted.posted_at,
      },
      now
    );
    return posted;
  });
}

/** The status feed: the scope's external updates, newest first, and when the newest was posted. */
export async function statusFeed(store: Store, scope: RequestScope | null, limit: number): Promise<StatusFeed> {
  const items = await externalFeed(store, scope, limit);
  return { updated_at: items[0]?.posted_at ?? null, items };
}

/** The same feed as an Atom 1.0 document, its links pointing into Grafana at `grafanaUrl`. */
export async function statusAtom(
  store: Store,
  scope: RequestScope | null,
  limit: number,
  grafanaUrl: string
): Promise<string> {
  const items = await externalFeed(store, scope, limit);
  return atomFeed(items, {
    selfUrl: absoluteLink(grafanaUrl, endpoints.statusAtom.path),
    incidentUrl: (id) => absoluteLink(grafanaUrl, appLinks.incident(id)),
  });
}
