/**
 * Seeds the running API the way production fills it: alerts through the real webhooks (Alertmanager
 * and Grafana payloads), operator activity and approval requests through the real API with the
 * identity headers Grafana's proxy sends. Returns the IDs the specs navigate to.
 */
import type { Approval, ApprovalRequestBody } from '../../../src/contract/approvals';
import type { IntakeResult } from '../../../src/contract/alerts';
import { SHIPPED_ROLES } from '../../../src/contract/capabilities';

export interface Seeded {
  outboxIncident: string;
  /** Two ObjectStoreDiskFull alerts, gpu-worker-17 and -18. */
  diskFullIncident: string;
  apiErrorsIncident: string;
  dlqIncident: string;
  provisioningIncident: string;
  missingRunbookIncident: string;
  approvals: { toApprove: string; toReject: string; r3Pending: string; ownRequest: string; forGrantedApprover: string };
  correlationId: string;
}

/**
 * The user the host signs in by default: an Editor whom a Grafana admin granted Opsdeck Approver
 * (HOST_GRANT) and whom catalog/access.yaml makes a global approver.
 */
export const HOST_USER = 'sre-lead';
export const HOST_GRANT = ['Approver'];
const REQUESTER = 'oncall-primary';

export interface SeedOptions {
  apiToken: string;
  webhookToken: string;
  /** The user the specs sign in as; one pending request is theirs, to show separation of duties. */
  signedInUser?: string;
}

async function call<T>(
  apiUrl: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>
): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  }
  return JSON.parse(text) as T;
}

/** A caller holding the Opsdeck Operator role in Grafana; with the service token it may name all its capabilities. */
const asUser = (apiToken: string, user: string, project: string) => ({
  authorization: `Bearer ${apiToken}`,
  'x-grafana-user': user,
  'x-opsdeck-capability': SHIPPED_ROLES.Operator.join(','),
  'x-project-id': project,
});

function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

export async function seed(apiUrl: string, tokens: SeedOptions): Promise<Seeded> {
  const webhook = { authorization: `Bearer ${tokens.webhookToken}` };
  const as = (user: string, project: string) => asUser(tokens.apiToken, user, project);
  const alertmanager = (
    groupKey: string,
    alerts: Array<Record<string, unknown>>,
    status: 'firing' | 'resolved' = 'firing'
  ) =>
    call<IntakeResult>(
      apiUrl,
      'POST',
      '/api/v1/alerts/alertmanager',
      { version: '4', groupKey, status, receiver: 'opsdeck', externalURL: 'http://alertmanager:9093', alerts },
      webhook
    );

  const correlationId = 'req-7f2c9a11-outbox';
  const outbox = await alertmanager('{}:{alertname="OutboxRelayDegraded"}', [
    {
      status: 'firing',
      labels: {
        alertname: 'OutboxRelayDegraded',
        signal_key: 'outbox_relay_degraded',
        severity: 'critical',
        service: 'provisioning',
        host_role: 'platform_control',
      },
      annotations: {
        summary: 'Outbox relay stalled for provisioning (oldest event 7m)',
        runbook_id: 'ops.outbox.relay',
        correlation_id: correlationId,
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        resource_name: 'core42:aicloud:uae-north:platform:platform:service:outbox-relay',
      },
      startsAt: minutesAgo(42),
      generatorURL: 'http://prometheus:9090/graph?g0.expr=max+by+(service)+(outbox_oldest_pending_age_seconds)',
    },
  ]);
  const apiErrors = await alertmanager('{}:{alertname="ApiErrorRateHigh"}', [
    {
      status: 'firing',
      labels: {
        alertname: 'ApiErrorRateHigh',
        signal_key: 'api_error_rate_high',
        severity: 'sev2',
        tenant: 't-acme',
        project: 'p-vision',
        service: 'api-gateway',
      },
      annotations: { summary: 'API 5xx ratio 7.4% for t-acme/p-vision', runbook_id: 'ops.api.error_rate' },
      startsAt: minutesAgo(18),
    },
  ]);
  const dlq = await alertmanager('{}:{alertname="DlqBacklog"}', [
    {
      status: 'firing',
      labels: {
        alertname: 'DlqBacklog',
        signal_key: 'dlq_backlog_present',
        severity: 'warning',
        queue: 'billing.events',
      },
      annotations: { summary: 'Dead letters waiting on billing.events', runbook_id: 'ops.queue.backlog' },
      startsAt: minutesAgo(95),
    },
  ]);
  const missing = await alertmanager('{}:{alertname="GpuThermalThrottle"}', [
    {
      status: 'firing',
      labels: {
        alertname: 'GpuThermalThrottle',
        severity: 'warning',
        host_role: 'worker_compute',
        instance: 'gpu-worker-17',
      },
      annotations: { summary: 'GPU thermal throttling on gpu-worker-17' },
      startsAt: minutesAgo(7),
    },
  ]);
  // Two alerts of one name on two hosts (issue 15): the incident page must tell them apart.
  const diskFull = await alertmanager('{}:{alertname="ObjectStoreDiskFull"}', [
    ...['gpu-worker-17', 'gpu-worker-18'].map((instance, i) => ({
      status: 'firing',
      labels: { alertname: 'ObjectStoreDiskFull', severity: 'warning', service: 'object-store', instance },
      annotations: { summary: `Object store disk ${97 + i}% full on ${instance}` },
      startsAt: minutesAgo(12 - i * 5),
    })),
  ]);
  // Both senders' delivery-path heartbeats (alerts/prometheus/opsdeck-heartbeat.yaml and Grafana's).
  await alertmanager('{}:{alertname="OpsdeckHeartbeat"}', [
    {
      status: 'firing',
      labels: {
        alertname: 'OpsdeckHeartbeat',
        opsdeck_heartbeat: 'true',
        opsdeck_actionable: 'false',
        severity: 'none',
      },
      annotations: { summary: 'Always firing' },
      startsAt: minutesAgo(600),
    },
  ]);
  await call<IntakeResult>(
    apiUrl,
    'POST',
    '/api/v1/alerts/grafana',
    {
      receiver: 'opsdeck',
      status: 'firing',
      orgId: 1,
      groupKey: '{}/{alertname="Opsdeck heartbeat"}',
      externalURL: 'http://grafana:3000/',
      version: '1',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'Opsdeck heartbeat', opsdeck_heartbeat: 'true', grafana_folder: 'Opsdeck' },
          annotations: { summary: 'Always firing' },
          startsAt: minutesAgo(600),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
        },
      ],
    },
    webhook
  );
  // An incident whose alert already resolved: it moves to monitoring by itself.
  await alertmanager('{}:{alertname="DatabaseLatencyHigh"}', [
    {
      status: 'firing',
      labels: { alertname: 'DatabaseLatencyHigh', signal_key: 'database_latency_high', severity: 'warning' },
      annotations: { runbook_id: 'ops.database.latency', summary: 'Primary p95 query latency 480 ms' },
      startsAt: minutesAgo(160),
    },
  ]);
  await alertmanager(
    '{}:{alertname="DatabaseLatencyHigh"}',
    [
      {
        status: 'resolved',
        labels: { alertname: 'DatabaseLatencyHigh', signal_key: 'database_latency_high', severity: 'warning' },
        annotations: { runbook_id: 'ops.database.latency' },
        startsAt: minutesAgo(160),
        endsAt: minutesAgo(20),
      },
    ],
    'resolved'
  );
  // One alert through Grafana's contact point payload.
  const provisioning = await call<IntakeResult>(
    apiUrl,
    'POST',
    '/api/v1/alerts/grafana',
    {
      receiver: 'opsdeck',
      status: 'firing',
      orgId: 1,
      groupKey: '{}/{alertname="ProvisioningQueueDepthHigh"}',
      groupLabels: { alertname: 'ProvisioningQueueDepthHigh' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://grafana:3000/',
      version: '1',
      truncatedAlerts: 0,
      alerts: [
        {
          status: 'firing',
          labels: {
            alertname: 'ProvisioningQueueDepthHigh',
            signal_key: 'provisioning_queue_depth_high',
            severity: 'sev2',
            grafana_folder: 'Opsdeck',
          },
          annotations: {
            summary: 'Provisioning queue 1,240 deep and rising',
            runbook_id: 'provisioning.pipeline.backlog',
          },
          startsAt: minutesAgo(26),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://grafana:3000/alerting/grafana/abc/view',
          fingerprint: 'a1b2c3d4e5f60718',
          values: { B: 1240 },
        },
      ],
    },
    webhook
  );

  const platform = 'platform/platform';
  const outboxId = outbox.incident_ids[0];
  await call(
    apiUrl,
    'POST',
    `/api/v1/incidents/${outboxId}/transitions`,
    { to: 'triaging', note: 'Paged platform-messaging; relay leader lease looks lost.' },
    as(REQUESTER, platform)
  );
  await call(
    apiUrl,
    'POST',
    `/api/v1/incidents/${outboxId}/notes`,
    { text: 'outbox_relay_ok{service="provisioning"} is 0 since 21:04; other producers fine.' },
    as(REQUESTER, platform)
  );

  const evidence = (reasoning: string, rollback: string, resources: string[]) => ({
    reasoning,
    confidence: 0.82,
    risk_level: 'medium' as const,
    impact_radius: { resources, count: resources.length },
    rollback_strategy: rollback,
    saved_query_ids: [],
    environment: 'production',
  });
  const request = (user: string, project: string, body: ApprovalRequestBody) =>
    call<Approval>(apiUrl, 'POST', '/api/v1/approvals', body, as(user, project));
  const toApprove = await request(REQUESTER, platform, {
    incident_id: dlq.incident_ids[0],
    action_id: 'messaging.dlq.replay',
    parameters: { queue: 'billing.events' },
    evidence: evidence(
      'The dead letters are 412 invoice.created events rejected by billing-worker 4.2.0 (schema bug, fixed in 4.2.1, deployed 20 minutes ago). Replaying them at 20/s lets the fixed worker process them.',
      'Stop the replay (messaging.dlq.replay_stop); events are idempotent by id, so a partial replay is safe to resume.',
      ['core42:aicloud:uae-north:platform:platform:queue:billing-events']
    ),
  });
  const toReject = await request(REQUESTER, platform, {
    incident_id: provisioning.incident_ids[0],
    action_id: 'provisioning.dispatcher.scale',
    parameters: { replicas: 12, reason: 'drain the queue faster' },
    evidence: evidence(
      'Queue depth 1,240 and rising; dispatch latency p95 9 s. More dispatcher replicas should drain it.',
      'Scale back to 4 replicas with the same action.',
      ['core42:aicloud:uae-north:platform:platform:deployment:provisioning-dispatcher']
    ),
  });
  const r3Pending = await request(REQUESTER, 't-acme/p-vision', {
    incident_id: apiErrors.incident_ids[0],
    action_id: 'deploy.rollout.undo',
    parameters: { namespace: 'edge', service: 'api-gateway', rejected_version: '2026.11.3' },
    evidence: evidence(
      'The 5xx ratio rose from 0.3% to 7.4% within 2 minutes of api-gateway 2026.11.3 reaching 100%; errors are all in the new /v2/projects handler.',
      'Promote 2026.11.3 again with deploy.rollout.promote once fixed.',
      ['core42:aicloud:uae-north:t-acme:p-vision:service:api-gateway']
    ),
  });
  const ownRequest = await request(tokens.signedInUser ?? HOST_USER, platform, {
    incident_id: dlq.incident_ids[0],
    action_id: 'messaging.dlq.replay',
    parameters: { queue: 'billing.retries' },
    evidence: evidence('Same poison pattern on billing.retries.', 'Stop the replay.', [
      'core42:aicloud:uae-north:platform:platform:queue:billing-retries',
    ]),
  });

  // For the RBAC specs: decided by a Grafana Viewer whom an admin granted Opsdeck Approver.
  const forGrantedApprover = await request(REQUESTER, platform, {
    incident_id: dlq.incident_ids[0],
    action_id: 'messaging.dlq.replay',
    parameters: { queue: 'billing.audit' },
    evidence: evidence('Same poison pattern on billing.audit.', 'Stop the replay.', [
      'core42:aicloud:uae-north:platform:platform:queue:billing-audit',
    ]),
  });

  return {
    outboxIncident: outboxId,
    diskFullIncident: diskFull.incident_ids[0],
    apiErrorsIncident: apiErrors.incident_ids[0],
    dlqIncident: dlq.incident_ids[0],
    provisioningIncident: provisioning.incident_ids[0],
    missingRunbookIncident: missing.incident_ids[0],
    approvals: {
      toApprove: toApprove.id,
      toReject: toReject.id,
      r3Pending: r3Pending.id,
      ownRequest: ownRequest.id,
      forGrantedApprover: forGrantedApprover.id,
    },
    correlationId,
  };
}
