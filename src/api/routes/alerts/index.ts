import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { AlertmanagerAlert, AlertmanagerWebhookPayload, GrafanaAlert, GrafanaWebhookPayload } from '../../../contract/alerts';
import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { ingestPayload, type IntakeContext } from '../../intake/ingest';
import { auditContextOf } from '../../plugins/auth';
import { validateAlertsInChunks } from '../../intake/validate';
import { route } from '../register';

/**
 * The body schema stays the contract's (OpenAPI, types), but the route validates only the envelope:
 * the alerts' contents are validated in chunks by the handler (intake/validate.ts, issue 17 item 7).
 */
function envelopeValidator(envelope: z.ZodType): FastifySchemaCompiler<unknown> {
  return (definition) =>
    validatorCompiler({
      ...definition,
      schema: definition.httpPart === 'body' ? envelope : (definition.schema as z.ZodType),
    });
}
const ALERTS_ENVELOPE = { alerts: z.array(z.unknown()).min(1).max(10_000) };

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
      validatorCompiler: envelopeValidator(AlertmanagerWebhookPayload.extend(ALERTS_ENVELOPE)),
    },
    async (request) =>
      ingestPayload(context(request), 'alertmanager', {
        ...request.body,
        alerts: await validateAlertsInChunks(request.body.alerts, AlertmanagerAlert),
      })
  );

  route(
    app,
    endpoints.grafanaWebhook,
    {
      tags: ['alerts'],
      summary: 'Grafana webhook contact point: alerts become deduplicated incidents',
      security,
      errors,
      validatorCompiler: envelopeValidator(GrafanaWebhookPayload.extend(ALERTS_ENVELOPE)),
    },
    async (request) =>
      ingestPayload(context(request), 'grafana', {
        ...request.body,
        alerts: await validateAlertsInChunks(request.body.alerts, GrafanaAlert),
      })
  );
}
