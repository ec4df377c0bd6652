import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

import { AuditPage, AuditQuery, AuditVerifyResult } from '../../../contract/audit';
import { ErrorEnvelope } from '../../../contract/common';
import { scopeCondition } from '../../access/scope';
import { decodeCursor, encodeCursor } from '../../approvals/store';
import { AUDIT_COLUMNS, auditRowFrom } from '../../audit/rows';
import { verifyAuditLog } from '../../audit/verify';
import { badRequest } from '../../errors';

/**
 * The audit log, read-only: rows of the caller's project (with `X-Project-ID: *`, every row, including
 * those of no project such as catalog reloads and retention checkpoints), newest first.
 */
export async function auditRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/audit',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['audit'],
        summary:
          'Audit rows, newest first; filters: correlation_id, actor, target, action, time range; cursor pagination',
        querystring: AuditQuery,
        response: { 200: AuditPage, 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope },
      },
    },
    async (request) => {
      const query = request.query;
      const params: unknown[] = [];
      // A row shows once chained (milliseconds after its commit, before its writer's answer).
      const conditions = ['seq IS NOT NULL', scopeCondition(request.identity.scope, params)];
      const equal = (column: string, value: string | undefined) => {
        if (value !== undefined) {
          params.push(value);
          conditions.push(`${column} = $${params.length}`);
        }
      };
      equal('correlation_id', query.correlation_id);
      equal('actor', query.actor);
      equal('target_type', query.target_type);
      equal('target_id', query.target_id);
      equal('action', query.action);
      if (query.from) {
        params.push(query.from);
        conditions.push(`occurred_at >= $${params.length}`);
      }
      if (query.to) {
        params.push(query.to);
        conditions.push(`occurred_at < $${params.length}`);
      }
      if (query.cursor) {
        const before = decodeCursor(query.cursor);
        if (before === null || !/^\d+$/.test(before)) {
          throw badRequest('cursor is not one this API issued', { cursor: query.cursor });
        }
        params.push(Number(before));
        conditions.push(`id < $${params.length}`);
      }
      params.push(query.limit + 1);
      const { rows } = await app.store.query(
        `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
        params
      );
      const items = rows.slice(0, query.limit).map(auditRowFrom);
      return {
        items,
        next_cursor: rows.length > query.limit ? encodeCursor(String(items[items.length - 1].id)) : null,
      };
    }
  );

  app.get(
    '/audit/verify',
    {
      config: { auth: { capability: 'catalog:admin' } },
      schema: {
        tags: ['audit'],
        summary: 'Walk the whole hash chain (as `opsdeck audit verify` does) and name the first broken row',
        response: { 200: AuditVerifyResult, 401: ErrorEnvelope, 403: ErrorEnvelope },
      },
    },
    async () => verifyAuditLog(app.store)
  );
}
