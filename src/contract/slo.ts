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

/** Policy states, from healthy to worst: `depleted` at zero budget left, `critical` further overspent. */
export const BudgetPolicyState = z.enum(['remaining', 'depleted', 'critical']);
export type BudgetPolicyState = z.infer<typeof BudgetPolicyState>;

const Window = z.enum(['1h', '6h', '1d', '3d']);
const AlertName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an alert name is a Prometheus metric-style name');
const AlertSeverity = z.enum(['critical', 'warning']);

/** A burn alert of the policy: `budget_spent_percent` of the period's budget spent within `window`. */
const PolicyBurnAlert = z.object({
  alert: AlertName,
  budget_spent_percent: z.number().gt(0).lt(100),
  /** Long window; the short window (1/12 of it, SRE workbook) makes the alert reset soon after the burn stops. */
  window: Window,
  severity: AlertSeverity,
});

/**
 * Freeze of one policy state (key of `freezes`: a state name; lint checks it). Applies to R2/R3 actions
 * marked `change: true` whose service has an SLO in that state.
 */
export const BudgetFreeze = z.object({
  /** `extra_approval`: one more approver and a stated reliability reason; `refuse`: 409 change_frozen. */
  mode: z.enum(['extra_approval', 'refuse']),
  /** Actions exempt in this state (reliability work: rollbacks, failovers, freezes themselves). */
  except_actions: z.array(z.string()).default([]),
  /** `refuse` only: a request may still pass with this many approvers, admins among them (audited). */
  break_glass: z.object({ approvers: z.number().int().min(2), admins: z.number().int().min(1) }).optional(),
});
export type BudgetFreeze = z.infer<typeof BudgetFreeze>;

/**
 * catalog/error-budget-policy.yaml (version 2): the states (fractions of the 30-day budget left; 1 =
 * untouched, 0 = spent, <0 = overspent), the policy's own alerts, what each state obliges teams to do,
 * and the change freezes approvals enforce.
 */
export const ErrorBudgetPolicyFile = z
  .object({
    version: z.literal(2),
    period_days: z.literal(30),
    thresholds: z.object({
      /** Budget left at or below this fraction is `depleted` (0: fully spent). */
      depleted_at: z.number().gt(-10).lt(1),
      /** Budget left at or below this fraction is `critical` (e.g. -1: a second budget spent). */
      critical_at: z.number().gt(-10).lt(1),
    }),
    alerts: z.object({
      fast_burn: PolicyBurnAlert,
      slow_burn: PolicyBurnAlert,
      /** Warning once this much of the budget is consumed (remaining ≤ 1 − consumed). */
      consumed: z.object({ alert: AlertName, consumed_percent: z.number().gt(0).lt(100), severity: AlertSeverity }),
      /** The SLO is violated: budget left at or below thresholds.depleted_at. */
      depleted: z.object({ alert: AlertName, severity: AlertSeverity }),
    }),
    /** What each state means for the owning team (shown on the SLO page and dashboards). */
    actions: z.record(BudgetPolicyState, z.string().min(1)),
    /** State name → freeze; a name that is not a state, or an unknown action, fails `opsdeck lint`. */
    freezes: z.record(z.string(), BudgetFreeze).default({}),
  })
  .refine((policy) => policy.thresholds.critical_at < policy.thresholds.depleted_at, {
    message: 'thresholds.critical_at must be below thresholds.depleted_at (critical is overspent beyond depleted)',
    path: ['thresholds'],
  });
export type ErrorBudgetPolicyFile = z.infer<typeof ErrorBudgetPolicyFile>;

export const PolicyAlertKind = z.enum(['fast_burn', 'slow_burn', 'consumed', 'depleted']);
export type PolicyAlertKind = z.infer<typeof PolicyAlertKind>;

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
    /** Owner team (the spec's `owner` label), for filters and the page's "who must act". */
    owner: z.string().nullable().default(null),
    /** The policy's alerts firing now (`fast_burn`, `slow_burn`, `consumed`, `depleted`). */
    policy_alerts: z.array(PolicyAlertKind).default([]),
    /** What the policy obliges the owner team to do in this state; null when the state is unknown. */
    obligation: z.string().nullable().default(null),
    /** The catalog signal its alerts join (incidents of that signal are the SLO's incidents). */
    signal_key: z.string().nullable().default(null),
    /** The SLO's burn-rate panel on the SLO burn dashboard (relative to Grafana). */
    dashboard_url: z.string().nullable().default(null),
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
