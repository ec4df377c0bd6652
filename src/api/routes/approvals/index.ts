import type { FastifyInstance, FastifyRequest } from 'fastify';

import { endpoints } from '../../../contract/endpoints';
import type { ApprovalsContext } from '../../approvals/context';
import { getApproval, listApprovals } from '../../approvals/read-service';
import { decideApproval, idempotencyKeyFrom, recordFeedback, requestApproval } from '../../approvals/service';
import { actorOf } from '../../plugins/auth';
import { route, WRITE_ERRORS } from '../register';

const errors = WRITE_ERRORS;

/** What the approvals services use of the running API, for one request (one catalog snapshot). */
const contextOf = (app: FastifyInstance, request: FastifyRequest): ApprovalsContext => ({
  store: app.store,
  now: () => app.now(),
  catalog: app.catalog.current(),
  config: app.config,
  kick: (approvalId) => app.remediation.kick(approvalId),
  log: request.log,
});

/** Remediation requests: ask (operator), decide (approver, never one's own R2/R3), read, give feedback. */
export async function approvalsRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.listApprovals,
    {
      tags: ['approvals'],
      summary: 'Remediation requests of the project, newest first (filters: status, risk class, incident)',
      errors,
    },
    async (request) => listApprovals(contextOf(app, request), actorOf(request), request.query)
  );

  route(
    app,
    endpoints.getApproval,
    {
      tags: ['approvals'],
      summary: 'One remediation request with its evidence, decisions, execution, verification and feedback',
      errors,
    },
    async (request) => getApproval(contextOf(app, request), actorOf(request), request.params.id)
  );

  route(
    app,
    endpoints.requestApproval,
    {
      tags: ['approvals'],
      summary:
        'Request an action for an incident, with the evidence bundle; R1 (and R2 that no rule catches) runs at once. Send an Idempotency-Key header to make retries safe: the same key and body answer the same approval (Idempotent-Replayed: true); the same key with another body answers 409 idempotency_key_reused',
      errors,
    },
    async (request, reply) => {
      const key = idempotencyKeyFrom(request.headers['idempotency-key']);
      const outcome = await requestApproval(contextOf(app, request), actorOf(request), request.body, key);
      if (outcome.replayed) {
        reply.header('idempotent-replayed', 'true');
      }
      return reply.status(201).send(outcome.approval);
    }
  );

  route(
    app,
    endpoints.decideApproval,
    {
      tags: ['approvals'],
      summary:
        'Approve or reject, with a comment. 403 separation_of_duties for the requester of R2/R3; 409 already_decided / expired',
      errors,
    },
    async (request) => decideApproval(contextOf(app, request), actorOf(request), request.params.id, request.body)
  );

  route(
    app,
    endpoints.approvalFeedback,
    {
      tags: ['approvals'],
      summary: 'Say whether the executed action helped; feeds "similar past outcomes" of later requests',
      errors,
    },
    async (request) => recordFeedback(contextOf(app, request), actorOf(request), request.params.id, request.body)
  );
}
