/**
 * KPIs (issue 12) on both stores: a seeded history of 48 incidents in two projects over 96 days (with
 * acknowledgements, status updates, executed actions and their feedback, overrides and untouched
 * alerts) is recounted here, independently of src/api/kpis, from the seed plan itself; the API's
 * figures must match for each window, for a team, and only for the caller's project.
 */
import { Kpis, type DurationStat } from '../../src/contract/kpis';
import { type TestApp } from '../support/app';
import { storeKinds } from '../support/stores';
import { signedInViewer, useIncidentsApp } from './builders';

const NOW = new Date('2026-11-30T12:00:00Z');
const DAY = 86_400_000;
const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
const ACK_TARGET = { sev1: 300, sev2: 900, sev3: 3600, sev4: 14400 };
const RESPONSE_TARGET = { sev1: 900, sev2: 1800, sev3: 14400, sev4: 86400 };

interface Planned {
  id: string;
  project: string;
  team: string;
  severity: (typeof SEVERITIES)[number];
  opened: number;
  ack: number | null;
  resolved: number | null;
  update: number | null;
  touchedByNote: boolean;
  action: null | { status: 'succeeded' | 'failed'; auto: boolean; outcome: string | null };
  override: null | 'chose_other' | 'rejected';
  /** A person corrected the severity or the signal (false classification); `system` entries never count. */
  corrected: null | 'severity_changed' | 'signal_changed';
  /** A severity change the system made (intake): not a person's correction. */
  systemSeverityChange: boolean;
  alertname: string;
}

/** The seed plan: plain arithmetic on the index, so the recount below can follow it by hand. */
function plan(): Planned[] {
  return Array.from({ length: 48 }, (_, i) => {
    const opened = NOW.getTime() - (i * 2 + 1) * DAY;
    const actionStatus = i % 4 === 1 ? 'succeeded' : i % 7 === 2 ? 'failed' : null;
    return {
      id: `kpi-${String(i).padStart(2, '0')}`,
      project: i % 4 === 3 ? 'p-other' : 'p-vision',
      team: i % 3 === 0 ? 'team-a' : 'team-b',
      severity: SEVERITIES[i % 4],
      opened,
      ack: i % 5 === 0 ? null : opened + ((i * 37) % 1200) * 1000,
      resolved: i % 6 === 0 ? null : opened + ((i * 811) % 20000) * 1000 + 60_000,
      update: i % 3 === 1 ? null : opened + ((i * 53) % 3000) * 1000,
      touchedByNote: i % 5 === 3,
      action: actionStatus
        ? {
            status: actionStatus,
            auto: i % 8 === 1,
            outcome: i % 8 === 5 ? 'made_worse' : i % 8 === 1 ? 'helped' : null,
          }
        : null,
      override: i % 9 === 0 ? 'chose_other' : i % 10 === 4 ? 'rejected' : null,
      corrected: i % 7 === 3 ? 'severity_changed' : i % 11 === 5 ? 'signal_changed' : null,
      systemSeverityChange: i % 6 === 2,
      alertname: `Rule${i % 3}`,
    };
  });
}

async function seed(t: TestApp, rows: Planned[]) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  for (const r of rows) {
    await t.app.store.query(
      `INSERT INTO incidents (id, grouping_key, title, status, severity, tenant, project, owner_team, missing_runbook,
         firing_count, resolved_count, opened_at, acknowledged_at, resolved_at, updated_at, last_alert_at)
       VALUES ($1, $1, $1, $2, $3, 't-acme', $4, $5, false, $6, $7, $8, $9, $10, $8, $8)`,
      [
        r.id,
        r.resolved ? 'resolved' : 'triaging',
        r.severity,
        r.project,
        r.team,
        r.resolved ? 0 : 1,
        r.resolved ? 1 : 0,
        iso(r.opened),
        iso(r.ack),
        iso(r.resolved),
      ]
    );
    await t.app.store.query(
      `INSERT INTO alerts (incident_id, fingerprint, source, alertname, status, severity, labels, annotations, starts_at,
         missing_runbook, first_received_at, last_received_at, delivery_correlation_id)
       VALUES ($1, $1, 'alertmanager', $2, $3, $4, '{}', '{}', $5, false, $5, $5, 'seed')`,
      [r.id, r.alertname, r.resolved ? 'resolved' : 'firing', r.severity, iso(r.opened)]
    );
    const timeline = (id: string, at: number, kind: string, actor = 'alice') =>
      t.app.store.query(
        `INSERT INTO incident_timeline (id, incident_id, at, kind, actor, summary) VALUES ($1, $2, $3, $4, $5, 'seed')`,
        [id, r.id, iso(at), kind, actor]
      );
    if (r.corrected) {
      await timeline(`${r.id}-corr`, r.opened + 90_000, r.corrected);
    }
    if (r.systemSeverityChange) {
      await timeline(`${r.id}-sys`, r.opened + 45_000, 'severity_changed', 'system');
    }
    if (r.ack !== null) {
      await timeline(`${r.id}-ack`, r.ack, 'state_changed');
    }
    if (r.touchedByNote) {
      await timeline(`${r.id}-note`, r.opened + 30_000, 'note');
    }
    if (r.update !== null) {
      await t.app.store.query(
        `INSERT INTO incident_updates (id, incident_id, tenant, project, stage, audience, message, posted_by, posted_at, correlation_id)
         VALUES ($1, $2, 't-acme', $3, 'investigating', 'external', 'seed', 'alice', $4, 'seed')`,
        [`${r.id}-u`, r.id, r.project, iso(r.update)]
      );
      await timeline(`${r.id}-update`, r.update, 'status_update');
    }
    if (r.action) {
      await t.app.store.query(
        `INSERT INTO approvals (id, incident_id, tenant, project, action_id, action_title, risk_class, status, requires_approval,
           policy_reason, min_approvals, requested_by, requested_at, expires_at, parameters, evidence, similar_past_outcomes,
           saved_query_links, correlation_id, updated_at)
         VALUES ($1, $2, 't-acme', $3, 'x.y', 'x', $4, $5, $6, 'seed', 0, 'alice', $7, $7, '{}', '{}', '{}', '[]', 'seed', $7)`,
        [
          `${r.id}-a`,
          r.id,
          r.project,
          r.action.auto ? 'R1' : 'R2',
          r.action.status,
          !r.action.auto,
          iso(r.opened + 60_000),
        ]
      );
      if (r.action.outcome) {
        await t.app.store.query(
          `INSERT INTO approval_feedback (approval_id, outcome, recorded_by, recorded_at) VALUES ($1, $2, 'alice', $3)`,
          [`${r.id}-a`, r.action.outcome, iso(r.opened + 120_000)]
        );
      }
    }
    if (r.override) {
      await t.app.store.query(
        `INSERT INTO recommendation_overrides (id, incident_id, tenant, project, top_action_id, chosen_action_id, kind, reason,
           recorded_by, recorded_at) VALUES ($1, $2, 't-acme', $3, 'x.y', NULL, $4, 'seed', 'alice', $5)`,
        [`${r.id}-o`, r.id, r.project, r.override, iso(r.opened + 600_000)]
      );
    }
  }
}

// ---------- the independent recount ----------

function quantile(values: number[], q: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const s = values.slice().sort((a, b) => a - b);
  const rank = q * (s.length - 1);
  const below = s[Math.floor(rank)];
  const above = s[Math.min(s.length - 1, Math.floor(rank) + 1)];
  return below + (above - below) * (rank - Math.floor(rank));
}
const stat = (values: number[]): DurationStat => ({
  count: values.length,
  median_seconds: quantile(values, 0.5),
  p90_seconds: quantile(values, 0.9),
});
const frac = (n: number, d: number) => ({ numerator: n, denominator: d, value: d === 0 ? null : n / d });

function recount(rows: Planned[], days: number) {
  const from = NOW.getTime() - days * DAY;
  const mine = rows.filter((r) => r.project === 'p-vision' && r.opened >= from);
  const secs = (a: number, b: number) => (b - a) / 1000;
  const assisted = (r: Planned) => r.action !== null;
  const mttr = (list: Planned[], a: boolean) =>
    stat(list.filter((r) => r.resolved !== null && assisted(r) === a).map((r) => secs(r.opened, r.resolved!)));
  const sla = (at: (r: Planned) => number | null, targets: Record<string, number>) => {
    let met = 0;
    let judged = 0;
    for (const r of mine) {
      const when = at(r);
      if (when !== null) {
        judged++;
        if (secs(r.opened, when) <= targets[r.severity]) {
          met++;
        }
      } else if (secs(r.opened, NOW.getTime()) > targets[r.severity]) {
        judged++;
      }
    }
    return { ...frac(met, judged), target_seconds: targets };
  };
  // Requests and overrides are dated a minute / ten minutes after their incident opened.
  const requests = rows.filter((r) => r.project === 'p-vision' && r.action && r.opened + 60_000 >= from);
  const overrides = rows.filter((r) => r.project === 'p-vision' && r.override && r.opened + 600_000 >= from);
  const noise = new Map<string, number>();
  for (const r of mine) {
    if (r.resolved !== null && r.ack === null && !r.touchedByNote && r.update === null && !r.corrected) {
      noise.set(r.alertname, (noise.get(r.alertname) ?? 0) + 1);
    }
  }
  return {
    incidents: mine.length,
    mtta: SEVERITIES.map((severity) => ({
      severity,
      stat: stat(mine.filter((r) => r.severity === severity && r.ack !== null).map((r) => secs(r.opened, r.ack!))),
    })),
    mttr: SEVERITIES.map((severity) => {
      const list = mine.filter((r) => r.severity === severity);
      return { severity, assisted: mttr(list, true), manual: mttr(list, false) };
    }),
    mttr_all: { assisted: mttr(mine, true), manual: mttr(mine, false) },
    ack_sla: sla((r) => r.ack, ACK_TARGET),
    response_sla: sla((r) => r.update, RESPONSE_TARGET),
    change_failure_rate: frac(
      requests.filter((r) => r.action!.status === 'failed' || r.action!.outcome === 'made_worse').length,
      requests.length
    ),
    automation_coverage: frac(requests.filter((r) => r.action!.auto).length, requests.length),
    override_rate: frac(overrides.length, requests.length + overrides.filter((r) => r.override === 'rejected').length),
    false_classification_rate: frac(mine.filter((r) => r.corrected !== null).length, mine.length),
    alert_noise: [...noise.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([alertname, untouched_incidents]) => ({ alertname, untouched_incidents })),
  };
}

describe.each(storeKinds('KPIs'))('KPIs on %s', (kind) => {
  // The clock stays at NOW: nothing here moves it.
  const { t } = useIncidentsApp(kind, {}, { reset: 'once', start: NOW.toISOString() });
  const rows = plan();

  beforeAll(async () => {
    await seed(t, rows);
  }, 60_000);

  const kpis = async (query: string) => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kpis${query}`,
      headers: t.auth({ 'x-project-id': 't-acme/p-vision', ...signedInViewer }),
    });
    expect(response.statusCode).toBe(200);
    return Kpis.parse(response.json());
  };

  it.each([
    ['7d', 7],
    ['30d', 30],
    ['90d', 90],
  ])('matches the recount over %s', async (window, days) => {
    const answer = await kpis(`?window=${window}`);
    const expected = recount(rows, days);
    expect(expected.incidents).toBeGreaterThan(0);
    if (days === 90) {
      // The seed reaches every branch of every figure, so a match is not a match of zeros.
      expect(expected.change_failure_rate.numerator).toBeGreaterThan(0);
      expect(expected.automation_coverage.numerator).toBeGreaterThan(0);
      expect(expected.override_rate.numerator).toBeGreaterThan(0);
      expect(expected.alert_noise.length).toBeGreaterThan(0);
      expect(expected.false_classification_rate.numerator).toBeGreaterThan(0);
      expect(expected.ack_sla.numerator).toBeLessThan(expected.ack_sla.denominator);
      expect(expected.mttr_all.assisted.count * expected.mttr_all.manual.count).toBeGreaterThan(0);
    }
    expect(answer).toMatchObject({ ...expected, team: null, to: NOW.toISOString() });
  });

  it('recounts one owner team only, and judges the figures against their targets', async () => {
    const answer = await kpis('?window=90d&team=team-a');
    const expected = recount(
      rows.filter((r) => r.team === 'team-a'),
      90
    );
    expect(answer).toMatchObject({ ...expected, team: 'team-a' });
    const byKpi = Object.fromEntries(answer.targets.map((target) => [target.kpi, target]));
    expect(byKpi.mttr_manual).toMatchObject({
      value: expected.mttr_all.manual.median_seconds,
      target: 4 * 3600,
      met:
        expected.mttr_all.manual.median_seconds === null ? null : expected.mttr_all.manual.median_seconds <= 4 * 3600,
    });
    expect(byKpi.override_rate).toMatchObject({ value: expected.override_rate.value, target: 0.4 });
    expect(byKpi.override_rate.met).toBe(
      expected.override_rate.value === null ? null : expected.override_rate.value <= 0.4
    );
    expect(expected.mttr_all.assisted.count + expected.mttr_all.manual.count).toBeGreaterThan(0);
    expect(byKpi.false_classification_rate).toMatchObject({
      value: expected.false_classification_rate.value,
      target: 0.15,
      met: expected.false_classification_rate.value! <= 0.15,
    });
    expect(expected.false_classification_rate.numerator).toBeGreaterThan(0);
  });

  it('answers 400 for an unknown window', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/kpis?window=1y',
      headers: t.auth({ 'x-project-id': 't-acme/p-vision', ...signedInViewer }),
    });
    expect(response.statusCode).toBe(400);
  });
});
