/**
 * Operating KPIs (issue 12): how fast incidents are acknowledged and resolved, with and without an
 * executed action, SLA compliance, change failure, automation coverage, overrides, and noisy rules,
 * each beside its target where the operating model sets one.
 */
import { z } from 'zod';

import { IsoDateTime, Severity } from './common';

export const KpiWindow = z.enum(['7d', '30d', '90d']);
export type KpiWindow = z.infer<typeof KpiWindow>;

export const KpiQuery = z.object({
  window: KpiWindow.default('30d'),
  team: z.string().trim().min(1).max(200).optional(),
});
export type KpiQuery = z.infer<typeof KpiQuery>;

/** Median and p90 (linear interpolation, as PostgreSQL percentile_cont) in seconds; null without data. */
export const DurationStat = z.object({
  count: z.number().int(),
  median_seconds: z.number().nullable(),
  p90_seconds: z.number().nullable(),
});
export type DurationStat = z.infer<typeof DurationStat>;

export const Ratio = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  /** numerator / denominator, null when the denominator is 0. */
  value: z.number().nullable(),
});
export type Ratio = z.infer<typeof Ratio>;

export const KpiTarget = z.object({
  kpi: z.string(),
  description: z.string(),
  value: z.number().nullable(),
  target: z.number(),
  comparison: z.enum(['<=', '>=']),
  /** null when there is no value to judge. */
  met: z.boolean().nullable(),
});
export type KpiTarget = z.infer<typeof KpiTarget>;

export const Kpis = z
  .object({
    window: KpiWindow,
    from: IsoDateTime,
    to: IsoDateTime,
    team: z.string().nullable(),
    incidents: z.number().int(),
    mtta: z.array(z.object({ severity: Severity, stat: DurationStat })),
    mttr: z.array(z.object({ severity: Severity, assisted: DurationStat, manual: DurationStat })),
    mttr_all: z.object({ assisted: DurationStat, manual: DurationStat }),
    ack_sla: Ratio.extend({ target_seconds: z.record(Severity, z.number()) }),
    response_sla: Ratio.extend({ target_seconds: z.record(Severity, z.number()) }),
    change_failure_rate: Ratio,
    automation_coverage: Ratio,
    override_rate: Ratio,
    /** Incidents whose severity or signal a person corrected (their timeline says so) / incidents. */
    false_classification_rate: Ratio.extend({ note: z.string() }),
    /** Not measurable yet: escalation belongs to the on-call work (issue 11). */
    escalations: z.object({ value: z.number().int().nullable(), note: z.string() }),
    alert_noise: z.array(z.object({ alertname: z.string(), untouched_incidents: z.number().int() })),
    targets: z.array(KpiTarget),
  })
  .meta({ id: 'Kpis' });
export type Kpis = z.infer<typeof Kpis>;
