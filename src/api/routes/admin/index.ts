import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { reconcileExecution } from '../../approvals/reconcile';
import { ApiError, badRequest } from '../../errors';
import { auditContextOf } from '../../plugins/auth';
import { route } from '../register';

/**
 * Operations an admin runs on the store: an online backup of the embedded store (`opsdeck backup
 * --api-url`), and the decision on executions a restore left in needs_reconciliation (approvals/reconcile.ts).
 */
export async function adminRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.backup,
    {
      tags: ['operations'],
      summary: 'A consistent gzip tarball of the embedded store, taken while it serves (PostgreSQL: use pg_dump)',
      produces: ['application/gzip'],
      errors: { 400: ErrorEnvelope },
    },
    async (request, reply) => {
      if (!app.store.dump) {
        throw badRequest('this API runs on PostgreSQL: back it up with pg_dump -Fc (docs/operations-replicas.md)');
      }
      const tarball = Buffer.from(await (await app.store.dump()).arrayBuffer());
      request.log.info({ bytes: tarball.length }, 'embedded store backup taken');
      return reply
        .type('application/gzip')
        .header('content-disposition', `attachment; filename="opsdeck-${app.now().toISOString()}.tar.gz"`)
        .send(tarball);
    }
  );

  route(
    app,
    endpoints.reconcileExecution,
    {
      tags: ['approvals'],
      summary: 'Decide an execution a restore left in needs_reconciliation: resend it, or record its outcome',
      errors: { 409: ErrorEnvelope },
    },
    async (request) => {
      const { approval_id: approvalId } = request.params;
      const done = await reconcileExecution(app.store, approvalId, request.body, auditContextOf(request), app.now());
      if (!done) {
        throw new ApiError(409, 'invalid_transition', `execution of ${approvalId} is not waiting for reconciliation`, {
          approval_id: approvalId,
        });
      }
      if (request.body.outcome === 'resend') {
        app.remediation.kick(approvalId);
      }
      return { approval_id: approvalId, outcome: request.body.outcome };
    }
  );
}
