import type { FastifyInstance, FastifyRequest } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { ingestPayload, type IntakeContext } from '../../intake/ingest';
import { auditContextOf } from '../../plugins/auth';
import { route } from '../register';

// 503 + Retry-After: the intake is overloaded (intake/gate.ts); senders retry.
const errors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 413: ErrorEnvelope, 415: ErrorEnvelope, 503: ErrorEnvelope };

/**
 * Alert intake: Grafana's webhook contact point and Alertmanager's webhook receiver. Authenticated by
 * the webhook token (Bearer, or the Basic-auth password). Each payload is one transaction; the answer
 * is sent after COMMIT, so a 200 means every alert of it is stored.
 */
export async function alertsRoutes(app: FastifyInstance) {
  const context = (request: FastifyRequest): IntakeContext => ({
    store: app.store,
    catalog: app.catalog.current(),
    gate: app.intakeGate,
    now: app.now(),
    audit: auditContextOf(request),
  });
  const security = [{ serviceToken: [] }];
  route(
    app,
    endpoints.alertmanagerWebhook,
    {
      tags: ['alerts'],
      summary: 'Alertmanager webhook (version 4): alerts become deduplicated incidents',
      security,
      errors,
    },
    async (request) => ingestPayload(context(request), 'alertmanager', request.body)
  );

  route(
    app,
    endpoints.grafanaWebhook,
    {
      tags: ['alerts'],
      summary: 'Grafana webhook contact point: alerts become deduplicated incidents',
      security,
      errors,
    },
    async (request) => ingestPayload(context(request), 'grafana', request.body)
  );
}
