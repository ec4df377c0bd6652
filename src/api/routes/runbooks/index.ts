import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { RunbookDetail, RunbookList, RunbookListQuery } from '../../../contract/catalog';
import { ErrorEnvelope } from '../../../contract/common';
import { isoDateOf } from '../../../catalog/review';
import { listRunbooks, runbookDetail } from '../../../catalog/views';
import { notFound } from '../../errors';

/** The runbook catalog (read-only): list with filters and grouping, and one runbook with its markdown. */
export async function runbooksRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/admin/runbooks',
    {
      config: { auth: { capability: 'incidents:read' } },
      schema: {
        tags: ['runbooks'],
        summary:
          'Runbooks with review status; filter by signal, owner_team, severity, q, review; group_by=signal_group',
        querystring: RunbookListQuery,
        response: { 200: RunbookList, 400: ErrorEnvelope },
      },
    },
    async (request) => listRunbooks(app.catalog.current(), request.query, isoDateOf(app.now()))
  );

  app.get(
    '/admin/runbooks/:runbook_id',
    {
      config: { auth: { capability: 'incidents:read' } },
      schema: {
        tags: ['runbooks'],
        summary:
          'One runbook: metadata, markdown, checklist, signals, alert rules that reference it, saved queries it cites',
        params: z.object({ runbook_id: z.string().min(1).max(200) }),
        response: { 200: RunbookDetail, 404: ErrorEnvelope },
      },
    },
    async (request) => {
      const detail = runbookDetail(app.catalog.current(), request.params.runbook_id, isoDateOf(app.now()));
      if (!detail) {
        throw notFound('runbook_not_found', `no runbook with id ${request.params.runbook_id}`, {
          runbook_id: request.params.runbook_id,
        });
      }
      return detail;
    }
  );
}
