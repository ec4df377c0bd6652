/**
 * `opsdeck lint` on generated repositories: 1k, 5k and 10k runbooks, with as many signals and alert rules
 * (80 % Prometheus rule files, 20 % Grafana provisioning, 100 rules a file) and a tenth as many saved
 * queries (Loki, Tempo, Prometheus). The markdown is shaped like the real runbooks (~3 KB, seven
 * sections, task items, commands, `$TOKEN` placeholders) so every rule does real work, and the
 * generated repository must lint clean.
 *
 * Each size is linted 3 times, each by the bundled CLI in a fresh process (cold JIT, worker thread,
 * exactly like `opsdeck lint` in CI); the table gives the median lint time from the JSON report (catalog
 * read + every rule), the 10k/1k ratio, the CPU time of the main thread and of all threads during the
 * lint (the machine is shared: CPU time varies much less with other load than wall time), the whole
 * process's wall time and its peak RSS.
 *
 *   npm run bench -- lint
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { LintReport } from '../src/contract/catalog';

const TODAY = '2026-11-23';
const SIZES = [1_000, 5_000, 10_000];
const RUNS = 3;
const SIGNALS_PER_GROUP = 50;

const runbookId = (i: number) => `bench.area${Math.floor(i / 100)}.runbook_${i}`;
const signalKey = (i: number) => `bench_signal_${i}`;
const queryId = (i: number) => `bench_query_${i}`;

function markdown(i: number, queries: number): string {
  const q1 = queryId(i % queries);
  const q2 = queryId((i * 7 + 3) % queries);
  return `# Bench runbook ${i}

> Runbook ID: \`${runbookId(i)}\` · Owner: \`team-${i % 40}\` · Severity hint: \`sev2\` · Signals: \`${signalKey(i)}\`

## Meaning

\`${signalKey(i)}\` compares the share of failing requests of \`service-${i % 200}\` over 5 minutes with its
threshold. The service fronts tenant traffic, so a rise here is either the service failing itself or
a dependency failing underneath it.

\`\`\`promql
sum(rate(http_requests_total{service="service-${i % 200}",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="service-${i % 200}"}[5m]))
\`\`\`

## Impact

Tenants see failed calls; the SDK retries idempotent calls three times, so the failure shows late.

## Diagnosis

Open Domain signals › Bench signal ${i} on \`opsdeck-domain-signals\`.

- [ ] Run saved query \`${q1}\` with \`$service=service-${i % 200}\` and note when the ratio left its baseline.
- [ ] Read one failing request with saved query \`${q2}\`:

\`\`\`bash
curl -s -H "Authorization: Bearer $TOKEN" -H "X-Correlation-ID: $CORRELATION_ID" https://api.example/v1/health
kubectl -n ns-${i % 30} get pods -l app=service-${i % 200} -o wide
psql "$DB_URL" -c "SELECT now() - xact_start AS age, left(query, 80) FROM pg_stat_activity ORDER BY age DESC LIMIT 5;"
\`\`\`

- [ ] Check the last rollout: \`kubectl -n ns-${i % 30} rollout history deploy/service-${i % 200} | tail -3\`.

Decision points: one route failing → Mitigation step 2; every route → step 1; a dependency → escalate.

## Mitigation

- [ ] 1. Roll back the last release (R2, one approver): \`kubectl -n ns-${i % 30} rollout undo deploy/service-${i % 200}\`.
- [ ] 2. Shed the failing route at the gateway (R2) with \`token=$GATEWAY_TOKEN\` from vault.
- [ ] 3. Scale out (R1): \`kubectl -n ns-${i % 30} scale deploy/service-${i % 200} --replicas=6\`.

## Rollback / Recovery

Roll forward once the fix is merged; restore the replica count from Git with the next sync.

## Escalation

Not mitigated in 15 minutes: page \`team-${i % 40}\` secondary; a dependency at fault: page its owner at once.

## Verification

- [ ] Saved query \`${q1}\` below the threshold for 15 minutes.
- [ ] No new 5xx for the route in the last 10 minutes.
`;
}

const QUERY_SHAPES = [
  (i: number) => ({
    datasource: 'loki',
    expr: `{service="$service", env="prod"} | json | correlation_id="$correlation_id" | line_format "{{.level}} {{.code}} ${i}"`,
  }),
  (i: number) => ({ datasource: 'tempo', expr: `{ trace:id = "$trace_id" && resource.service.name = "svc-${i}" }` }),
  (i: number) => ({
    datasource: 'prometheus',
    expr: `sum by (route) (rate(http_requests_total{service="$service",code=~"5..",shard="${i}"}[$window]))`,
  }),
];

function prometheusRule(i: number): string {
  return `      - alert: BenchAlert${i}
        expr: sum(rate(http_requests_total{service="service-${i % 200}",code=~"5.."}[5m])) > ${i % 10}
        for: 5m
        labels:
          severity: sev2
          signal_key: ${signalKey(i)}
        annotations:
          summary: Bench alert ${i} is firing for {{ $labels.service }}
          runbook_id: ${runbookId(i)}
          runbook_url: catalog/runbooks/runbook-${i}.md
`;
}

function grafanaRule(i: number): string {
  return `      - uid: bench-${i}
        title: Bench Grafana alert ${i}
        condition: C
        data: []
        labels:
          signal_key: ${signalKey(i)}
        annotations:
          runbook_id: ${runbookId(i)}
`;
}

/** Writes a repository with `n` runbooks, signals and alert rules and n/10 saved queries. */
export function generateRepository(root: string, n: number) {
  const queries = Math.max(3, n / 10);
  const groups = Math.ceil(n / SIGNALS_PER_GROUP);
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  const manifest = {
    version: 1,
    signal_groups: Array.from({ length: groups }, (_, g) => ({
      key: `group_${g + 1}`,
      title: `Group ${g + 1}`,
      order: g + 1,
    })),
    signals: Array.from({ length: n }, (_, i) => ({
      key: signalKey(i),
      group: `group_${Math.floor(i / SIGNALS_PER_GROUP) + 1}`,
      title: `Bench signal ${i}`,
      description: `Failure ratio of service-${i % 200}.`,
      default_severity: i % 20 === 0 ? 'sev1' : 'sev2',
      owner_service: `service-${i % 200}`,
      // Unique per signal, so that no parse is ever repeated.
      expr: `sum(rate(http_requests_total{service="service-${i % 200}",code=~"5..",shard="${i}"}[5m])) / sum(rate(http_requests_total{service="service-${i % 200}",shard="${i}"}[5m]))`,
      comparison: '>',
      threshold: 0.05,
      warn_threshold: 0.02,
      unit: 'ratio',
      dashboard: {
        uid: 'opsdeck-domain-signals',
        panel_id: 100 * (Math.floor(i / SIGNALS_PER_GROUP) + 1) + (i % SIGNALS_PER_GROUP) + 1,
      },
      query_id: queryId(i % queries),
    })),
    runbooks: Array.from({ length: n }, (_, i) => ({
      id: runbookId(i),
      title: `Bench runbook ${i}`,
      severity_hint: 'sev2',
      owner_team: `team-${i % 40}`,
      // Between 2026-09-10 and 2026-11-18: at most 74 days before TODAY, so no review is due soon.
      last_reviewed_at: new Date(Date.UTC(2026, 8, 10) + (i % 70) * 86_400_000).toISOString().slice(0, 10),
      url: `catalog/runbooks/runbook-${i}.md`,
      signals: [signalKey(i)],
      queries: [...new Set([queryId(i % queries), queryId((i * 7 + 3) % queries)])],
      tags: [],
    })),
  };
  write('catalog/runbooks.catalog.json', JSON.stringify(manifest, null, 2));
  write(
    'catalog/queries.catalog.json',
    JSON.stringify(
      {
        version: 1,
        queries: Array.from({ length: queries }, (_, i) => ({
          id: queryId(i),
          title: `Bench query ${i}`,
          ...QUERY_SHAPES[i % QUERY_SHAPES.length](i),
          owner_service: `service-${i % 200}`,
          description: `Bench query ${i}.`,
          default_range: 'now-1h',
        })),
      },
      null,
      2
    )
  );
  write(
    'catalog/symptoms.catalog.json',
    JSON.stringify({
      version: 1,
      symptoms: Array.from({ length: Math.max(1, n / 100) }, (_, i) => ({
        id: `bench_symptom_${i}`,
        symptom: `Symptom ${i}`,
        description: 'Users report failures.',
        panel: { uid: 'opsdeck-domain-signals', panel_id: 101, title: 'Bench signal 0' },
        query_id: queryId(i % queries),
        owning_service: `service-${i % 200}`,
        owner_team: `team-${i % 40}`,
        runbook_id: runbookId(i),
        signals: [signalKey(i)],
      })),
    })
  );
  write('catalog/grouping.yaml', 'version: 1\n');
  write(
    'catalog/runbook-ids.lock',
    `${manifest.runbooks
      .map((runbook) => runbook.id)
      .sort()
      .join('\n')}\n`
  );
  for (let i = 0; i < n; i++) {
    write(`catalog/runbooks/runbook-${i}.md`, markdown(i, queries));
  }
  const RULES_PER_FILE = 100;
  for (let start = 0; start < n; start += RULES_PER_FILE) {
    const indices = Array.from({ length: Math.min(RULES_PER_FILE, n - start) }, (_, k) => start + k);
    const grafana = (start / RULES_PER_FILE) % 5 === 4;
    if (grafana) {
      write(
        `provisioning/alerting/bench-${start}.yaml`,
        `apiVersion: 1\ngroups:\n  - orgId: 1\n    name: bench-${start}\n    folder: Bench\n    interval: 1m\n    rules:\n${indices.map(grafanaRule).join('')}`
      );
    } else {
      write(
        `alerts/prometheus/bench-${start}.yaml`,
        `groups:\n  - name: bench-${start}\n    rules:\n${indices.map(prometheusRule).join('')}`
      );
    }
  }
}

interface ChildResult {
  /** Lint time as the report gives it (catalog read + every rule), without process start. */
  seconds: number;
  /** Wall time of the whole `opsdeck lint` process, start to exit. */
  processSeconds: number;
  maxRssMb: number;
  /** CPU time (user + system) of every thread during the lint: less sensitive to other load than wall time. */
  cpuSeconds: number;
  /** CPU time of the main thread during the lint: what the wall time would be on idle cores if the worker keeps up. */
  mainCpuSeconds: number;
  errors: number;
  warnings: number;
  runbooks: number;
  alertRules: number;
  queries: number;
}

const BIN = path.join(__dirname, '..', 'bin', 'opsdeck.js');
const BUNDLE = path.join(__dirname, '..', 'build', 'opsdeck.cjs');

/** One `opsdeck lint --format json` in a fresh process, as CI runs it (the bundled CLI, with its worker). */
function runChild(root: string): ChildResult {
  // CPU is measured around the lint only: the process's (every thread) and the main thread's, which
  // is the critical path when the worker keeps up (Linux: /proc/self/task/<pid>/stat, in clock ticks).
  const script = [
    `const fs = require('fs');`,
    `const mainCpu = () => { try { const f = fs.readFileSync('/proc/self/task/' + process.pid + '/stat', 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; } catch { return NaN; } };`,
    `const main0 = mainCpu(); const cpu0 = process.cpuUsage();`,
    `require(${JSON.stringify(BUNDLE)}).runCli(['node', 'opsdeck', 'lint', '--root', ${JSON.stringify(root)}, '--today', '${TODAY}', '--format', 'json']).then(() => {`,
    `  const cpu = process.cpuUsage(cpu0);`,
    `  process.stderr.write('MAXRSS ' + process.resourceUsage().maxRSS + ' CPU ' + (cpu.user + cpu.system) + ' MAIN ' + (mainCpu() - main0) + '\\n');`,
    `});`,
  ].join('\n');
  const started = performance.now();
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const processSeconds = (performance.now() - started) / 1000;
  const rss = /MAXRSS (\d+) CPU (\d+) MAIN ([\d.]+|NaN)/.exec(result.stderr);
  if (!rss || !result.stdout) {
    throw new Error(`lint process failed (exit ${result.status}): ${result.stderr}`);
  }
  const report = LintReport.parse(JSON.parse(result.stdout));
  if (report.findings.length > 0) {
    console.error(report.findings.slice(0, 5));
  }
  return {
    seconds: report.duration_ms / 1000,
    processSeconds,
    maxRssMb: Number(rss[1]) / 1024,
    cpuSeconds: Number(rss[2]) / 1e6,
    mainCpuSeconds: Number(rss[3]),
    errors: report.errors,
    warnings: report.warnings,
    runbooks: report.stats.runbooks,
    alertRules: report.stats.alert_rules,
    queries: report.stats.queries,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  // Builds build/opsdeck.cjs and build/lint-worker.cjs when they are older than the sources.
  spawnSync(process.execPath, [BIN, 'lint', '--list-rules'], { stdio: 'ignore' });
  const base = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-lint-bench-'));
  try {
    const rows: Array<{
      n: number;
      last: ChildResult;
      seconds: number;
      processSeconds: number;
      cpuSeconds: number;
      mainCpuSeconds: number;
      generated: number;
    }> = [];
    for (const n of SIZES) {
      const root = path.join(base, String(n));
      const generatedAt = performance.now();
      generateRepository(root, n);
      const generated = (performance.now() - generatedAt) / 1000;
      const runs = Array.from({ length: RUNS }, () => runChild(root));
      const bad = runs.find((run) => run.errors > 0 || run.warnings > 0);
      if (bad) {
        throw new Error(
          `the generated ${n} repository does not lint clean: ${bad.errors} errors, ${bad.warnings} warnings`
        );
      }
      rows.push({
        n,
        last: runs[runs.length - 1],
        seconds: median(runs.map((run) => run.seconds)),
        processSeconds: median(runs.map((run) => run.processSeconds)),
        cpuSeconds: median(runs.map((run) => run.cpuSeconds)),
        mainCpuSeconds: median(runs.map((run) => run.mainCpuSeconds)),
        generated,
      });
    }
    const first = rows[0];
    const count = (value: number) => value.toLocaleString('en');
    console.log(
      '| runbooks | signals | alert rules | saved queries | lint wall (median of 3) | vs 1k | main-thread CPU | all-threads CPU | whole process wall | peak RSS |'
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of rows) {
      console.log(
        `| ${count(row.last.runbooks)} | ${count(row.n)} | ${count(row.last.alertRules)} | ${count(row.last.queries)} | ` +
          `${row.seconds.toFixed(2)} s | ${(row.seconds / first.seconds).toFixed(1)}× for ${(row.n / first.n).toFixed(0)}× the size | ` +
          `${row.mainCpuSeconds.toFixed(2)} s | ${row.cpuSeconds.toFixed(2)} s | ${row.processSeconds.toFixed(2)} s | ${row.last.maxRssMb.toFixed(0)} MB |`
      );
    }
    // Linear growth means the same cost for every further thousand runbooks, whatever the fixed start-up cost.
    const marginal = rows
      .slice(1)
      .map(
        (row, i) =>
          `${count(rows[i].n)}→${count(row.n)}: +${(((row.seconds - rows[i].seconds) / (row.n - rows[i].n)) * 1000).toFixed(2)} s wall, +${(((row.mainCpuSeconds - rows[i].mainCpuSeconds) / (row.n - rows[i].n)) * 1000).toFixed(2)} s main-thread CPU per 1,000 runbooks`
      );
    console.log(`\nmarginal cost: ${marginal.join('; ')}`);
    const last = rows[rows.length - 1];
    const ok = last.seconds < 2;
    const generation = rows.map((row) => `${row.generated.toFixed(1)} s`).join(' / ');
    console.log(
      `10k budget (< 2 s): ${ok ? 'met' : 'MISSED'}; load average ${os.loadavg()[0].toFixed(1)}; generating the repositories took ${generation} (not timed)`
    );
    if (!ok) {
      process.exitCode = 1;
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void main();
}
