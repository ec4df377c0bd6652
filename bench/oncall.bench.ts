/**
 * Escalation and paging under a burst: 10,000 open sev1 incidents whose acknowledge clocks all fall
 * due at the same moment T. With the default worker interval (500 ms) one API process escalates each
 * to level 2 and delivers its pages (PagerDuty + Slack, 20,000 pages) to a local receiver. Reported:
 * the time from T to each page's arrival at the receiver (p50/p99; target p99 ≤ 2 s) and pages/s.
 * The channels' rate limit is lifted (a real PagerDuty/Slack would throttle far earlier): this measures
 * Opsdeck's own escalation and outbox throughput on PostgreSQL.
 *
 *   npm run bench -- oncall
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';

import { createDatabase, fmt, ROOT, startApi } from './support/process';

const INCIDENTS = Number(process.env.BENCH_ONCALL_INCIDENTS ?? 10_000);
const PAGES = INCIDENTS * 2;

/** CPU seconds a process has used so far (Linux /proc; null elsewhere). */
function cpuSecondsOf(pid: number | undefined): number | null {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) {
    return null;
  }
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100/s on Linux).
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'opsdeck-oncall-bench-'));
  cpSync(path.join(ROOT, 'tests', 'fixtures', 'catalog-oncall'), dir, { recursive: true });
  const oncallFile = path.join(dir, 'oncall.yaml');
  writeFileSync(
    oncallFile,
    readFileSync(oncallFile, 'utf8').replace(
      /(type: (pagerduty|slack), [a-z_]+: [A-Z_]+)/g,
      '$1, rate_per_minute: 100000000'
    )
  );

  // The receiver does as little as it can: it shares the machine's cores with the API and PostgreSQL.
  const arrivals: number[] = [];
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      arrivals.push(Date.now());
      response.writeHead(request.url === '/v2/enqueue' ? 202 : 200).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const database = await createDatabase();
  const api = await startApi({
    OPSDECK_DATABASE_URL: database.url,
    OPSDECK_API_TOKEN: 'bench-token-0123456789',
    OPSDECK_CATALOG_DIR: dir,
    OPSDECK_GRAFANA_URL: 'https://grafana.example.com',
    OPSDECK_TEST_PD_KEY: 'R0UT1NGKEY0123456789ABCDEFGHIJKL',
    OPSDECK_TEST_SLACK_URL: `${base}/slack`,
    OPSDECK_PAGERDUTY_EVENTS_URL: `${base}/v2/enqueue`,
  });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  // T: four seconds after the incidents are written; each was opened 5 minutes before T (sev1 ack clock).
  const due = new Date(Date.now() + 4_000);
  const apiCpuBefore = cpuSecondsOf(api.process.pid);
  const benchCpuBefore = process.cpuUsage();
  const opened = new Date(due.getTime() - 5 * 60_000);
  await client.query(
    `INSERT INTO incidents (id, grouping_key, title, status, severity, tenant, project, owner_team, service, missing_runbook,
                            opened_at, updated_at, last_alert_at, escalation_level, next_escalation_at)
     SELECT 'bench-' || lpad(n::text, 6, '0'), 'bench:' || n, 'Bench incident ' || n, 'detected', 'sev1', 'platform', 'platform',
            'platform-messaging', 'outbox-relay', false, $1, $1, $1, 1, $2
       FROM generate_series(1, $3::int) AS n`,
    [opened.toISOString(), due.toISOString(), INCIDENTS]
  );
  const deadline = Date.now() + 15 * 60_000;
  while (arrivals.length < PAGES && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The outcomes are recorded after the receiver answered: wait for the outbox, then a little longer
  // (a late duplicate would show up at the receiver).
  const counts = async () =>
    (
      await client.query<{ delivered: number; escalated: number }>(
        `SELECT (SELECT count(*)::int FROM notification_outbox WHERE status = 'delivered') AS delivered,
                (SELECT count(*)::int FROM incidents WHERE escalation_level = 2) AS escalated`
      )
    ).rows;
  while ((await counts())[0].delivered < PAGES && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const apiCpuAfter = cpuSecondsOf(api.process.pid);
  const benchCpu = process.cpuUsage(benchCpuBefore);
  await api.stop();
  const rows = await counts();
  await client.end();
  await database.drop();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });

  const latencies = arrivals.map((at) => (at - due.getTime()) / 1000).sort((a, b) => a - b);
  const span = (arrivals[arrivals.length - 1] - arrivals[0]) / 1000;
  console.log(
    `incidents escalated: ${fmt(rows[0].escalated)} of ${fmt(INCIDENTS)}; pages delivered: ${fmt(rows[0].delivered)} (receiver saw ${fmt(arrivals.length)}) of ${fmt(PAGES)}`
  );
  console.log(
    `due → delivered: first ${fmt(latencies[0], 2)} s, p10 ${fmt(percentile(latencies, 10), 2)} s, p50 ${fmt(percentile(latencies, 50), 2)} s, p99 ${fmt(percentile(latencies, 99), 2)} s, max ${fmt(latencies[latencies.length - 1], 2)} s (target p99 ≤ 2 s)`
  );
  console.log(`load average during the run (1 min): ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
  console.log(`throughput: ${fmt(arrivals.length / Math.max(span, 0.001))} pages/s over ${fmt(span, 1)} s`);
  if (apiCpuBefore !== null && apiCpuAfter !== null) {
    console.log(
      `CPU from T-4 s to the end: API process ${fmt(apiCpuAfter - apiCpuBefore, 1)} s; this process (receiver and bookkeeping) ${fmt((benchCpu.user + benchCpu.system) / 1e6, 1)} s`
    );
  }
  if (arrivals.length !== PAGES || rows[0].delivered !== PAGES) {
    console.log('NOT every page was delivered exactly once');
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
