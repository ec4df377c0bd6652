import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

import { AlertmanagerWebhookPayload, GrafanaWebhookPayload, IntakeResult } from '../../../contract/alerts';
import { ErrorEnvelope } from '../../../contract/common';
import { ingestPayload } from '../../intake/ingest';

// 503 + Retry-After: the intake is overloaded (intake/gate.ts); senders retry.
const errors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 413: ErrorEnvelope, 415: ErrorEnvelope, 503: ErrorEnvelope };

/**
 * Alert intake: Grafana's webhook contact point and Alertmanager's webhook receiver. Authenticated by
 * the webhook token (Bearer, or the Basic-auth password). Each payload is one transaction; the answer
 * is sent after COMMIT, so a 200 means every alert of it is stored.
 */
export async function alertsRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/alerts/alertmanager',
    {
      config: { auth: { webhook: true } },
      schema: {
        tags: ['alerts'],
        summary: 'Alertmanager webhook (version 4): alerts become deduplicated incidents',
        security: [{ serviceToken: [] }],
        body: AlertmanagerWebhookPayload,
        response: { 200: IntakeResult, ...errors },
      },
    },
    async (request) => ingestPayload(app, request, 'alertmanager', request.body)
  );

  app.post(
    '/alerts/grafana',
    {
      config: { auth: { webhook: true } },
      schema: {
        tags: ['alerts'],
        summary: 'Grafana webhook contact point: alerts become deduplicated incidents',
        security: [{ serviceToken: [] }],
        body: GrafanaWebhookPayload,
        response: { 200: IntakeResult, ...errors },
      },
    },
    async (request) => ingestPayload(app, request, 'grafana', request.body)
  );
}
