import type { FastifyInstance, FastifyRequest } from 'fastify';

import { endpoints } from '../../../contract/endpoints';
import { activityOf, getIncident, incidentPage, recordActivity, transitionIncident } from '../../incidents/service';
import { READ_ERRORS, route, WRITE_ERRORS } from '../register';
import { actorAt } from '../../plugins/auth';
import { incidentResponseRoutes } from './response';
import { incidentWorld } from './world';

/**
 * Incidents, scoped to X-Project-ID (`*` = every project the caller may see): list, detail, lifecycle
 * transitions, notes, and operator activity on the timeline (incidents/service.ts does the work).
 */
export async function incidentsRoutes(app: FastifyInstance) {
  const caller = (request: FastifyRequest) => actorAt(request, app.now());
  await app.register(incidentResponseRoutes);

  route(
    app,
    endpoints.listIncidents,
    { tags: ['incidents'], summary: 'Incidents in the project, newest first (cursor pagination)', errors: READ_ERRORS },
    async (request) => incidentPage(incidentWorld(app), caller(request), request.query)
  );

  route(
    app,
    endpoints.getIncident,
    {
      tags: ['incidents'],
      summary: 'One incident: alerts, runbooks, timeline, saved queries with Explore links',
      errors: READ_ERRORS,
    },
    async (request) => getIncident(incidentWorld(app), caller(request), request.params.id)
  );

  route(
    app,
    endpoints.transitionIncident,
    {
      tags: ['incidents'],
      summary: 'Move an incident through its lifecycle (closing needs a note)',
      errors: WRITE_ERRORS,
    },
    async (request) => transitionIncident(incidentWorld(app), caller(request), request.params.id, request.body)
  );

  route(
    app,
    endpoints.addNote,
    { tags: ['incidents'], summary: 'Add a note to the incident timeline', errors: WRITE_ERRORS },
    async (request, reply) => {
      const { text } = request.body;
      const entry = { kind: 'note', summary: text, data: { text } } as const;
      const note = await recordActivity(
        incidentWorld(app),
        caller(request),
        request.params.id,
        entry,
        'incident.note',
        true
      );
      return reply.status(201).send(note);
    }
  );

  route(
    app,
    endpoints.recordTimeline,
    {
      tags: ['incidents'],
      summary: 'Record operator activity: runbook opened, checklist step done, saved query opened',
      errors: WRITE_ERRORS,
    },
    async (request, reply) => {
      const world = incidentWorld(app);
      const entry = activityOf(world.catalog, request.body);
      const recorded = await recordActivity(
        world,
        caller(request),
        request.params.id,
        entry,
        `incident.${request.body.kind}`
      );
      return reply.status(201).send(recorded);
    }
  );
}
