/** The on-call response of an incident (issue 11): acknowledge, assign / take it, change the severity; reclassify (issue 12). */
import type { FastifyInstance } from 'fastify';

import { endpoints } from '../../../contract/endpoints';
import { acknowledgeIncident, assignIncident, changeSeverity, changeSignal } from '../../incidents/response-service';
import { route, WRITE_ERRORS } from '../register';
import { actorAt } from '../../plugins/auth';
import { incidentWorld } from './world';

export async function incidentResponseRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.acknowledgeIncident,
    {
      tags: ['incidents'],
      summary: 'Acknowledge: a person takes the incident (stops the escalation ladder; idempotent)',
      errors: WRITE_ERRORS,
    },
    async (request) => acknowledgeIncident(incidentWorld(app), actorAt(request, app.now()), request.params.id)
  );

  route(
    app,
    endpoints.assignIncident,
    {
      tags: ['incidents'],
      summary: 'Set the assignee and/or incident commander; `take: true` assigns (and acknowledges) to yourself',
      errors: WRITE_ERRORS,
    },
    async (request) => assignIncident(incidentWorld(app), actorAt(request, app.now()), request.params.id, request.body)
  );

  route(
    app,
    endpoints.changeSeverity,
    {
      tags: ['incidents'],
      summary: 'Change the severity, with a reason (audited); the response clocks follow the new severity',
      errors: WRITE_ERRORS,
    },
    async (request) => changeSeverity(incidentWorld(app), actorAt(request, app.now()), request.params.id, request.body)
  );

  route(
    app,
    endpoints.changeSignal,
    {
      tags: ['incidents'],
      summary: 'Reclassify: set the catalog signal the incident really is (or none), with a reason (audited)',
      errors: WRITE_ERRORS,
    },
    async (request) => changeSignal(incidentWorld(app), actorAt(request, app.now()), request.params.id, request.body)
  );
}
