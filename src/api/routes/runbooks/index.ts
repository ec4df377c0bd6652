import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { isoDateOf } from '../../../catalog/review';
import { listRunbooks, runbookDetail } from '../../../catalog/views';
import { notFound } from '../../errors';
import { route } from '../register';

/** The runbook catalog (read-only): list with filters and grouping, and one runbook with its markdown. */
export async function runbooksRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.listRunbooks,
    {
      tags: ['runbooks'],
      summary: 'Runbooks with review status; filter by signal, owner_team, severity, q, review; group_by=signal_group',
      errors: { 400: ErrorEnvelope },
    },
    async (request) => listRunbooks(app.catalog.current(), request.query, isoDateOf(app.now()))
  );

  route(
    app,
    endpoints.getRunbook,
    {
      tags: ['runbooks'],
      summary:
        'One runbook: metadata, markdown, checklist, signals, alert rules that reference it, saved queries it cites',
      errors: { 404: ErrorEnvelope },
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
