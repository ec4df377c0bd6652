/**
 * One webhook payload → one transaction: normalize and check every alert (any problem: 400 listing all
 * of them, nothing written), then under the intake lock read the state, plan, write the plan, note
 * the sender as heard from, and append the payload's audit row. The caller answers only after this
 * resolves, i.e. after COMMIT.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { AlertSource, IntakeResult } from '../../contract/alerts';
import { appendAudit } from '../audit/append';
import { badRequest } from '../errors';
import { planIntake } from '../incidents/intake-plan';
import { normalizeAlert, type NormalizedAlert, type NormalizeProblem, type WebhookAlert } from '../incidents/normalize';
import { loadIntakeState, newIdAt, writeIntakePlan } from '../incidents/repository';
import { pageOpenedIncidents } from '../oncall/hooks';
import { auditContextOf } from '../plugins/auth';

export interface WebhookPayload {
  receiver: string;
  status: string;
  groupKey: string;
  alerts: WebhookAlert[];
}

const MAX_AUDITED_IDS = 50;

export async function ingestPayload(
  app: FastifyInstance,
  request: FastifyRequest,
  source: AlertSource,
  payload: WebhookPayload
): Promise<IntakeResult> {
  const now = app.now();
  const catalog = app.catalog.current();
  const problems: NormalizeProblem[] = [];
  const alerts: NormalizedAlert[] = [];
  payload.alerts.forEach((alert, index) => {
    const normalized = normalizeAlert(alert, { source, catalog, receivedAt: now, index }, problems);
    if (normalized) {
      alerts.push(normalized);
    }
  });
  if (problems.length > 0) {
    throw badRequest(`${source} payload is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, {
      issues: problems.map((problem) => ({ ...problem, code: 'invalid_alert' })),
    });
  }

  return app.store.transaction(async (tx) => {
    const state = await loadIntakeState(tx, alerts);
    const plan = planIntake(alerts, state, { now, correlationId: request.id, newId: () => newIdAt(now) });
    await writeIntakePlan(tx, plan, { source, at: now });
    // Page level 1 of each new incident's chain in this same transaction (issue 11).
    await pageOpenedIncidents(tx, catalog, plan.incidentInserts, now);
    const outcome: IntakeResult = {
      received: payload.alerts.length,
      created: plan.created,
      updated: plan.updated,
      unchanged: plan.unchanged,
      incident_ids: plan.incidentIds,
      missing_runbook: plan.missingRunbook,
    };
    await appendAudit(
      tx,
      { ...auditContextOf(request), actor: `webhook:${source}` },
      {
        action: 'alerts.received',
        target_type: 'alert_payload',
        target_id: `${source}:${payload.receiver}:${payload.groupKey}`.slice(0, 512),
        after: {
          ...outcome,
          status: payload.status,
          incident_ids: outcome.incident_ids.slice(0, MAX_AUDITED_IDS),
          missing_runbook: outcome.missing_runbook.slice(0, MAX_AUDITED_IDS),
          opened_incidents: plan.incidentInserts.map((incident) => incident.id).slice(0, MAX_AUDITED_IDS),
        },
      },
      now
    );
    return outcome;
  });
}
