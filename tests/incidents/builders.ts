/**
 * Typed builders for the intake's payloads and shared helpers of the incident suites. Payloads are
 * built from the contract's types, so a test cannot post something the contract would not describe
 * by accident (invalid payloads are built explicitly with `invalid`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  AlertmanagerWebhookPayload,
  GrafanaWebhookPayload,
  IntakeResult as IntakeResultSchema,
  type IntakeResult,
} from '../../src/contract/alerts';
import { IncidentDetail, IncidentPage } from '../../src/contract/incidents';
import { TEST_WEBHOOK_TOKEN, type TestApp } from '../support/app';

export const INCIDENTS_CATALOG_DIR = path.join(__dirname, '..', 'fixtures', 'catalog-incidents');
export const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures');

type AmAlert = AlertmanagerWebhookPayload['alerts'][number];
type GrafanaAlert = GrafanaWebhookPayload['alerts'][number];

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function anAlert(overrides: Partial<AmAlert> & { labels?: Record<string, string> } = {}): AmAlert {
  return {
    status: 'firing',
    labels: {
      alertname: 'OutboxRelayDegraded',
      service: 'outbox-relay',
      severity: 'critical',
      signal_key: 'outbox_relay_degraded',
    },
    annotations: { summary: 'Outbox relay is not draining', runbook_id: 'ops.outbox.relay' },
    startsAt: '2026-11-23T10:00:00Z',
    endsAt: ZERO_TIME,
    generatorURL: 'http://prometheus.example:9090/graph?g0.expr=outbox',
    ...overrides,
  };
}

export function anAlertmanagerPayload(
  alerts: AmAlert[],
  overrides: Partial<AlertmanagerWebhookPayload> = {}
): AlertmanagerWebhookPayload {
  const status = alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved';
  return {
    version: '4',
    groupKey: '{}:{signal_key="outbox_relay_degraded"}',
    truncatedAlerts: 0,
    status,
    receiver: 'opsdeck',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts,
    ...overrides,
  };
}

export function aGrafanaPayload(
  alerts: GrafanaAlert[],
  overrides: Partial<GrafanaWebhookPayload> = {}
): GrafanaWebhookPayload {
  const status = alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved';
  return {
    receiver: 'opsdeck',
    status,
    orgId: 1,
    alerts,
    groupKey: '{}/{}:{}',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://grafana.example:3000/',
    version: '1',
    truncatedAlerts: 0,
    ...overrides,
  };
}

/** A resolved copy of an alert that ended at `endsAt`. */
export function resolvedAt<T extends AmAlert>(alert: T, endsAt: string): T {
  return { ...alert, status: 'resolved', endsAt };
}

/** A recorded payload from tests/fixtures/<dir>/<file>, validated by the contract. */
export function recordedAlertmanager(file: string): AlertmanagerWebhookPayload {
  return AlertmanagerWebhookPayload.parse(
    JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'alertmanager', file), 'utf8'))
  );
}

export function recordedGrafana(file: string): GrafanaWebhookPayload {
  return GrafanaWebhookPayload.parse(JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'grafana', file), 'utf8')));
}

export const webhookAuth = { authorization: `Bearer ${TEST_WEBHOOK_TOKEN}` };

export async function postAlertmanager(t: TestApp, payload: unknown, headers: Record<string, string> = webhookAuth) {
  return t.app.inject({ method: 'POST', url: '/api/v1/alerts/alertmanager', headers, payload: payload as object });
}

export async function postGrafana(t: TestApp, payload: unknown, headers: Record<string, string> = webhookAuth) {
  return t.app.inject({ method: 'POST', url: '/api/v1/alerts/grafana', headers, payload: payload as object });
}

/** Posts and expects a 200 IntakeResult. */
export async function ingest(t: TestApp, payload: AlertmanagerWebhookPayload): Promise<IntakeResult> {
  const response = await postAlertmanager(t, payload);
  if (response.statusCode !== 200) {
    throw new Error(`intake answered ${response.statusCode}: ${response.body}`);
  }
  return IntakeResultSchema.parse(response.json());
}

/** Headers of an operator (granted Opsdeck Operator in Grafana) in every project. */
export const everyProject = {
  'x-project-id': '*',
  'x-opsdeck-capability': 'incidents:read,incidents:write,approvals:request',
  'x-grafana-user': 'oncall-primary',
};

export async function incidentDetail(
  t: TestApp,
  id: string,
  headers: Record<string, string> = everyProject
): Promise<IncidentDetail> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${id}`, headers: t.auth(headers) });
  if (response.statusCode !== 200) {
    throw new Error(`GET incident answered ${response.statusCode}: ${response.body}`);
  }
  return IncidentDetail.parse(response.json());
}

export async function listIncidents(
  t: TestApp,
  query = '',
  headers: Record<string, string> = everyProject
): Promise<IncidentPage> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/incidents${query}`, headers: t.auth(headers) });
  if (response.statusCode !== 200) {
    throw new Error(`GET incidents answered ${response.statusCode}: ${response.body}`);
  }
  return IncidentPage.parse(response.json());
}

/**
 * Empties the tables a suite writes, so each test starts from no incidents (audit rows are append-only
 * and stay). Approvals and their records go first: they reference the incidents.
 */
export async function resetIncidents(t: TestApp) {
  await t.app.store.exec(
    [
      'DELETE FROM recommendation_overrides',
      'DELETE FROM runbook_review_flags',
      'DELETE FROM postmortem_action_items',
      'DELETE FROM postmortems',
      'DELETE FROM incident_updates',
      'DELETE FROM approval_feedback',
      'DELETE FROM verifications',
      'DELETE FROM executions',
      'DELETE FROM approval_decisions',
      'DELETE FROM approval_idempotency',
      'DELETE FROM approvals',
      'DELETE FROM notification_outbox',
      'DELETE FROM incident_timeline',
      'DELETE FROM alerts',
      'DELETE FROM incidents',
      'DELETE FROM intake_state',
      'DELETE FROM request_log',
    ].join('; ')
  );
}

/** A clock the test moves. */
export function movableClock(start = '2026-11-23T10:00:30Z') {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set(iso: string) {
      now = new Date(iso);
    },
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
}
