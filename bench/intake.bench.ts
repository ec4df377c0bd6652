/**
 * Alert intake throughput: alerts/s accepted and durably committed on PostgreSQL, in Alertmanager
 * webhook payloads of 100 alerts, against Alertmanager's own `POST /api/v2/alerts` (Debian's 0.25) on
 * the same machine in the same run, with the same batches and the same client concurrency.
 *
 * The API runs in its own process as production starts it (bench/support/serve.ts, log level warn);
 * each 200 is sent after COMMIT (PostgreSQL's default synchronous_commit=on, so the alerts are on disk).
 * Afterwards: no lost or duplicated alert (every fingerprint stored exactly once, the sum of `created`
 * equals what was sent), and a re-delivery of some payloads creates nothing.
 *
 * Then the responsiveness during one 10,000-alert payload on both stores (benchBigPayload).
 *
 *   npm run bench -- intake
 *   BENCH_INTAKE_PART=responsiveness BENCH_INTAKE_STORES=embedded npm run bench -- intake
 *   BENCH_INTAKE_CPU_PROF=/tmp/prof (node --cpu-prof of the API process, one file per store)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

import { labelFingerprint } from '../src/api/incidents/fingerprint';
import type { AlertmanagerWebhookPayload, IntakeResult } from '../src/contract/alerts';
import { createDatabase, fmt, freePort, startApi, startChild, waitFor } from './support/process';

const BATCH = 100;
const PAYLOADS = Number(process.env.BENCH_INTAKE_PAYLOADS ?? 500);
const WARMUP_PAYLOADS = 20;
const CONCURRENCY = Number(process.env.BENCH_INTAKE_CONCURRENCY ?? 8);
const TOKEN = 'bench-webhook-token-0123456789';
const SIGNALS = [
  'outbox_relay_degraded',
  'dlq_backlog_present',
  'api_error_rate_high',
  'database_latency_high',
  'provisioning_queue_depth_high',
  'fleet_telemetry_data_stale',
  'billing_worker_failures',
  'agent_heartbeat_missing',
];
const STARTS_AT = new Date(Date.now() - 60_000).toISOString();

type Alert = AlertmanagerWebhookPayload['alerts'][number];

/**
 * Alertmanager sends one payload per alert group (`group_by: [alertname, signal_key, tenant, project]`
 * in deploy/alertmanager.yml): payload `b` carries 100 alerts of group `b % GROUPS` (8 signals × 5
 * tenancy scopes), each alert a different instance.
 */
const GROUPS = SIGNALS.length * 5;

function alert(payload: number, n: number): Alert {
  const group = payload % GROUPS;
  const signal = SIGNALS[group % SIGNALS.length];
  const scope = Math.floor(group / SIGNALS.length);
  const labels: Record<string, string> = {
    alertname: `Bench_${signal}`,
    signal_key: signal,
    severity: group % 3 === 0 ? 'critical' : 'warning',
    service: `service-${n % 40}`,
    instance: `host-${n}:9100`,
    host_role: ['platform_control', 'app_control', 'worker_compute'][n % 3],
  };
  if (scope > 0) {
    labels.tenant = `t-${scope}`;
    labels.project = `p-${scope}`;
  }
  return {
    status: 'firing',
    labels,
    annotations: { summary: `bench alert ${n}`, correlation_id: `req-bench-${n}` },
    startsAt: STARTS_AT,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: `http://prometheus.bench:9090/graph?g0.expr=bench_${n}`,
    fingerprint: labelFingerprint(labels),
  };
}

/** `count` payloads of BATCH alerts, numbered from payload `first` (alert numbers follow). */
function batches(first: number, count: number): Alert[][] {
  return Array.from({ length: count }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) => alert(first + b, (first + b) * BATCH + i))
  );
}

function webhook(alerts: Alert[]): AlertmanagerWebhookPayload {
  return {
    version: '4',
    groupKey: `{}:{alertname="${alerts[0].labels.alertname}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'opsdeck',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.bench:9093',
    alerts,
  };
}

/** Sends every body with `CONCURRENCY` requests in flight; returns the wall time and the answers. */
async function drive<T>(
  bodies: T[],
  send: (body: T) => Promise<unknown>
): Promise<{ seconds: number; answers: unknown[] }> {
  const answers: unknown[] = new Array(bodies.length);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const index = next++;
        answers[index] = await send(bodies[index]);
      }
    })
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, answers };
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return text ? JSON.parse(text) : null;
}

/** `replicas` API processes on one database, payloads sent to them in turn (a load balancer's round robin). */
async function benchOpsdeck(replicas: number): Promise<{ alerts: number; seconds: number; checks: string[] }> {
  const database = await createDatabase();
  const apis: Array<Awaited<ReturnType<typeof startApi>>> = [];
  for (let i = 0; i < replicas; i += 1) {
    apis.push(
      await startApi({
        OPSDECK_DATABASE_URL: database.url,
        OPSDECK_API_TOKEN: 'bench-api-token-0123456789',
        OPSDECK_WEBHOOK_TOKEN: TOKEN,
      })
    );
  }
  let turn = 0;
  try {
    const send = (alerts: Alert[]) =>
      postJson(`${apis[turn++ % replicas].url}/api/v1/alerts/alertmanager`, webhook(alerts), {
        authorization: `Bearer ${TOKEN}`,
      });
    await drive(batches(100_000, WARMUP_PAYLOADS), send);
    const measured = batches(0, PAYLOADS);
    const { seconds, answers } = await drive(measured, send);
    const results = answers as IntakeResult[];
    const sent = PAYLOADS * BATCH;
    const created = results.reduce((sum, r) => sum + r.created, 0);
    const redelivered = (await drive(measured.slice(0, 10), send)).answers as IntakeResult[];

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ total: number; distinct: number; incidents: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT fingerprint)::int AS distinct, (SELECT count(*)::int FROM incidents) AS incidents FROM alerts WHERE (split_part(split_part(labels->>'instance', '-', 2), ':', 1))::int < ${PAYLOADS * BATCH}`
    );
    await client.end();
    const checks = [
      `sent ${fmt(sent)} alerts in ${PAYLOADS} payloads of ${BATCH}; every answer 200; sum of created = ${fmt(created)}`,
      `stored ${fmt(rows[0].total)} alert rows with ${fmt(rows[0].distinct)} distinct fingerprints (in ${fmt(rows[0].incidents)} incidents, warm-up included)`,
      `re-delivered 10 payloads: created ${redelivered.reduce((s, r) => s + r.created, 0)}, unchanged ${redelivered.reduce((s, r) => s + r.unchanged, 0)}`,
    ];
    const ok =
      created === sent &&
      rows[0].total === sent &&
      rows[0].distinct === sent &&
      redelivered.every((r) => r.created === 0 && r.unchanged === BATCH);
    checks.push(ok ? 'no lost and no duplicated alert: OK' : 'LOST OR DUPLICATED ALERTS: FAILED');
    if (!ok) {
      process.exitCode = 1;
    }
    return { alerts: sent, seconds, checks };
  } finally {
    await Promise.all(apis.map((api) => api.stop()));
    await database.drop();
  }
}

async function benchAlertmanager(): Promise<{ alerts: number; seconds: number; checks: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'opsdeck-bench-am-'));
  const port = await freePort();
  await writeFile(
    path.join(dir, 'alertmanager.yml'),
    [
      'route: { receiver: blackhole, group_wait: 1h, group_interval: 1h, repeat_interval: 24h }',
      'receivers: [{ name: blackhole }]',
      '',
    ].join('\n')
  );
  const am = startChild(
    'prometheus-alertmanager',
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    {},
    'ignore'
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('Alertmanager to be ready', async () => (await fetch(`${url}/-/ready`)).ok);
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const postable = (alerts: Alert[]) =>
      alerts.map(({ labels, annotations, startsAt, generatorURL }) => ({
        labels,
        annotations,
        startsAt,
        endsAt,
        generatorURL,
      }));
    const send = (alerts: Alert[]) => postJson(`${url}/api/v2/alerts`, postable(alerts));
    await drive(batches(100_000, WARMUP_PAYLOADS), send);
    const { seconds } = await drive(batches(0, PAYLOADS), send);
    const listed = (await (await fetch(`${url}/api/v2/alerts`)).json()) as Array<{ fingerprint: string }>;
    const distinct = new Set(listed.map((a) => a.fingerprint)).size;
    const expected = (PAYLOADS + WARMUP_PAYLOADS) * BATCH;
    return {
      alerts: PAYLOADS * BATCH,
      seconds,
      checks: [
        `Alertmanager lists ${fmt(listed.length)} alerts, ${fmt(distinct)} distinct (expected ${fmt(expected)}, warm-up included): ${distinct === expected ? 'OK' : 'MISMATCH'}`,
      ],
    };
  } finally {
    await am.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Issue 17 item 7: the slowest /healthz answer while one 10,000-alert payload (10,000 groups, the worst
 * case) is ingested, on each store. A probe is due every 20 ms and its latency counts from when it was
 * due, so a stalled server shows as a late answer. Target: every answer under 100 ms.
 */
async function benchBigPayload(
  kind: 'postgres' | 'embedded'
): Promise<{ maxMs: number; p99Ms: number; probes: number; failures: number; seconds: number }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'opsdeck-bench-big-'));
  const database = kind === 'postgres' ? await createDatabase() : null;
  // BENCH_INTAKE_CPU_PROF=DIR writes a V8 CPU profile of the API process (node --cpu-prof) into DIR;
  // BENCH_INTAKE_NODE_ARGS adds node options to it (e.g. `--require` of a stall recorder).
  const profile = process.env.BENCH_INTAKE_CPU_PROF;
  const api = await startApi(
    {
      ...(database ? { OPSDECK_DATABASE_URL: database.url } : { OPSDECK_DATA_DIR: path.join(dataDir, 'data') }),
      OPSDECK_API_TOKEN: 'bench-api-token-0123456789',
      OPSDECK_WEBHOOK_TOKEN: TOKEN,
    },
    [
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, `--cpu-prof-name=intake-${kind}.cpuprofile`] : []),
      ...(process.env.BENCH_INTAKE_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ]
  );
  const body = (tag: string) =>
    JSON.stringify({
      version: '4',
      status: 'firing',
      receiver: 'opsdeck',
      groupKey: `big-${tag}`,
      alerts: Array.from({ length: 10_000 }, (_, i) => ({
        status: 'firing',
        labels: { alertname: `${tag}${i}` },
        startsAt: STARTS_AT,
      })),
    });
  const send = (text: string) =>
    fetch(`${api.url}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: text,
    }).then(async (response) => {
      if (!response.ok) {
        throw new Error(`big payload answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
      }
    });
  try {
    await send(body('w'));
    const measured = body('m');
    const latencies: number[] = [];
    let failures = 0;
    const probes: Array<Promise<void>> = [];
    let due = performance.now() + 20;
    const timer = setInterval(() => {
      const from = Math.min(due, performance.now());
      due = performance.now() + 20;
      // A probe that fails (connect timeout while the server does not answer) counts with the time it took.
      const settle = () => {
        latencies.push(performance.now() - from);
      };
      probes.push(
        fetch(`${api.url}/healthz`)
          .then((response) => response.arrayBuffer())
          .then(settle, () => {
            failures += 1;
            settle();
          })
      );
    }, 20);
    const started = performance.now();
    await send(measured);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(timer);
    await Promise.all(probes);
    latencies.sort((a, b) => a - b);
    return {
      maxMs: latencies[latencies.length - 1] ?? 0,
      p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
      probes: latencies.length,
      failures,
      seconds,
    };
  } finally {
    await api.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Throughput: one replica, three replicas, Alertmanager, and the two ratios. */
async function throughput() {
  console.log(
    `Alertmanager-format batches of ${BATCH} alerts, ${PAYLOADS} measured payloads after ${WARMUP_PAYLOADS} warm-up, ${CONCURRENCY} requests in flight.\n`
  );
  const opsdeck = await benchOpsdeck(1);
  const replicated = await benchOpsdeck(3);
  const alertmanager = await benchAlertmanager();
  const rate = (r: { alerts: number; seconds: number }) => r.alerts / r.seconds;
  console.log('| receiver | alerts | seconds | alerts/s |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| Opsdeck POST /api/v1/alerts/alertmanager (PostgreSQL, committed) | ${fmt(opsdeck.alerts)} | ${fmt(opsdeck.seconds, 2)} | ${fmt(rate(opsdeck))} |`
  );
  console.log(
    `| Opsdeck, 3 replicas on the same machine and database | ${fmt(replicated.alerts)} | ${fmt(replicated.seconds, 2)} | ${fmt(rate(replicated))} |`
  );
  console.log(
    `| Alertmanager 0.25 POST /api/v2/alerts (in memory) | ${fmt(alertmanager.alerts)} | ${fmt(alertmanager.seconds, 2)} | ${fmt(rate(alertmanager))} |`
  );
  console.log(
    `\nratio 3 replicas / 1 replica: ${fmt(rate(replicated) / rate(opsdeck), 2)} (issue 13 target >= 1.0: ${rate(replicated) >= rate(opsdeck) ? 'met' : 'NOT met'})` +
      `\nratio Opsdeck / Alertmanager: ${fmt(rate(opsdeck) / rate(alertmanager), 2)} (issue 13 target >= 1.0: ${rate(opsdeck) >= rate(alertmanager) ? 'met' : 'NOT met'}; load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')})`
  );
  for (const line of [...opsdeck.checks, ...replicated.checks.map((c) => `3 replicas: ${c}`), ...alertmanager.checks]) {
    console.log(`- ${line}`);
  }
}

/** Responsiveness during one 10,000-alert payload on both stores. */
async function responsiveness() {
  console.log(
    '\n/healthz every 20 ms during one 10,000-alert payload (10,000 groups), latency from when each probe was due:\n'
  );
  console.log('| store | payload s | probes | failed | p99 ms | max ms | target max < 100 ms |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  // BENCH_INTAKE_STORES=postgres (or embedded) measures one store.
  const kinds = (['postgres', 'embedded'] as const).filter((kind) =>
    (process.env.BENCH_INTAKE_STORES ?? 'postgres,embedded').split(',').includes(kind)
  );
  for (const kind of kinds) {
    const big = await benchBigPayload(kind);
    console.log(
      `| ${kind} | ${fmt(big.seconds, 2)} | ${big.probes} | ${big.failures} | ${fmt(big.p99Ms, 1)} | ${fmt(big.maxMs, 1)} | ${big.maxMs < 100 && big.failures === 0 ? 'met' : 'NOT met'} |`
    );
  }
  console.log(
    `(load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')})`
  );
}

/** BENCH_INTAKE_PART=throughput or =responsiveness runs one half. */
async function main() {
  const part = process.env.BENCH_INTAKE_PART;
  if (part !== 'responsiveness') {
    await throughput();
  }
  if (part !== 'throughput') {
    await responsiveness();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
