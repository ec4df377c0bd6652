import type { FastifyInstance, FastifyRequest } from 'fastify';

import { endpoints } from '../../../contract/endpoints';
import { decideApproval, idempotencyKeyFrom, recordFeedback, requestApproval } from '../../approvals/service';
import { decodeCursor, findApproval, listApprovalRecords, toApprovals } from '../../approvals/repository';
import { badRequest, notFound } from '../../errors';
import { route, WRITE_ERRORS } from '../register';

const errors = WRITE_ERRORS;

/** Who reads an approval: what the approvals module needs to say what they may do with it. */
const readerOf = (app: FastifyInstance, request: FastifyRequest) => ({
  user: request.identity.user,
  role: request.identity.scopeRole ?? 'viewer',
  now: app.now(),
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
    async (request) => {
      const afterId = request.query.cursor ? decodeCursor(request.query.cursor) : null;
      if (request.query.cursor && afterId === null) {
        throw badRequest('cursor is not one this API issued', { cursor: request.query.cursor });
      }
      const page = await listApprovalRecords(app.store, request.identity.scope, request.query, app.now(), afterId);
      return {
        items: await toApprovals(app.store, page.records, readerOf(app, request)),
        next_cursor: page.next_cursor,
      };
    }
  );

  route(
    app,
    endpoints.getApproval,
    {
      tags: ['approvals'],
      summary: 'One remediation request with its evidence, decisions, execution, verification and feedback',
      errors,
    },
    async (request) => {
      const record = await findApproval(app.store, request.params.id, request.identity.scope);
      if (!record) {
        throw notFound('approval_not_found', `no approval ${request.params.id} in this project`, {
          approval_id: request.params.id,
        });
      }
      const [approval] = await toApprovals(app.store, [record], readerOf(app, request));
      return approval;
    }
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
      const outcome = await requestApproval(app, request, request.body, key);
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
    async (request) => decideApproval(app, request, request.params.id, request.body)
  );

  route(
    app,
    endpoints.approvalFeedback,
    {
      tags: ['approvals'],
      summary: 'Say whether the executed action helped; feeds "similar past outcomes" of later requests',
      errors,
    },
    async (request) => recordFeedback(app, request, request.params.id, request.body)
  );
}
