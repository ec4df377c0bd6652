/**
 * The pages that changes cause, written inside the transaction of the change: an incident opened
 * (level 1), acknowledged, resolved. Escalations are written by the worker (worker.ts).
 */
import type { Catalog } from '../../catalog/model';
import type { IncidentRecord } from '../incidents/model';
import type { Sql } from '../store';
import type { PageEvent, StatusUpdateNotice } from './channels';
import { refreshEscalation } from './escalation-store';
import { enqueuePages, enqueueStatusUpdate } from './outbox';
import { responsesOf } from './response';

export async function pageOpenedIncidents(tx: Sql, catalog: Catalog, opened: readonly IncidentRecord[], now: Date) {
  if (!catalog.oncall) {
    return;
  }
  for (const incident of opened) {
    await enqueuePages(tx, catalog, incident, 'opened', 1, now, incident.opened_at);
    await refreshEscalation(tx, catalog, incident, now);
  }
}

/** acknowledged / resolved: one update to every channel paged so far (levels 1 … current). */
export async function pageUpdate(
  tx: Sql,
  catalog: Catalog,
  incident: IncidentRecord,
  event: Extract<PageEvent, 'acknowledged' | 'resolved'>,
  now: Date
) {
  if (!catalog.oncall) {
    return;
  }
  const level = (await responsesOf(tx, [incident.id])).get(incident.id)?.escalation_level ?? 1;
  await enqueuePages(tx, catalog, incident, event, level, now);
}

/** A status update, written in the transaction that posts it, to the owner team's Slack and webhook channels. */
export async function publishStatusUpdate(
  tx: Sql,
  catalog: Pick<Catalog, 'oncall'>,
  incident: IncidentRecord,
  update: StatusUpdateNotice,
  now: Date
) {
  if (!catalog.oncall) {
    return;
  }
  await enqueueStatusUpdate(tx, catalog, incident, update, now);
}
