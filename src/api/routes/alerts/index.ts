import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import {
  AlertmanagerAlert,
  AlertmanagerWebhookPayload,
  GrafanaAlert,
  GrafanaWebhookPayload,
  IntakeResult,
} from '../../../contract/alerts';
import { ErrorEnvelope } from '../../../contract/common';
import { ingestPayload } from '../../intake/ingest';
import { validateAlertsInChunks } from '../../intake/validate';

/**
 * The body schema stays the contract's (OpenAPI, types), but the route validates only the envelope:
 * the alerts' contents are validated in chunks by the handler (intake/validate.ts, issue 17 item 7).
 */
function envelopeValidator<S>(envelope: z.ZodType): FastifySchemaCompiler<S> {
  return (route) =>
    validatorCompiler({ ...route, schema: route.httpPart === 'body' ? envelope : (route.schema as z.ZodType) });
}
const ALERTS_ENVELOPE = { alerts: z.array(z.unknown()).min(1).max(10_000) };

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
      validatorCompiler: envelopeValidator(AlertmanagerWebhookPayload.extend(ALERTS_ENVELOPE)),
      schema: {
        tags: ['alerts'],
        summary: 'Alertmanager webhook (version 4): alerts become deduplicated incidents',
        security: [{ serviceToken: [] }],
        body: AlertmanagerWebhookPayload,
        response: { 200: IntakeResult, ...errors },
      },
    },
    async (request) =>
      ingestPayload(app, request, 'alertmanager', {
        ...request.body,
        alerts: await validateAlertsInChunks(request.body.alerts, AlertmanagerAlert),
      })
  );

  app.post(
    '/alerts/grafana',
    {
      config: { auth: { webhook: true } },
      validatorCompiler: envelopeValidator(GrafanaWebhookPayload.extend(ALERTS_ENVELOPE)),
      schema: {
        tags: ['alerts'],
        summary: 'Grafana webhook contact point: alerts become deduplicated incidents',
        security: [{ serviceToken: [] }],
        body: GrafanaWebhookPayload,
        response: { 200: IntakeResult, ...errors },
      },
    },
    async (request) =>
      ingestPayload(app, request, 'grafana', {
        ...request.body,
        alerts: await validateAlertsInChunks(request.body.alerts, GrafanaAlert),
      })
  );
}
