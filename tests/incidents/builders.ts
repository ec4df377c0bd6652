/**
 * Typed builders for the intake's payloads and shared helpers of the incident suites. Payloads are
 * built from the contract's types, so a test cannot post something the contract would not describe
 * by accident (invalid payloads are built explicitly with `invalid`).
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import {
  AlertmanagerWebhookPayload,
  GrafanaWebhookPayload,
  IntakeResult as IntakeResultSchema,
  type IntakeResult,
} from '../../src/contract/alerts';
import { IncidentDetail, IncidentPage } from '../../src/contract/incidents';
import { buildTestApp, TEST_WEBHOOK_TOKEN, type TestApp } from '../support/app';
import type { StoreKind } from '../../src/api/store';
import { openTestStore, type TestStore } from '../support/stores';

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

/** Headers of a signed-in viewer (granted Opsdeck Viewer in Grafana); add `x-project-id`. */
export const signedInViewer = { 'x-opsdeck-capability': 'incidents:read', 'x-grafana-user': 'watcher' } as const;

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

export type MovableClock = ReturnType<typeof movableClock>;

/** Options of buildTestApp except the clock, which the suite owns. */
export type SuiteAppOptions = Omit<NonNullable<Parameters<typeof buildTestApp>[1]>, 'now'>;

export interface IncidentsSuite {
  /** The suite's app: an empty object until the suite's beforeAll fills it in, so take it once and keep it. */
  readonly t: TestApp;
  /** The store under it (filled in the same way). */
  readonly testStore: TestStore;
  readonly clock: MovableClock;
  /** Another app on the same store and clock, closed with the suite; call it from a beforeAll. */
  anotherApp(options?: SuiteAppOptions): Promise<TestApp>;
}

export const SUITE_START = '2026-11-23T10:00:30Z';

/**
 * The set-up every incident suite shares, as jest hooks: a fresh store of `kind`, an app on it with a
 * movable clock and (by default) the incidents catalog, closed and disposed after the suite; before
 * each test (`reset: 'each'`, the default) the clock goes back to SUITE_START and the incident tables
 * are emptied, or (`reset: 'once'`) they are emptied once before the suite's own beforeAll seeds them.
 * `options` may be a function when it depends on something a beforeAll declared earlier started;
 * `catalogDir` may be a function making a temporary catalog, which is then removed after the suite.
 * `realTime: true` leaves the app on the wall clock (suites that never move time); then only the
 * tables are reset before each test.
 */
export function useIncidentsApp(
  kind: StoreKind,
  options:
    (Omit<SuiteAppOptions, 'catalogDir'> & { catalogDir?: string | (() => string) }) | (() => SuiteAppOptions) = {},
  {
    reset = 'each',
    start = SUITE_START,
    realTime = false,
  }: { reset?: 'each' | 'once'; start?: string; realTime?: boolean } = {}
): IncidentsSuite {
  const clock = movableClock(start);
  const t = {} as TestApp;
  const testStore = {} as TestStore;
  const others: TestApp[] = [];
  let temporaryCatalog: string | null = null;
  beforeAll(async () => {
    Object.assign(testStore, await openTestStore(kind));
    const resolved = typeof options === 'function' ? options() : options;
    const catalogDir = typeof resolved.catalogDir === 'function' ? resolved.catalogDir() : resolved.catalogDir;
    temporaryCatalog = typeof resolved.catalogDir === 'function' ? (catalogDir ?? null) : null;
    Object.assign(
      t,
      await buildTestApp(testStore.store, {
        ...resolved,
        catalogDir: catalogDir ?? INCIDENTS_CATALOG_DIR,
        now: realTime ? undefined : clock.now,
      })
    );
    if (reset === 'once') {
      await resetIncidents(t);
    }
  }, 60_000);
  afterAll(async () => {
    for (const other of others) {
      await other.app.close();
    }
    await t.app?.close();
    await testStore.dispose?.();
    if (temporaryCatalog) {
      rmSync(temporaryCatalog, { recursive: true, force: true });
    }
  });
  if (reset === 'each') {
    beforeEach(async () => {
      clock.set(start);
      await resetIncidents(t);
    });
  }
  return {
    t,
    testStore,
    clock,
    async anotherApp(extra = {}) {
      const other = await buildTestApp(testStore.store, {
        catalogDir: INCIDENTS_CATALOG_DIR,
        ...extra,
        now: clock.now,
      });
      others.push(other);
      return other;
    },
  };
}
