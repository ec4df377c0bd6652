/**
 * Issue 13 fault suite: the soak. One `opsdeck serve` on PostgreSQL takes a steady mix — alert intake
 * (firing and resolving a bounded set of groups), incident reads, the ops overview, approval requests
 * that execute against a test executor, and approval lists — at about half its measured capacity, for
 * OPSDECK_SOAK_SECONDS (default 180). Its resident memory is sampled every second right after a full
 * GC (gc-sampler.cjs, preloaded into the process). The traffic pauses twice — after the warm-up and at
 * the end — until nothing is in flight, for ten quiet seconds; the median of the last quiet window must
 * be within 10 % of the median of the first: a leak per request (a listener, a cache, a buffer that
 * only grows) is what stays when no request runs, and it shows as growth between the two.
 *
 * Capacity is measured first, closed-loop (16 callers for 10 s, the same mix), on the machine as it is
 * at that moment: the rate is relative, so the soak means the same on a quiet laptop and a busy CI
 * runner. Requests are then started on a fixed schedule (open loop) with at most 64 in flight, so a
 * slower moment queues nothing in the server. Nothing here is a timing assertion; the numbers are
 * printed. It runs as its own step of `npm test` (scripts/test.mjs), not inside node-suites; run it
 * alone with `OPSDECK_SOAK=1 npx jest --selectProjects node tests/soak` (tests/README.md).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { TEST_TOKEN } from '../support/app';
import { prerequisite } from '../support/binaries';
import {
  headersFor,
  makeRemediationCatalog,
  OWN,
  ownScope,
  PERSONAS,
  requestBodies,
  seedIncident,
  startTestExecutor,
  type TestExecutor,
} from '../support/remediation';
import { freePort, waitFor } from '../support/processes';
import { killHard, PROCESS_WEBHOOK_TOKEN, spawnServe, type ServeProcess } from '../support/serve-process';
import { postgresAvailable } from '../support/stores';
import { anAlert, anAlertmanagerPayload } from '../incidents/builders';
import { makePlace, type Place } from '../faults/places';

const SOAK_SECONDS = Number(process.env.OPSDECK_SOAK_SECONDS ?? 180);
const CALIBRATION_SECONDS = 10;
const WARM_UP_SECONDS = Math.min(30, Math.round(SOAK_SECONDS / 6));
const WINDOW_SECONDS = 10;
const MAX_IN_FLIGHT = 64;
const MAX_GROWTH = 0.1;

const run = prerequisite('soak', 'a PostgreSQL server', postgresAvailable()) ? describe : describe.skip;

type Call = () => Promise<number>;

/** Requests on a fixed schedule (`rate` per second) for `seconds`, at most MAX_IN_FLIGHT at once; waits for all. */
async function openLoop(
  next: () => { call: Call },
  rate: number,
  seconds: number,
  traffic: { started: number; skipped: number },
  count: (status: number) => void
) {
  let inFlight = 0;
  let started = 0;
  const began = Date.now();
  const pending = new Set<Promise<void>>();
  while (Date.now() - began < seconds * 1000) {
    const due = Math.floor(((Date.now() - began) / 1000) * rate);
    for (; started < due; started += 1) {
      traffic.started += 1;
      if (inFlight >= MAX_IN_FLIGHT) {
        traffic.skipped += 1;
        continue;
      }
      inFlight += 1;
      const work = next()
        .call()
        .catch(() => 0)
        .then((status) => {
          count(status);
          inFlight -= 1;
        });
      pending.add(work);
      void work.then(() => pending.delete(work));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
}

/** A window of WINDOW_SECONDS with no request in flight (the sampler keeps sampling every second). */
async function quietWindow(): Promise<{ from: number; to: number }> {
  const from = Date.now();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_SECONDS * 1000));
  return { from, to: Date.now() };
}

/** The mix, by weight: what a busy on-call afternoon sends one API process. */
function mix(url: string, incidentId: string): Array<{ weight: number; name: string; call: Call }> {
  const operator = headersFor(PERSONAS.operator, ownScope);
  const admin = headersFor(PERSONAS.globalAdmin, null);
  let round = 0;
  const send = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    return response.status;
  };
  const intake: Call = () => {
    round += 1;
    // 20 groups of 5 alerts, each group firing and resolving in turn: incidents open and close, the
    // data stays bounded, as in a steady state.
    const group = round % 20;
    const status = Math.floor(round / 20) % 2 === 0 ? 'firing' : 'resolved';
    const alerts = Array.from({ length: 5 }, (_, i) =>
      anAlert({
        status,
        labels: { alertname: 'Soak', severity: 'warning', signal_key: `soak_${group}`, instance: `i-${i}` },
        ...(status === 'resolved' ? { endsAt: new Date().toISOString() } : {}),
      })
    );
    return send('/api/v1/alerts/alertmanager', {
      method: 'POST',
      headers: { authorization: `Bearer ${PROCESS_WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(anAlertmanagerPayload(alerts, { groupKey: `{}:{signal_key="soak_${group}"}` })),
    });
  };
  return [
    { weight: 35, name: 'intake', call: intake },
    { weight: 20, name: 'incident list', call: () => send('/api/v1/incidents?limit=50', { headers: operator }) },
    { weight: 15, name: 'incident', call: () => send(`/api/v1/incidents/${incidentId}`, { headers: operator }) },
    { weight: 10, name: 'overview', call: () => send('/api/v1/admin/ops/overview', { headers: admin }) },
    {
      weight: 10,
      name: 'approval request',
      call: () =>
        send('/api/v1/approvals', {
          method: 'POST',
          headers: { ...operator, 'content-type': 'application/json' },
          body: JSON.stringify(requestBodies.r1(incidentId)),
        }),
    },
    {
      weight: 10,
      name: 'approval list',
      call: () => send(`/api/v1/approvals?incident_id=${incidentId}&limit=20`, { headers: operator }),
    },
  ];
}

function picker(calls: ReturnType<typeof mix>) {
  const total = calls.reduce((sum, c) => sum + c.weight, 0);
  let i = 0;
  // Deterministic interleaving (no randomness to reproduce): a weighted round robin.
  const sequence = calls.flatMap((c) => Array.from({ length: c.weight }, () => c));
  return () => sequence[(i++ * 37) % total];
}

/** The sampler's lines: seconds since `began`, RSS and heap used in KiB. */
function readSamples(file: string, began: number) {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ').map(Number))
    .map(([at, rss, heap]) => ({ at: (at - began) / 1000, kb: rss / 1024, heapKb: heap / 1024 }));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

run('soak at half capacity on PostgreSQL', () => {
  let place: Place;
  let executor: TestExecutor;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  let server: ServeProcess;

  beforeAll(async () => {
    place = await makePlace('postgres');
    executor = await startTestExecutor();
    catalog = makeRemediationCatalog();
  }, 60_000);
  afterAll(async () => {
    await killHard(server);
    await executor.close();
    await place.remove();
    catalog.remove();
  });

  it(
    `keeps resident memory growth under ${MAX_GROWTH * 100} % over ${SOAK_SECONDS} s`,
    async () => {
      const incidentId = await place.use((store) => seedIncident(store, OWN));
      const port = await freePort();
      const samplesDir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-soak-'));
      const samplesFile = path.join(samplesDir, 'memory.txt');
      server = spawnServe({
        ...place.env,
        OPSDECK_API_TOKEN: TEST_TOKEN,
        OPSDECK_CATALOG_DIR: catalog.dir,
        OPSDECK_EXECUTOR_BASE_URL: executor.url,
        OPSDECK_EXECUTOR_TOKEN: 'executor-secret-token',
        // Warnings only, as a busy production process might run; the port is chosen here because the
        // "listening" line is an info line.
        OPSDECK_LOG_LEVEL: 'warn',
        OPSDECK_SHUTDOWN_TIMEOUT_MS: '30000',
        OPSDECK_PORT: String(port),
        OPSDECK_SOAK_SAMPLES: samplesFile,
        NODE_OPTIONS: `--expose-gc --require ${path.join(__dirname, 'gc-sampler.cjs')}`,
      });
      const url = `http://127.0.0.1:${port}`;
      await waitFor(
        'the API to be ready',
        async () => ((await fetch(`${url}/readyz`).catch(() => null))?.ok ? true : null),
        120_000
      );
      const next = picker(mix(url, incidentId));
      const statuses = new Map<number, number>();
      const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

      // Capacity: closed loop, 16 callers, the same mix.
      let done = 0;
      const calibrateUntil = Date.now() + CALIBRATION_SECONDS * 1000;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (Date.now() < calibrateUntil) {
            count(
              await next()
                .call()
                .catch(() => 0)
            );
            done += 1;
          }
        })
      );
      const capacity = done / CALIBRATION_SECONDS;
      const rate = capacity / 2;

      // The soak: open loop at half capacity, at most MAX_IN_FLIGHT at once, in two stretches. After
      // each, the traffic stops, what is in flight finishes, and memory is sampled for a quiet window:
      // a leak is what stays when no request is running. (Sampled under traffic instead, a busier
      // moment of the machine — another CI step starting — piled up requests in flight and moved the
      // end window by 12 % with nothing leaking.)
      const traffic = { started: 0, skipped: 0 };
      const began = Date.now();
      await openLoop(next, rate, WARM_UP_SECONDS, traffic, count);
      const firstQuiet = await quietWindow();
      await openLoop(next, rate, SOAK_SECONDS - WARM_UP_SECONDS - WINDOW_SECONDS, traffic, count);
      const lastQuiet = await quietWindow();
      const { started, skipped } = traffic;
      const samples = readSamples(samplesFile, began);
      const within = (window: { from: number; to: number }) =>
        samples.filter((s) => began + s.at * 1000 > window.from && began + s.at * 1000 <= window.to);
      const first = within(firstQuiet);
      const last = within(lastQuiet);
      const startKb = median(first.map((s) => s.kb));
      const endKb = median(last.map((s) => s.kb));
      const growth = (endKb - startKb) / startKb;
      const summary = {
        capacity_rps: Math.round(capacity),
        rate_rps: Math.round(rate),
        requests: started - skipped,
        skipped_at_cap: skipped,
        statuses: Object.fromEntries(statuses),
        rss_start_mb: Math.round(startKb / 1024),
        rss_end_mb: Math.round(endKb / 1024),
        rss_peak_mb: Math.round(Math.max(...samples.map((s) => s.kb)) / 1024),
        growth_percent: Number((growth * 100).toFixed(1)),
        rss_mb_every_10s: samples.filter((_, i) => i % 10 === 0).map((s) => Math.round(s.kb / 1024)),
        heap_mb_every_10s: samples.filter((_, i) => i % 10 === 0).map((s) => Math.round(s.heapKb / 1024)),
      };
      console.log(`soak: ${JSON.stringify(summary)}`);

      // Nothing answered 5xx or failed to connect (status 0) — neither in calibration nor in the soak.
      expect([...statuses.keys()].filter((status) => status === 0 || status >= 500)).toEqual([]);
      expect(skipped).toBeLessThan((started + 1) * 0.05);
      expect(first.length).toBeGreaterThan(WINDOW_SECONDS / 2);
      expect(growth).toBeLessThan(MAX_GROWTH);
      // And it still stops cleanly after three minutes of work.
      server.child.kill('SIGTERM');
      const code = await server.exited;
      if (code !== 0) {
        throw new Error(`the API exited with ${code} on SIGTERM:\n${server.output().slice(-3000)}`);
      }
      rmSync(samplesDir, { recursive: true, force: true });
    },
    (SOAK_SECONDS + CALIBRATION_SECONDS + 300) * 1000
  );
});
