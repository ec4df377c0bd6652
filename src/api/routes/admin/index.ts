import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { ErrorEnvelope } from '../../../contract/common';
import { reconcileExecution } from '../../approvals/reconcile';
import { ApiError, badRequest } from '../../errors';
import { auditContextOf } from '../../plugins/auth';

const ReconcileBody = z.object({
  outcome: z.enum(['resend', 'succeeded', 'failed']),
  comment: z.string().trim().min(1).max(2000),
});

/**
 * Operations an admin runs on the store: an online backup of the embedded store (`opsdeck backup
 * --api-url`), and the decision on executions a restore left in needs_reconciliation (approvals/reconcile.ts).
 */
export async function adminRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/admin/backup',
    {
      config: { auth: { capability: 'catalog:admin' } },
      schema: {
        tags: ['operations'],
        summary: 'A consistent gzip tarball of the embedded store, taken while it serves (PostgreSQL: use pg_dump)',
        produces: ['application/gzip'],
        response: { 200: z.any().describe('application/gzip tarball'), 400: ErrorEnvelope },
      },
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

  app.post(
    '/admin/executions/:approval_id/reconcile',
    {
      config: { auth: { capability: 'catalog:admin' } },
      schema: {
        tags: ['approvals'],
        summary: 'Decide an execution a restore left in needs_reconciliation: resend it, or record its outcome',
        params: z.object({ approval_id: z.string().min(1).max(64) }),
        body: ReconcileBody,
        response: {
          200: z.object({ approval_id: z.string(), outcome: ReconcileBody.shape.outcome }),
          409: ErrorEnvelope,
        },
      },
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
