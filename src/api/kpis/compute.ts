/**
 * The KPI arithmetic, pure (docs/incident-loop.md states each formula):
 * - MTTA: opened → first acknowledgement; MTTR: opened → resolution; median and p90 per severity,
 *   MTTR split by whether an action ran for the incident (assisted) or not (manual).
 * - Ack / response SLA: acknowledged / first status update within the severity's target. Incidents
 *   still without one count as breaches once older than the target, and are not counted before.
 * - Change failure rate: executions that failed or whose feedback says made_worse / executions.
 * - Automation coverage: executions that ran without a human approval (auto R1) / executions.
 * - Override rate: overrides / (remediation requests + rejections of the top recommendation).
 * - False classification rate: incidents whose severity or signal a person corrected / incidents.
 * - Alert noise: per alert rule, incidents that ended (resolved, closed, or no alert firing) with no
 *   person ever acting on them, most first.
 */
import type { Severity } from '../../contract/common';
import type { DurationStat, Kpis, KpiTarget, Ratio } from '../../contract/kpis';
import type { KpiIncidentRow, KpiRemediationRow } from './repository';

const SEVERITIES: Severity[] = ['sev1', 'sev2', 'sev3', 'sev4'];
const HOUR = 3600;

/** Operating-model defaults: acknowledge and first status update within these many seconds. */
export const ACK_SLA_SECONDS: Record<Severity, number> = { sev1: 300, sev2: 900, sev3: HOUR, sev4: 4 * HOUR };
export const RESPONSE_SLA_SECONDS: Record<Severity, number> = {
  sev1: 900,
  sev2: 1800,
  sev3: 4 * HOUR,
  sev4: 24 * HOUR,
};
export const TARGETS = {
  mttr_manual_seconds: 4 * HOUR,
  mttr_assisted_seconds: 2 * HOUR,
  false_classification_rate: 0.15,
  override_rate: 0.4,
};

/** Linear-interpolated percentile (PostgreSQL percentile_cont); `values` need not be sorted. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function durationStat(seconds: number[]): DurationStat {
  return { count: seconds.length, median_seconds: percentile(seconds, 0.5), p90_seconds: percentile(seconds, 0.9) };
}

export const ratio = (numerator: number, denominator: number): Ratio => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : numerator / denominator,
});

const secondsBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

function slaRatio(
  rows: KpiIncidentRow[],
  at: (row: KpiIncidentRow) => Date | null,
  targets: Record<Severity, number>,
  now: Date
) {
  let met = 0;
  let judged = 0;
  for (const row of rows) {
    const when = at(row);
    const target = targets[row.severity];
    if (when !== null) {
      judged += 1;
      met += secondsBetween(row.opened_at, when) <= target ? 1 : 0;
    } else if (secondsBetween(row.opened_at, now) > target) {
      judged += 1;
    }
  }
  return { ...ratio(met, judged), target_seconds: targets };
}

function mttrOf(rows: KpiIncidentRow[], assisted: boolean) {
  return durationStat(
    rows
      .filter((r) => r.resolved_at !== null && r.assisted === assisted)
      .map((r) => secondsBetween(r.opened_at, r.resolved_at!))
  );
}

function alertNoise(rows: KpiIncidentRow[]) {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const ended = row.status === 'resolved' || row.status === 'closed' || row.firing_count === 0;
    if (ended && !row.touched) {
      for (const name of row.alertnames) {
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()]
    .map(([alertname, untouched_incidents]) => ({ alertname, untouched_incidents }))
    .sort((a, b) => b.untouched_incidents - a.untouched_incidents || a.alertname.localeCompare(b.alertname));
}

function target(
  kpi: string,
  description: string,
  value: number | null,
  goal: number,
  comparison: '<=' | '>='
): KpiTarget {
  return {
    kpi,
    description,
    value,
    target: goal,
    comparison,
    met: value === null ? null : comparison === '<=' ? value <= goal : value >= goal,
  };
}

export interface KpiInput {
  incidents: KpiIncidentRow[];
  remediations: KpiRemediationRow[];
  overrides: { chose_other: number; rejected: number };
  now: Date;
}

export function computeKpis(input: KpiInput): Omit<Kpis, 'window' | 'from' | 'to' | 'team'> {
  const { incidents, remediations, now } = input;
  const executed = remediations.filter((r) => r.status === 'succeeded' || r.status === 'failed');
  const mttrAll = { assisted: mttrOf(incidents, true), manual: mttrOf(incidents, false) };
  const overrides = input.overrides.chose_other + input.overrides.rejected;
  const overrideRate = ratio(overrides, remediations.length + input.overrides.rejected);
  const falseClassification = ratio(incidents.filter((r) => r.corrected).length, incidents.length);
  return {
    incidents: incidents.length,
    mtta: SEVERITIES.map((severity) => ({
      severity,
      stat: durationStat(
        incidents
          .filter((r) => r.severity === severity && r.acknowledged_at !== null)
          .map((r) => secondsBetween(r.opened_at, r.acknowledged_at!))
      ),
    })),
    mttr: SEVERITIES.map((severity) => {
      const rows = incidents.filter((r) => r.severity === severity);
      return { severity, assisted: mttrOf(rows, true), manual: mttrOf(rows, false) };
    }),
    mttr_all: mttrAll,
    ack_sla: slaRatio(incidents, (r) => r.acknowledged_at, ACK_SLA_SECONDS, now),
    response_sla: slaRatio(incidents, (r) => r.first_update_at, RESPONSE_SLA_SECONDS, now),
    change_failure_rate: ratio(
      executed.filter((r) => r.status === 'failed' || r.outcome === 'made_worse').length,
      executed.length
    ),
    automation_coverage: ratio(
      executed.filter((r) => r.risk_class === 'R1' && !r.requires_approval).length,
      executed.length
    ),
    override_rate: overrideRate,
    false_classification_rate: {
      ...falseClassification,
      note: 'incidents whose severity (POST …/severity) or signal (POST …/signal) a person corrected / incidents',
    },
    escalations: { value: null, note: 'not measurable yet: escalation comes with the on-call work (issue 11)' },
    alert_noise: alertNoise(incidents),
    targets: [
      target(
        'mttr_manual',
        'Median MTTR without an executed action',
        mttrAll.manual.median_seconds,
        TARGETS.mttr_manual_seconds,
        '<='
      ),
      target(
        'mttr_assisted',
        'Median MTTR with an executed action',
        mttrAll.assisted.median_seconds,
        TARGETS.mttr_assisted_seconds,
        '<='
      ),
      target(
        'false_classification_rate',
        'Incidents whose severity or signal a person corrected',
        falseClassification.value,
        TARGETS.false_classification_rate,
        '<='
      ),
      target('override_rate', 'Overrides of the top recommendation', overrideRate.value, TARGETS.override_rate, '<='),
    ],
  };
}
