/**
 * The pages that changes cause, written inside the transaction of the change: an incident opened
 * (level 1), acknowledged, resolved. Escalations are written by the worker (worker.ts).
 */
import type { Catalog } from '../../catalog/model';
import type { IncidentRecord } from '../incidents/model';
import { yieldToEventLoop, type Sql } from '../store';
import type { PageEvent } from './channels';
import { refreshEscalation } from './escalation-store';
import { enqueuePages } from './outbox';
import { responsesOf } from './response';

export async function pageOpenedIncidents(tx: Sql, catalog: Catalog, opened: readonly IncidentRecord[], now: Date) {
  if (!catalog.oncall) {
    return;
  }
  for (const [index, incident] of opened.entries()) {
    // A payload can open 10,000 incidents. On the embedded store every query completes synchronously,
    // so this loop would never let the event loop run (73 s without an answer in the bench): yield.
    if (index > 0 && index % 25 === 0) {
      await yieldToEventLoop();
    }
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
