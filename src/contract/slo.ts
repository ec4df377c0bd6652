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

export const SloStatusList = z.object({ items: z.array(SloStatus) });
