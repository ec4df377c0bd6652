import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { ErrorEnvelope } from '../../../contract/common';
import {
  IncidentDetail,
  IncidentListQuery,
  IncidentPage,
  NoteRequest,
  TimelineEntry,
  TimelineEventRequest,
  TransitionRequest,
} from '../../../contract/incidents';
import { appendAudit } from '../../audit/append';
import { ApiError, badRequest, conflict, notFound } from '../../errors';
import { checkTransition, lifecycleTimes } from '../../incidents/lifecycle';
import type { IncidentRecord, TimelineRecord } from '../../incidents/model';
import { incidentDetail, incidentSummary, timelineEntry, type PresentContext } from '../../incidents/present';
import {
  alertsOf,
  findIncident,
  insertTimeline,
  listIncidents,
  newIdAt,
  timelineOf,
  touchIncident,
  updateLifecycle,
} from '../../incidents/repository';
import { refreshEscalation } from '../../oncall/escalation-store';
import { pageReopenedIncidents, pageUpdate, startsOccurrence } from '../../oncall/hooks';
import { presentResponse, responsesOf } from '../../oncall/response';
import { auditContextOf } from '../../plugins/auth';
import { assertClosable } from '../../postmortems/service';
import type { Sql } from '../../store';
import { incidentResponseRoutes } from './response';

const IncidentParams = z.object({ id: z.string().min(1).max(64) });
const readErrors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope };
const writeErrors = { ...readErrors, 409: ErrorEnvelope };

/**
 * Incidents, scoped to X-Project-ID (`*` = every project the caller may see): list, detail, lifecycle
 * transitions, notes, and operator activity on the timeline. Every change writes its timeline entry
 * and one audit row in the same transaction.
 */
export async function incidentsRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  const presentContext = (): PresentContext => ({
    catalog: app.catalog.current(),
    explore: { datasourceUids: app.config.exploreDatasources, grafanaUrl: app.config.grafanaUrl },
  });

  const mustFind = async (sql: Sql, request: FastifyRequest, id: string, forUpdate = false) => {
    const incident = await findIncident(sql, id, request.identity.scope, { forUpdate });
    if (!incident) {
      throw notFound('incident_not_found', `no incident ${id} in this project`, { incident_id: id });
    }
    return incident;
  };

  const detailOf = async (sql: Sql, incident: IncidentRecord) => {
    const detail = incidentDetail(
      presentContext(),
      incident,
      await alertsOf(sql, incident.id),
      await timelineOf(sql, incident.id)
    );
    const response = (await responsesOf(sql, [incident.id])).get(incident.id);
    return response
      ? { ...detail, response: presentResponse(app.catalog.current(), incident, response, app.now()) }
      : detail;
  };

  /**
   * A person's first status update (a note) or state move is the initial response; a state move also
   * acknowledges when nobody has (see lifecycleTimes). Both remember who.
   */
  const recordResponse = async (tx: Sql, incident: IncidentRecord, user: string, now: Date) => {
    await tx.query(
      `UPDATE incidents SET responded_at = COALESCE(responded_at, $2), responded_by = COALESCE(responded_by, $3),
         acknowledged_by = CASE WHEN acknowledged_at IS NOT NULL THEN COALESCE(acknowledged_by, $3) END
       WHERE id = $1`,
      [incident.id, now.toISOString(), user]
    );
    const current = await findIncident(tx, incident.id, { kind: 'all' });
    if (current) {
      await refreshEscalation(tx, app.catalog.current(), current, now);
    }
  };

  await app.register(incidentResponseRoutes, { detailOf });

  app.get(
    '/incidents',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Incidents in the project, newest first (cursor pagination)',
        querystring: IncidentListQuery,
        response: { 200: IncidentPage, ...readErrors },
      },
    },
    async (request) => {
      const page = await listIncidents(app.store, request.identity.scope, request.query);
      const context = presentContext();
      const responses = await responsesOf(
        app.store,
        page.items.map((incident) => incident.id)
      );
      const catalog = app.catalog.current();
      const now = app.now();
      const items = page.items.map((incident) => {
        const response = responses.get(incident.id);
        const summary = incidentSummary(context, incident);
        return response ? { ...summary, response: presentResponse(catalog, incident, response, now) } : summary;
      });
      return { items, next_cursor: page.next_cursor };
    }
  );

  app.get(
    '/incidents/:id',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'One incident: alerts, runbooks, timeline, saved queries with Explore links',
        params: IncidentParams,
        response: { 200: IncidentDetail, ...readErrors },
      },
    },
    async (request) => detailOf(app.store, await mustFind(app.store, request, request.params.id))
  );

  app.post(
    '/incidents/:id/transitions',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Move an incident through its lifecycle (closing needs a note)',
        params: IncidentParams,
        body: TransitionRequest,
        response: { 200: IncidentDetail, ...writeErrors },
      },
    },
    async (request) => {
      const now = app.now();
      const { to, note } = request.body;
      return app.store.transaction(async (tx) => {
        const incident = await mustFind(tx, request, request.params.id, true);
        const check = checkTransition(incident.status, to, note);
        if (!check.ok) {
          if (to === 'closed' && incident.status === 'resolved') {
            throw badRequest(check.reason, { field: 'note' });
          }
          throw conflict('invalid_transition', check.reason, { from: incident.status, to });
        }
        if (to === 'closed') {
          await assertClosable(tx, app.catalog.current().postmortemPolicy, incident);
        }
        const from = incident.status;
        const moved: IncidentRecord = {
          ...incident,
          ...lifecycleTimes(incident, to, now, true),
          status: to,
          updated_at: now,
        };
        await updateLifecycle(tx, moved);
        await recordResponse(tx, moved, request.identity.user, now);
        if (startsOccurrence(from, to)) {
          await pageReopenedIncidents(tx, app.catalog.current(), [incident.id], now);
        } else if (to === 'resolved' || (incident.acknowledged_at === null && moved.acknowledged_at !== null)) {
          await pageUpdate(tx, app.catalog.current(), moved, to === 'resolved' ? 'resolved' : 'acknowledged', now);
        }
        await insertTimeline(tx, [
          {
            id: newIdAt(now),
            incident_id: incident.id,
            at: now,
            kind: 'state_changed',
            actor: request.identity.user,
            summary: `${from} → ${to}${note ? `: ${note}` : ''}`,
            data: { from, to, note: note ?? null, automatic: false },
            correlation_id: request.id,
          },
        ]);
        const detail = await detailOf(tx, (await findIncident(tx, moved.id, { kind: 'all' })) ?? moved);
        await appendAudit(
          tx,
          auditContextOf(request),
          {
            action: 'incident.transition',
            target_type: 'incident',
            target_id: incident.id,
            before: { status: from },
            after: { status: to, note: note ?? null },
          },
          now
        );
        return detail;
      });
    }
  );

  const recordActivity = async (
    request: FastifyRequest,
    incidentId: string,
    entry: Omit<TimelineRecord, 'id' | 'incident_id' | 'at' | 'actor' | 'correlation_id'>,
    action: string,
    isStatusUpdate = false
  ) => {
    const now = app.now();
    return app.store.transaction(async (tx) => {
      const incident = await mustFind(tx, request, incidentId, true);
      const record: TimelineRecord = {
        ...entry,
        id: newIdAt(now),
        incident_id: incident.id,
        at: now,
        actor: request.identity.user,
        correlation_id: request.id,
      };
      await insertTimeline(tx, [record]);
      await touchIncident(tx, incident.id, now);
      if (isStatusUpdate) {
        await recordResponse(tx, incident, request.identity.user, now);
      }
      await appendAudit(
        tx,
        auditContextOf(request),
        {
          action,
          target_type: 'incident',
          target_id: incident.id,
          after: { timeline_id: record.id, kind: record.kind, ...record.data },
        },
        now
      );
      return timelineEntry(record);
    });
  };

  app.post(
    '/incidents/:id/notes',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Add a note to the incident timeline',
        params: IncidentParams,
        body: NoteRequest,
        response: { 201: TimelineEntry, ...writeErrors },
      },
    },
    async (request, reply) => {
      const entry = await recordActivity(
        request,
        request.params.id,
        { kind: 'note', summary: request.body.text, data: { text: request.body.text } },
        'incident.note',
        true
      );
      return reply.status(201).send(entry);
    }
  );

  app.post(
    '/incidents/:id/timeline',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Record operator activity: runbook opened, checklist step done, saved query opened',
        params: IncidentParams,
        body: TimelineEventRequest,
        response: { 201: TimelineEntry, ...writeErrors },
      },
    },
    async (request, reply) => {
      const catalog = app.catalog.current();
      const event = request.body;
      let summary: string;
      let data: Record<string, unknown>;
      if (event.kind === 'saved_query_opened') {
        const query = catalog.queries.get(event.query_id);
        if (!query) {
          throw notFound('query_not_found', `no saved query ${event.query_id} in the catalog`, {
            query_id: event.query_id,
          });
        }
        summary = `Opened saved query ${query.id}`;
        data = { query_id: query.id };
      } else {
        const runbook = catalog.runbooks.get(event.runbook_id);
        if (!runbook) {
          throw notFound('runbook_not_found', `no runbook ${event.runbook_id} in the catalog`, {
            runbook_id: event.runbook_id,
          });
        }
        if (event.kind === 'runbook_opened') {
          summary = `Opened runbook ${runbook.id}`;
          data = { runbook_id: runbook.id };
        } else {
          const step = catalog.documents.get(runbook.id)?.checklist.find((item) => item.id === event.step_id);
          if (!step) {
            throw new ApiError(400, 'invalid_request', `runbook ${runbook.id} has no checklist step ${event.step_id}`, {
              runbook_id: runbook.id,
              step_id: event.step_id,
            });
          }
          summary = `${event.done ? 'Done' : 'Undone'}: ${step.text}`;
          data = { runbook_id: runbook.id, step_id: step.id, section: step.section, done: event.done };
        }
      }
      const entry = await recordActivity(
        request,
        request.params.id,
        { kind: event.kind, summary, data },
        `incident.${event.kind}`
      );
      return reply.status(201).send(entry);
    }
  );
}
