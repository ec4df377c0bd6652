import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import {
  Approval,
  ApprovalListQuery,
  ApprovalPage,
  ApprovalRequestBody,
  DecisionBody,
  FeedbackBody,
} from '../../../contract/approvals';
import { ErrorEnvelope } from '../../../contract/common';
import { decideApproval, idempotencyKeyFrom, recordFeedback, requestApproval } from '../../approvals/service';
import { decodeCursor, findApproval, listApprovalRecords, toApprovals } from '../../approvals/repository';
import { badRequest, notFound } from '../../errors';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const errors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope, 409: ErrorEnvelope };

/** Remediation requests: ask (operator), decide (approver, never one's own R2/R3), read, give feedback. */
export async function approvalsRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const caller = (request: FastifyRequest) => ({
    user: request.identity.user,
    role: request.identity.scopeRole ?? 'viewer',
    now: app.now(),
  });

  app.get(
    '/approvals',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['approvals'],
        summary: 'Remediation requests of the project, newest first (filters: status, risk class, incident)',
        querystring: ApprovalListQuery,
        response: { 200: ApprovalPage, ...errors },
      },
    },
    async (request) => {
      const afterId = request.query.cursor ? decodeCursor(request.query.cursor) : null;
      if (request.query.cursor && afterId === null) {
        throw badRequest('cursor is not one this API issued', { cursor: request.query.cursor });
      }
      const page = await listApprovalRecords(app.store, request.identity.scope, request.query, app.now(), afterId);
      return { items: await toApprovals(app.store, page.records, caller(request)), next_cursor: page.next_cursor };
    }
  );

  app.get(
    '/approvals/:id',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['approvals'],
        summary: 'One remediation request with its evidence, decisions, execution, verification and feedback',
        params: IdParams,
        response: { 200: Approval, ...errors },
      },
    },
    async (request) => {
      const record = await findApproval(app.store, request.params.id, request.identity.scope);
      if (!record) {
        throw notFound('approval_not_found', `no approval ${request.params.id} in this project`, {
          approval_id: request.params.id,
        });
      }
      const [approval] = await toApprovals(app.store, [record], caller(request));
      return approval;
    }
  );

  app.post(
    '/approvals',
    {
      config: { auth: { capability: 'approvals:request', projectScoped: true } },
      schema: {
        tags: ['approvals'],
        summary:
          'Request an action for an incident, with the evidence bundle; R1 (and R2 that no rule catches) runs at once. Send an Idempotency-Key header to make retries safe: the same key and body answer the same approval (Idempotent-Replayed: true); the same key with another body answers 409 idempotency_key_reused',
        body: ApprovalRequestBody,
        response: { 201: Approval, ...errors },
      },
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

  app.post(
    '/approvals/:id/decision',
    {
      config: { auth: { capability: 'approvals:decide', projectScoped: true } },
      schema: {
        tags: ['approvals'],
        summary:
          'Approve or reject, with a comment. 403 separation_of_duties for the requester of R2/R3; 409 already_decided / expired',
        params: IdParams,
        body: DecisionBody,
        response: { 200: Approval, ...errors },
      },
    },
    async (request) => decideApproval(app, request, request.params.id, request.body)
  );

  app.post(
    '/approvals/:id/feedback',
    {
      config: { auth: { capability: 'approvals:request', projectScoped: true } },
      schema: {
        tags: ['approvals'],
        summary: 'Say whether the executed action helped; feeds "similar past outcomes" of later requests',
        params: IdParams,
        body: FeedbackBody,
        response: { 200: Approval, ...errors },
      },
    },
    async (request) => recordFeedback(app, request, request.params.id, request.body)
  );
}
