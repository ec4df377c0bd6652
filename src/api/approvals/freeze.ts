/**
 * Change freezes from the error budget policy (catalog/error-budget-policy.yaml `freezes`), decided
 * for one approval request. Pure: the request's service, the SLO statuses read at request time and
 * the policy in; a verdict out. The service applies it (approvals/service.ts).
 *
 * A freeze applies to an R2/R3 action marked `change: true` whose service has an SLO in a freezing
 * state; the worst state among the service's SLOs decides (critical before depleted):
 * - `extra_approval` (depleted): one more approver than the approval policy asks, and a stated
 *   reliability reason;
 * - `refuse` (critical): 409 `change_frozen` naming the SLOs, unless the request takes the policy's
 *   break-glass path (more approvers, admins among them; audited as `approval.request_break_glass`);
 * - an action in the state's `except_actions` (rollbacks, failovers, freezes) passes, marked exempt.
 * An unknown state (no Prometheus and no delivered depleted alert) freezes nothing, and the request
 * records that the state was unknown: a freeze must not depend on a guess.
 */
import type { ActionDefinition, BudgetAtRequest } from '../../contract/approvals';
import type { BudgetPolicyState, ErrorBudgetPolicyFile, SloStatusList } from '../../contract/slo';

/** Worst first. */
const FREEZING_STATES: readonly BudgetPolicyState[] = ['critical', 'depleted'];

export type FreezeVerdict =
  | { kind: 'none'; budget: BudgetAtRequest | null }
  | {
      kind: 'refused';
      state: BudgetPolicyState;
      sloIds: string[];
      service: string;
      breakGlass: { approvers: number; admins: number } | null;
      budget: BudgetAtRequest;
    }
  | { kind: 'reason_required'; state: BudgetPolicyState; sloIds: string[]; service: string }
  | { kind: 'applied'; budget: BudgetAtRequest; extraApprovals: number; minApprovals: number; adminApprovals: number };

export interface FreezeInput {
  action: ActionDefinition;
  parameters: Record<string, unknown>;
  policy: ErrorBudgetPolicyFile | null;
  /** The SLO statuses of the action's service (read only when the action names a service). */
  status: SloStatusList | null;
  reliabilityReason?: string;
  breakGlassReason?: string;
}

/** The service an action touches: named in the catalog, or one of its (validated) parameters. */
export function serviceOf(action: ActionDefinition, parameters: Record<string, unknown>): string | null {
  if (!action.service) {
    return null;
  }
  if ('name' in action.service) {
    return action.service.name;
  }
  const value = parameters[action.service.parameter];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function budgetOf(service: string, status: SloStatusList): BudgetAtRequest {
  const unknown = status.items.some((item) => item.budget_policy_state === null);
  return {
    service,
    source_mode: status.source_mode,
    degraded: status.degraded,
    slos: status.items.map((item) => ({
      id: item.id,
      budget_policy_state: item.budget_policy_state,
      error_budget_remaining: item.error_budget_remaining,
    })),
    freeze: null,
    unknown: unknown
      ? `the budget state of some SLOs of ${service} is unknown (${status.source_mode}${status.degraded ? ', degraded' : ''}); no freeze was applied for them`
      : null,
  };
}

const names = (ids: string[]) => ids.join(', ');

/** The freeze verdict for a request; `baseMinApprovals` is what the approval policy asks without it. */
export function evaluateFreeze(input: FreezeInput, baseMinApprovals: number): FreezeVerdict {
  const service = serviceOf(input.action, input.parameters);
  if (!input.policy || !service || !input.status || input.status.items.length === 0) {
    return { kind: 'none', budget: null };
  }
  const budget = budgetOf(service, input.status);
  const changes = input.action.change === true && input.action.risk_class !== 'R1';
  const state = FREEZING_STATES.find((s) => input.status!.items.some((item) => item.budget_policy_state === s));
  const freeze = state ? input.policy.freezes[state] : undefined;
  if (!changes || !state || !freeze) {
    return { kind: 'none', budget };
  }
  const sloIds = input.status.items.filter((item) => item.budget_policy_state === state).map((item) => item.id);
  const base = { state, mode: freeze.mode, slo_ids: sloIds, reliability_reason: input.reliabilityReason ?? null };
  if (freeze.except_actions.includes(input.action.id)) {
    const explanation = `${names(sloIds)} ${sloIds.length === 1 ? 'is' : 'are'} ${state}; ${input.action.id} is reliability work the policy exempts from the ${state} freeze`;
    return {
      kind: 'applied',
      budget: {
        ...budget,
        freeze: { ...base, outcome: 'exempt', break_glass_reason: null, admin_approvals_required: 0, explanation },
      },
      extraApprovals: 0,
      minApprovals: baseMinApprovals,
      adminApprovals: 0,
    };
  }
  if (freeze.mode === 'refuse') {
    if (!input.breakGlassReason || !freeze.break_glass) {
      return { kind: 'refused', state, sloIds, service, breakGlass: freeze.break_glass ?? null, budget };
    }
    const { approvers, admins } = freeze.break_glass;
    const minApprovals = Math.max(baseMinApprovals, approvers);
    const explanation = `break-glass through the ${state} freeze of ${names(sloIds)}: ${minApprovals} approvers, ${admins} of them admin${admins === 1 ? '' : 's'}`;
    return {
      kind: 'applied',
      budget: {
        ...budget,
        freeze: {
          ...base,
          outcome: 'break_glass',
          break_glass_reason: input.breakGlassReason,
          admin_approvals_required: admins,
          explanation,
        },
      },
      extraApprovals: minApprovals - baseMinApprovals,
      minApprovals,
      adminApprovals: admins,
    };
  }
  if (!input.reliabilityReason) {
    return { kind: 'reason_required', state, sloIds, service };
  }
  const explanation = `${names(sloIds)} ${sloIds.length === 1 ? 'is' : 'are'} ${state}: changes to ${service} need one more approver and a reliability reason`;
  return {
    kind: 'applied',
    budget: {
      ...budget,
      freeze: {
        ...base,
        outcome: 'extra_approval',
        break_glass_reason: null,
        admin_approvals_required: 0,
        explanation,
      },
    },
    extraApprovals: 1,
    minApprovals: baseMinApprovals + 1,
    adminApprovals: 0,
  };
}
