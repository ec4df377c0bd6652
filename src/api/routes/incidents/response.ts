/** The on-call response of an incident (issue 11): acknowledge, assign / take it, change the severity. */
import type { FastifyInstance } from 'fastify';

import { endpoints } from '../../../contract/endpoints';
import { acknowledgeIncident, assignIncident, changeSeverity } from '../../incidents/response-service';
import { route, WRITE_ERRORS } from '../register';
import { callerOf } from '../updates';
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
    async (request) => acknowledgeIncident(incidentWorld(app), callerOf(app, request), request.params.id)
  );

  route(
    app,
    endpoints.assignIncident,
    {
      tags: ['incidents'],
      summary: 'Set the assignee and/or incident commander; `take: true` assigns (and acknowledges) to yourself',
      errors: WRITE_ERRORS,
    },
    async (request) => assignIncident(incidentWorld(app), callerOf(app, request), request.params.id, request.body)
  );

  route(
    app,
    endpoints.changeSeverity,
    {
      tags: ['incidents'],
      summary: 'Change the severity, with a reason (audited); the response clocks follow the new severity',
      errors: WRITE_ERRORS,
    },
    async (request) => changeSeverity(incidentWorld(app), callerOf(app, request), request.params.id, request.body)
  );
}
