import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { listAudit } from '../../audit/service';
import { verifyAuditChain } from '../../audit/verify';
import { LIST_ERRORS, route } from '../register';

/**
 * The audit log, read-only: rows of the caller's project (with `X-Project-ID: *`, every row, including
 * those of no project such as catalog reloads and retention checkpoints), newest first.
 */
export async function auditRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.listAudit,
    {
      tags: ['audit'],
      summary:
        'Audit rows, newest first; filters: correlation_id, actor, target, action, time range; cursor pagination',
      errors: LIST_ERRORS,
    },
    async (request) => listAudit(app.store, request.identity.scope, request.query)
  );

  route(
    app,
    endpoints.verifyAudit,
    {
      tags: ['audit'],
      summary: 'Walk the whole hash chain (as `opsdeck audit verify` does) and name the first broken row',
      errors: { 401: ErrorEnvelope, 403: ErrorEnvelope },
    },
    async () => verifyAuditChain(app.store)
  );
}
