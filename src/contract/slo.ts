/**
 * SLO specs in Sloth's `prometheus/v1` format (teams bring theirs unchanged) plus Opsdeck's required
 * `runbook_id` annotation, and the SLO status the API serves to the datasource.
 */
import { z } from 'zod';

const Labels = z.record(z.string(), z.string());

const AlertOverride = z.object({
  disable: z.boolean().optional(),
  labels: Labels.optional(),
  annotations: Labels.optional(),
});

export const SlothSlo = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  objective: z.number().gt(0).lt(100),
  description: z.string().optional(),
  labels: Labels.optional(),
  sli: z.union([
    z.object({ events: z.object({ error_query: z.string().min(1), total_query: z.string().min(1) }) }),
    z.object({ raw: z.object({ error_ratio_query: z.string().min(1) }) }),
  ]),
  alerting: z.object({
    name: z.string().min(1),
    labels: Labels.optional(),
    annotations: Labels.optional(),
    page_alert: AlertOverride.optional(),
    ticket_alert: AlertOverride.optional(),
  }),
});
export type SlothSlo = z.infer<typeof SlothSlo>;

export const SlothSpec = z.object({
  version: z.literal('prometheus/v1'),
  service: z.string().min(1),
  labels: Labels.optional(),
  slos: z.array(SlothSlo).min(1),
});
export type SlothSpec = z.infer<typeof SlothSpec>;

export const BudgetPolicyState = z.enum(['remaining', 'critical', 'depleted']);
export type BudgetPolicyState = z.infer<typeof BudgetPolicyState>;

/**
 * catalog/error-budget-policy.yaml: when an SLO's 30-day error budget counts as `critical` or
 * `depleted` (fractions of the budget left, 1 = untouched), and what each state obliges teams to do.
 * `remaining` is everything above `critical_at`.
 */
export const ErrorBudgetPolicyFile = z
  .object({
    version: z.literal(1),
    period_days: z.literal(30),
    thresholds: z.object({
      /** Budget left at or below this fraction is `critical`. */
      critical_at: z.number().gt(0).lt(1),
      /** Budget left at or below this fraction is `depleted` (0: fully spent). */
      depleted_at: z.number().min(-1).lt(1),
    }),
    /** What each state means for the owning team (shown in dashboards and the README). */
    actions: z.record(BudgetPolicyState, z.string().min(1)),
  })
  .refine((policy) => policy.thresholds.depleted_at < policy.thresholds.critical_at, {
    message: 'thresholds.depleted_at must be below thresholds.critical_at',
    path: ['thresholds'],
  });
export type ErrorBudgetPolicyFile = z.infer<typeof ErrorBudgetPolicyFile>;

export const SloStatus = z
  .object({
    id: z.string(),
    service: z.string(),
    name: z.string(),
    objective: z.number(),
    runbook_id: z.string().nullable(),
    /** Fraction of the 30-day error budget left (1 = untouched, <0 = overspent); null when unknown. */
    error_budget_remaining: z.number().nullable(),
    burn_rates: z.record(z.string(), z.number().nullable()),
    alert_state: z.enum(['ok', 'ticket', 'page', 'unknown']),
    budget_policy_state: BudgetPolicyState.nullable(),
    source_mode: z.enum(['in_memory', 'backend']),
  })
  .meta({ id: 'SloStatus' });
export type SloStatus = z.infer<typeof SloStatus>;

export const SloStatusList = z
  .object({
    items: z.array(SloStatus),
    /** Where the numbers came from: `backend` (the recording rules, via OPSDECK_PROMETHEUS_URL) or `in_memory`. */
    source_mode: z.enum(['in_memory', 'backend']),
    /** True when a backend is configured but failed, and the answer fell back to in_memory. */
    degraded: z.boolean(),
    /** What the mode means for these numbers, and what to check when degraded. */
    guidance: z.string(),
    generated_at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'SloStatusList' });
export type SloStatusList = z.infer<typeof SloStatusList>;
