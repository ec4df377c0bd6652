/**
 * Fixtures for remediation and access tests: a catalog directory (the minimal fixture plus the repo's
 * real actions and approval policy and a test access.yaml with one persona per role), a test HTTP
 * executor that also plays Prometheus, incident seeding, and caller headers per persona.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import YAML from 'yaml';

import type { AccessFile } from '../../src/contract/access';
import { SHIPPED_ROLES, type Capability } from '../../src/contract/capabilities';
import type { ApprovalRequestBody, Evidence } from '../../src/contract/approvals';
import type { Store } from '../../src/api/store';
import { MINIMAL_CATALOG_DIR, REPO_CATALOG_DIR, TEST_TOKEN } from './app';

export const OWN = { tenant: 't-acme', project: 'p-vision' } as const;
export const OTHER = { tenant: 't-beta', project: 'p-other' } as const;

export const APPROVERS_50 = Array.from({ length: 50 }, (_, i) => `approver-${String(i + 1).padStart(2, '0')}`);

export interface Persona {
  user: string;
  /** What Grafana grants them: the capabilities of their Opsdeck role in Grafana. */
  capabilities: readonly Capability[];
}

/**
 * One persona per role in the own project, each granted the matching Opsdeck role in Grafana and bound
 * with the same role in access.yaml; `root` is an Admin bound globally; `oscar` works only in the other project.
 */
export const PERSONAS = {
  viewer: { user: 'vera', capabilities: SHIPPED_ROLES.Reader },
  operator: { user: 'otto', capabilities: SHIPPED_ROLES.Operator },
  approver: { user: 'ana', capabilities: SHIPPED_ROLES.Approver },
  approver2: { user: 'amir', capabilities: SHIPPED_ROLES.Approver },
  admin: { user: 'adele', capabilities: SHIPPED_ROLES.Admin },
  globalAdmin: { user: 'root', capabilities: SHIPPED_ROLES.Admin },
  otherOperator: { user: 'oscar', capabilities: SHIPPED_ROLES.Operator },
} as const satisfies Record<string, Persona>;

export const TEST_ACCESS: AccessFile = {
  version: 1,
  teams: { 'approvers-50': APPROVERS_50 },
  global: [{ role: 'admin', users: ['root'], teams: [] }],
  projects: [
    {
      ...OWN,
      bindings: [
        { role: 'viewer', users: ['vera'], teams: [] },
        { role: 'operator', users: ['otto'], teams: [] },
        { role: 'approver', users: ['ana', 'amir'], teams: ['approvers-50'] },
        { role: 'admin', users: ['adele'], teams: [] },
      ],
    },
    { ...OTHER, bindings: [{ role: 'operator', users: ['oscar'], teams: [] }] },
  ],
};

/** A catalog directory: the minimal fixture, the repo's actions and approval policy, and TEST_ACCESS. */
export function makeRemediationCatalog(access: AccessFile | null = TEST_ACCESS): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-remediation-catalog-'));
  for (const file of readdirSync(MINIMAL_CATALOG_DIR)) {
    copyFileSync(path.join(MINIMAL_CATALOG_DIR, file), path.join(dir, file));
  }
  copyFileSync(path.join(REPO_CATALOG_DIR, 'actions.catalog.json'), path.join(dir, 'actions.catalog.json'));
  copyFileSync(path.join(REPO_CATALOG_DIR, 'approval-policy.yaml'), path.join(dir, 'approval-policy.yaml'));
  if (access) {
    writeFileSync(path.join(dir, 'access.yaml'), YAML.stringify(access));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A persona's request headers. Grafana's proxy would send one capability per route; these list every
 * capability the persona holds (a service-token caller may), so one header set serves every call.
 */
export function headersFor(persona: Persona, scope: string | null): Record<string, string> {
  return {
    authorization: `Bearer ${TEST_TOKEN}`,
    'x-grafana-user': persona.user,
    'x-opsdeck-capability': persona.capabilities.join(','),
    ...(scope === null ? {} : { 'x-project-id': scope }),
  };
}

export const ownScope = `${OWN.tenant}/${OWN.project}`;
export const otherScope = `${OTHER.tenant}/${OTHER.project}`;

/** Inserts an open incident straight into issue 4's table (the intake is not what these tests are about). */
export async function seedIncident(
  store: Store,
  where: { tenant: string; project: string },
  overrides: {
    status?: string;
    slo_burn_rate?: number | null;
    correlation_id?: string;
    at?: Date;
    service?: string;
  } = {}
): Promise<string> {
  const id = ulid();
  const at = (overrides.at ?? new Date()).toISOString();
  await store.query(
    `INSERT INTO incidents (id, grouping_key, title, status, severity, signal_key, tenant, project, missing_runbook,
       correlation_ids, slo_burn_rate, opened_at, updated_at, last_alert_at, service)
     VALUES ($1, $2, $3, $4, 'sev2', 'outbox_relay_degraded', $5, $6, false, $7, $8, $9, $9, $9, $10)`,
    [
      id,
      `outbox_relay_degraded|${where.tenant}|${where.project}|${id}`,
      'Outbox relay degraded',
      overrides.status ?? 'triaging',
      where.tenant,
      where.project,
      JSON.stringify(overrides.correlation_id ? [overrides.correlation_id] : []),
      overrides.slo_burn_rate ?? null,
      at,
      overrides.service ?? null,
    ]
  );
  return id;
}

export function completeEvidence(overrides: Partial<Evidence> = {}): Evidence {
  return {
    reasoning:
      'outbox_oldest_pending_age_seconds is 900 s and rising since the 10:02 deploy; the relay lease holder is gone',
    confidence: 0.8,
    risk_level: 'medium',
    impact_radius: { resources: ['core42:aicloud:uae-north:t-acme:p-vision:deployment:outbox-relay'], count: 1 },
    rollback_strategy: 'scale back / stop the replay; messages stay in the DLQ',
    saved_query_ids: [],
    environment: 'production',
    ...overrides,
  };
}

/** Request bodies for the repo catalog's actions, one per risk class. */
export const requestBodies = {
  r1: (incidentId: string): ApprovalRequestBody => ({
    incident_id: incidentId,
    action_id: 'outbox.relay.restart',
    parameters: { reset_lease: true },
  }),
  r2: (incidentId: string, evidence: Partial<Evidence> = completeEvidence()): ApprovalRequestBody => ({
    incident_id: incidentId,
    action_id: 'provisioning.dispatcher.scale',
    parameters: { replicas: 6, reason: 'backlog above 200 in pool h100-east' },
    evidence,
  }),
  r3: (
    incidentId: string,
    evidence: Partial<Evidence> = completeEvidence({ risk_level: 'high' })
  ): ApprovalRequestBody => ({
    incident_id: incidentId,
    action_id: 'database.primary.failover',
    parameters: { cluster: 'billing-pg', candidate: 'billing-pg-2' },
    evidence,
  }),
};

export interface ExecutorCall {
  method: string;
  url: string;
  idempotencyKey: string | null;
  authorization: string | null;
  body: unknown;
}

/**
 * A test executor: records every call, answers a repeated Idempotency-Key with the first answer
 * without doing the work again (as a real executor must), and answers /api/v1/query like Prometheus.
 */
export interface TestExecutor {
  url: string;
  calls: ExecutorCall[];
  /** Idempotency keys whose work was actually done, once each. */
  effects: string[];
  /** Status for paths starting with a prefix (default 200). */
  failWith: Map<string, number>;
  /** Value of every sample the fake Prometheus returns; null returns an empty vector. */
  prometheusValue: string | null;
  prometheusQueries: string[];
  /** How long an executor call takes before it answers (a slow remediation). */
  delayMs: number;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTestExecutor(): Promise<TestExecutor> {
  const answers = new Map<string, { status: number; body: string }>();
  const executor: TestExecutor = {
    url: '',
    calls: [],
    effects: [],
    failWith: new Map(),
    prometheusValue: '1',
    prometheusQueries: [],
    delayMs: 0,
    close: async () => undefined,
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const text = await readBody(request);
      const url = request.url ?? '/';
      if (url.startsWith('/api/v1/query')) {
        // Like Prometheus: the query in the URL (GET) or in a form body (POST).
        const query =
          new URL(url, 'http://x').searchParams.get('query') ?? new URLSearchParams(text).get('query') ?? '';
        executor.prometheusQueries.push(query);
        const result =
          executor.prometheusValue === null
            ? []
            : [{ metric: {}, value: [Date.now() / 1000, executor.prometheusValue] }];
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
        return;
      }
      const key = (request.headers['idempotency-key'] as string | undefined) ?? null;
      executor.calls.push({
        method: request.method ?? '',
        url,
        idempotencyKey: key,
        authorization: (request.headers.authorization as string | undefined) ?? null,
        body: text ? JSON.parse(text) : null,
      });
      const seen = key ? answers.get(key) : undefined;
      if (seen) {
        response.writeHead(seen.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
        response.end(seen.body);
        return;
      }
      if (executor.delayMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, executor.delayMs));
      }
      const failure = [...executor.failWith.entries()].find(([prefix]) => url.startsWith(prefix));
      const status = failure ? failure[1] : 200;
      const body = JSON.stringify(status < 300 ? { done: true, key } : { error: 'gateway refused' });
      if (key) {
        answers.set(key, { status, body });
        if (status < 300) {
          executor.effects.push(key);
        }
      }
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  executor.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  executor.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return executor;
}
