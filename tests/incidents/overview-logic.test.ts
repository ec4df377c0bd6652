/** The overview's pure parts: health thresholds, the process counters, card order, and request coalescing. */
import { compareCards } from '../../src/api/overview/assemble';
import { coalescing } from '../../src/api/overview/coalesce';
import {
  createProcessCounters,
  histogramQuantile,
  LATENCY_BOUNDS,
  SLOT_MS,
  WINDOW_SLOTS,
} from '../../src/api/overview/counters';
import { blockDefinitions, healthStatus, worstValue } from '../../src/api/overview/health';
import type { IncidentRecord } from '../../src/api/incidents/model';
import { loadCatalog } from '../../src/catalog/load';
import { INCIDENTS_CATALOG_DIR } from './builders';

describe('health blocks', () => {
  it('is crit past the threshold, warn past the warn threshold, ok otherwise, unknown without a value', () => {
    const above = { comparison: '>' as const, threshold: 300, warn_threshold: 60 };
    expect([null, 10, 60, 61, 300, 301].map((v) => healthStatus(v, above))).toEqual([
      'unknown',
      'ok',
      'ok',
      'warn',
      'warn',
      'crit',
    ]);
    const below = { comparison: '<' as const, threshold: 0.5, warn_threshold: 0.9 };
    expect([1, 0.9, 0.89, 0.49].map((v) => healthStatus(v, below))).toEqual(['ok', 'ok', 'warn', 'crit']);
    expect(healthStatus(1, { comparison: '>=', threshold: 1, warn_threshold: null })).toBe('crit');
    expect(healthStatus(0, { comparison: '>', threshold: 0, warn_threshold: null })).toBe('ok');
  });

  it('takes the worst series for the comparison', () => {
    expect(worstValue([1, 5, Number.NaN, 3], '>')).toBe(5);
    expect(worstValue([1, 5, 3], '<=')).toBe(1);
    expect(worstValue([Number.NaN], '>')).toBeNull();
  });

  it('takes PromQL, thresholds, panel and saved query from the catalog signal when there is one', async () => {
    const catalog = await loadCatalog(INCIDENTS_CATALOG_DIR);
    const blocks = blockDefinitions(catalog);
    expect(blocks).toHaveLength(8);
    const outbox = blocks.find((block) => block.key === 'outbox_relay')!;
    expect(outbox).toMatchObject({
      expr: 'max by (service) (outbox_oldest_pending_age_seconds)',
      threshold: 300,
      warn_threshold: 60,
      panel_id: 201,
      runbook_id: 'ops.outbox.relay',
    });
    const errors = blocks.find((block) => block.key === 'error_ratio')!;
    // Golden blocks keep their golden panel whatever the signal's own panel is.
    expect(errors).toMatchObject({
      dashboard_uid: 'opsdeck-golden-signals',
      panel_id: 3,
      runbook_id: 'ops.api.error_rate',
    });
    const withoutCatalog = blockDefinitions({
      signals: new Map(),
      runbooks: new Map(),
      runbooksBySignal: new Map(),
      queries: new Map(),
    });
    expect(withoutCatalog.map((block) => block.runbook_id)).toEqual(new Array(8).fill(null));
    expect(withoutCatalog.map((block) => block.panel_id)).toEqual([1, 2, 3, 4, 202, 201, 802, 301]);
  });
});

describe('process counters', () => {
  it('estimates the p95 from the histogram as histogram_quantile does', () => {
    const buckets = new Array(LATENCY_BOUNDS.length + 1).fill(0);
    buckets[0] = 90; // <= 5 ms
    buckets[4] = 10; // 50–100 ms
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.075, 6);
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.005 * (50 / 90), 6);
    expect(histogramQuantile(0.95, new Array(LATENCY_BOUNDS.length + 1).fill(0))).toBeNull();
  });

  it('counts requests, 5xx and latency over the last five minutes, and per host role since start', () => {
    let now = 1_000_000;
    const counters = createProcessCounters({ hostRole: 'worker_compute', clock: () => now });
    for (let i = 0; i < 19; i += 1) {
      counters.record(200, 3);
    }
    counters.record(503, 800);
    now += 50_000;
    const window = counters.window();
    expect(window).toMatchObject({ requests: 20, errors: 1, errorRatio: 0.05, seconds: 50 });
    expect(window.requestsPerSecond).toBeCloseTo(0.4);
    expect(counters.platformRoles()).toEqual({
      platform_control: { requests: 0, errors: 0 },
      app_control: { requests: 0, errors: 0 },
      worker_compute: { requests: 20, errors: 1 },
    });
    now += WINDOW_SLOTS * SLOT_MS;
    expect(counters.window()).toMatchObject({ requests: 0, errorRatio: null, latencyP95Seconds: null });
    expect(counters.platformRoles().worker_compute.requests).toBe(20);
    const saturation = counters.saturation();
    expect(saturation).toBeGreaterThanOrEqual(0);
    expect(saturation).toBeLessThanOrEqual(1);
  });
});

describe('action cards order', () => {
  const card = (id: string, severity: IncidentRecord['severity'], burn: number | null, opened: string) => ({
    id,
    severity,
    slo_burn_rate: burn,
    opened_at: new Date(opened),
  });

  it('sorts by severity, then known higher burn, then age', () => {
    const cards = [
      card('a', 'sev3', null, '2026-11-23T09:00:00Z'),
      card('b', 'sev3', 2, '2026-11-23T10:00:00Z'),
      card('c', 'sev1', null, '2026-11-23T11:00:00Z'),
      card('d', 'sev3', 14, '2026-11-23T11:00:00Z'),
      card('e', 'sev3', null, '2026-11-23T08:00:00Z'),
    ];
    expect([...cards].sort(compareCards).map((c) => c.id)).toEqual(['c', 'd', 'b', 'e', 'a']);
  });
});

describe('coalescing', () => {
  it('serves callers that arrive during a computation with the next one, which starts after they asked', async () => {
    const started: number[] = [];
    const release: Array<() => void> = [];
    let calls = 0;
    const compute = coalescing(async (key: string) => {
      calls += 1;
      const call = calls;
      started.push(call);
      await new Promise<void>((resolve) => release.push(resolve));
      return `${key}#${call}`;
    });
    const first = compute('k');
    await Promise.resolve();
    await Promise.resolve();
    const second = compute('k');
    const third = compute('k');
    const other = compute('other');
    expect(calls).toBe(1);
    await Promise.resolve();
    // 'other' is computed on its own, at once.
    expect(started).toEqual([1, 2]);
    release.shift()!();
    expect(await first).toBe('k#1');
    await new Promise((resolve) => setImmediate(resolve));
    // The two waiting callers share one computation started after the first ended.
    expect(calls).toBe(3);
    release.forEach((resolve) => resolve());
    expect(await second).toBe('k#3');
    expect(await third).toBe('k#3');
    expect(await other).toBe('other#2');
  });

  it('passes a failure to every caller it served, and computes afresh for the next', async () => {
    let fail = true;
    const compute = coalescing(async () => {
      if (fail) {
        throw new Error('store down');
      }
      return 'ok';
    });
    await expect(Promise.all([compute('k'), compute('k')])).rejects.toThrow('store down');
    fail = false;
    await expect(compute('k')).resolves.toBe('ok');
  });
});
