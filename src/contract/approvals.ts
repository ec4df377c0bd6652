/**
 * Remediation actions by risk class, the approval policy, approval requests with their evidence
 * bundle, decisions, execution, verification and operator feedback.
 */
import { z } from 'zod';

import { IsoDateTime, Role } from './common';
import { BudgetPolicyState } from './slo';
import { QueryVariable } from './catalog';

export const RiskClass = z.enum(['R1', 'R2', 'R3']);
export type RiskClass = z.infer<typeof RiskClass>;

const ACTION_ID_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
export const ActionId = z
  .string()
  .regex(ACTION_ID_PATTERN, 'action id must be dotted lower-case, e.g. outbox.relay.restart');

export const HttpExecutor = z.object({
  type: z.literal('http'),
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']),
  /** `{{param}}` placeholders are filled from the request's parameters (URL-encoded). */
  url_template: z.string().min(1),
  timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
  headers: z.record(z.string(), z.string()).default({}),
});
export const DryRunExecutor = z.object({ type: z.literal('dry_run') });
export const Executor = z.discriminatedUnion('type', [HttpExecutor, DryRunExecutor]);
export type Executor = z.infer<typeof Executor>;

export const Verification = z.object({
  /** PromQL that must return a non-empty, truthy result `hold_minutes` after execution. */
  promql: z.string().min(1),
  hold_minutes: z.number().int().min(0).max(1440),
});
export type Verification = z.infer<typeof Verification>;

export const ActionDefinition = z.object({
  id: ActionId,
  title: z.string().min(1),
  description: z.string().min(1),
  risk_class: RiskClass,
  runbook_id: z.string().min(1),
  /** JSON Schema (draft 2020-12) the request's parameters must satisfy. */
  parameters: z.record(z.string(), z.unknown()),
  executor: Executor,
  rollback_action_id: ActionId.nullable(),
  verification: Verification.optional(),
  /**
   * A change to the service (deployment, rollout, scaling a feature up): error budget freezes
   * (catalog/error-budget-policy.yaml `freezes`) apply to R2/R3 changes. Absent: not a change.
   */
  change: z.boolean().optional(),
  /** The service the action touches (an SLO's `service`): named here, or read from one of its parameters. */
  service: z.union([z.object({ name: z.string().min(1) }), z.object({ parameter: z.string().min(1) })]).optional(),
});
export type ActionDefinition = z.infer<typeof ActionDefinition>;

export const ActionsCatalogFile = z.object({
  version: z.literal(1),
  actions: z.array(ActionDefinition),
});
export type ActionsCatalogFile = z.infer<typeof ActionsCatalogFile>;

/** catalog/approval-policy.yaml */
export const PolicyRule = z.object({
  /** Conditions; all given ones must hold for the rule to require approval. */
  when: z.object({
    environment: z.array(z.string()).optional(),
    impact_radius_gt: z.number().int().min(0).optional(),
    outside_business_hours: z.boolean().optional(),
  }),
  reason: z.string().min(1),
});
export const ClassPolicy = z.object({
  /** auto: executes without approval (still audited); policy: rules decide; always: needs approval. */
  approval: z.enum(['auto', 'policy', 'always']),
  min_approvals: z.number().int().min(0).max(5),
  rules: z.array(PolicyRule).default([]),
});
export const ApprovalPolicyFile = z.object({
  version: z.literal(1),
  request_ttl_minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  business_hours: z
    .object({
      timezone: z.string().default('UTC'),
      days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])),
      start: z.string().regex(/^\d{2}:\d{2}$/),
      end: z.string().regex(/^\d{2}:\d{2}$/),
    })
    .optional(),
  classes: z.object({ R1: ClassPolicy, R2: ClassPolicy, R3: ClassPolicy }),
});
export type ApprovalPolicyFile = z.infer<typeof ApprovalPolicyFile>;

export const Evidence = z.object({
  reasoning: z.string().min(1).max(10_000),
  confidence: z.number().min(0).max(1),
  risk_level: z.enum(['low', 'medium', 'high']),
  /** Canonical resource names the action touches. */
  impact_radius: z.object({
    resources: z.array(z.string().max(512)).max(1_000).default([]),
    count: z.number().int().min(0),
  }),
  rollback_strategy: z.string().min(1).max(5_000),
  saved_query_ids: z.array(z.string().max(128)).max(50).default([]),
  environment: z.string().max(64).default('production'),
});
export type Evidence = z.infer<typeof Evidence>;

export const SimilarOutcomes = z.object({
  total: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  helped: z.number().int(),
  did_not_help: z.number().int(),
  made_worse: z.number().int(),
  last: z.array(z.object({ approval_id: z.string(), incident_id: z.string(), outcome: z.string(), at: IsoDateTime })),
});
export type SimilarOutcomes = z.infer<typeof SimilarOutcomes>;

export const APPROVAL_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'executing',
  'succeeded',
  'failed',
] as const;
export const ApprovalStatus = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

export const Decision = z.object({
  by: z.string(),
  decision: z.enum(['approve', 'reject']),
  comment: z.string(),
  at: IsoDateTime,
});
export type Decision = z.infer<typeof Decision>;

export const Execution = z.object({
  /** needs_reconciliation: restored from a backup mid-flight; waits for an admin (POST …/reconcile). */
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'needs_reconciliation']),
  idempotency_key: z.string(),
  http_status: z.number().int().nullable(),
  output_excerpt: z.string().nullable(),
  duration_ms: z.number().nullable(),
  started_at: IsoDateTime.nullable(),
  finished_at: IsoDateTime.nullable(),
});
export type Execution = z.infer<typeof Execution>;

export const VerificationResult = z.object({
  status: z.enum(['pending', 'passed', 'failed', 'skipped']),
  due_at: IsoDateTime.nullable(),
  checked_at: IsoDateTime.nullable(),
  detail: z.string().nullable(),
});

export const FeedbackOutcome = z.enum(['helped', 'did_not_help', 'made_worse']);
export type FeedbackOutcome = z.infer<typeof FeedbackOutcome>;

/**
 * The error budget of the action's service when the request was made, and the freeze it met
 * (catalog/error-budget-policy.yaml `freezes`). Kept with the request: the approver and the audit see
 * the state the requester saw, not today's.
 */
export const BudgetAtRequest = z.object({
  /** The service the action touches (the action's `service`); null when the action names none. */
  service: z.string().nullable(),
  source_mode: z.enum(['in_memory', 'backend']),
  degraded: z.boolean(),
  slos: z.array(
    z.object({
      id: z.string(),
      budget_policy_state: BudgetPolicyState.nullable(),
      error_budget_remaining: z.number().nullable(),
    })
  ),
  /** The freeze that applied, if any: what it demanded and how this request met it. */
  freeze: z
    .object({
      state: BudgetPolicyState,
      mode: z.enum(['extra_approval', 'refuse']),
      /** The SLOs of the service in that state. */
      slo_ids: z.array(z.string()),
      /** extra_approval: one more approver; exempt: a listed reliability action; break_glass: refused, passed by break-glass. */
      outcome: z.enum(['extra_approval', 'exempt', 'break_glass']),
      reliability_reason: z.string().nullable(),
      break_glass_reason: z.string().nullable(),
      /** Admin approvals the request needs (break-glass); 0 otherwise. */
      admin_approvals_required: z.number().int(),
      explanation: z.string(),
    })
    .nullable(),
  /** What could not be known (e.g. no Prometheus: critical cannot be told apart). */
  unknown: z.string().nullable(),
});
export type BudgetAtRequest = z.infer<typeof BudgetAtRequest>;

export const Approval = z
  .object({
    id: z.string(),
    incident_id: z.string(),
    /** The incident's title now (read through), so lists need not show its ULID. */
    incident_title: z.string(),
    tenant: z.string(),
    project: z.string(),
    action_id: z.string(),
    action_title: z.string(),
    risk_class: RiskClass,
    status: ApprovalStatus,
    requires_approval: z.boolean(),
    /** Why approval is (not) required: the policy rule that applied. */
    policy_reason: z.string(),
    min_approvals: z.number().int(),
    requested_by: z.string(),
    requested_at: IsoDateTime,
    expires_at: IsoDateTime,
    parameters: z.record(z.string(), z.unknown()),
    evidence: Evidence,
    similar_past_outcomes: SimilarOutcomes,
    slo_burn_at_request: z.number().nullable(),
    /** The action's service's error budget and freeze at request time; null when no policy or service applies. */
    budget_at_request: BudgetAtRequest.nullable(),
    /** Evidence queries filled from the incident; `missing_variables` names what could not be filled (then no URL). */
    saved_query_links: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        explore_url: z.string().nullable(),
        missing_variables: z.array(QueryVariable),
      })
    ),
    decisions: z.array(Decision),
    execution: Execution.nullable(),
    verification: VerificationResult.nullable(),
    feedback: z
      .object({ outcome: FeedbackOutcome, comment: z.string().nullable(), by: z.string(), at: IsoDateTime })
      .nullable(),
    /** Whether the caller may decide now, and if not why (the UI disables its controls with this reason). */
    can_decide: z.object({ allowed: z.boolean(), reason: z.string().nullable() }),
  })
  .meta({ id: 'Approval' });
export type Approval = z.infer<typeof Approval>;

export const ApprovalRequestBody = z.object({
  incident_id: z.string().min(1).max(64),
  action_id: z.string().min(1).max(128),
  parameters: z.record(z.string(), z.unknown()).default({}),
  /** Required (complete) for R2 and R3; optional for R1. */
  evidence: Evidence.partial().optional(),
  /** Why this change is reliability work: required when the service's error budget is depleted (freeze). */
  reliability_reason: z.string().trim().min(10).max(2_000).optional(),
  /** Break-glass through a refusing freeze: more approvers, admins among them, audited. */
  break_glass: z.object({ reason: z.string().trim().min(10).max(2_000) }).optional(),
});
export type ApprovalRequestBody = z.infer<typeof ApprovalRequestBody>;

export const DecisionBody = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().trim().min(1, 'a comment is required').max(5_000),
});
export type DecisionBody = z.infer<typeof DecisionBody>;

export const FeedbackBody = z.object({ outcome: FeedbackOutcome, comment: z.string().max(5_000).optional() });
export type FeedbackBody = z.infer<typeof FeedbackBody>;

export const ApprovalListQuery = z.object({
  status: ApprovalStatus.optional(),
  risk_class: RiskClass.optional(),
  incident_id: z.string().optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ApprovalListQuery = z.infer<typeof ApprovalListQuery>;

export const ApprovalPage = z
  .object({ items: z.array(Approval), next_cursor: z.string().nullable() })
  .meta({ id: 'ApprovalPage' });
export type ApprovalPage = z.infer<typeof ApprovalPage>;

/** GET /api/v1/actions: the actions an operator may request (for the UI's request form). */
export const ActionList = z.object({ items: z.array(ActionDefinition) });

export const RoleGrant = z.object({ role: Role, tenant: z.string().nullable(), project: z.string().nullable() });
