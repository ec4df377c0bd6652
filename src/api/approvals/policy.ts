/**
 * The approval policy as pure functions: does a request need a human, how many, why; is its evidence
 * complete; may this caller decide it now. No I/O: the routes and the worker call these, the tests
 * call them directly.
 */
import {
  Evidence,
  type ActionDefinition,
  type ApprovalPolicyFile,
  type ApprovalStatus,
  type Evidence as EvidenceType,
  type RiskClass,
} from '../../contract/approvals';
import type { Role } from '../../contract/common';
import { hasRole } from '../access/resolve';
import { identityKey, sameIdentity } from '../access/logins';

export interface PolicyOutcome {
  requires_approval: boolean;
  /** Distinct approvers needed (0 when no approval is needed). */
  min_approvals: number;
  reason: string;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Whether `at` falls outside the policy's business hours, in the policy's time zone. */
export function isOutsideBusinessHours(hours: NonNullable<ApprovalPolicyFile['business_hours']>, at: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = part('weekday').slice(0, 3).toLowerCase() as (typeof WEEKDAYS)[number];
  const time = `${part('hour').padStart(2, '0')}:${part('minute').padStart(2, '0')}`;
  const inside = hours.days.includes(day) && time >= hours.start && time < hours.end;
  return !inside;
}

/** Decides, for one request, whether it waits for approvers: R1 auto, R2 by rule, R3 always (by default). */
export function evaluatePolicy(
  policy: ApprovalPolicyFile,
  riskClass: RiskClass,
  context: { environment: string; impactCount: number; at: Date }
): PolicyOutcome {
  const classPolicy = policy.classes[riskClass];
  const needed = Math.max(classPolicy.min_approvals, 1);
  if (classPolicy.approval === 'auto') {
    return {
      requires_approval: false,
      min_approvals: 0,
      reason: `${riskClass} actions run without approval (still audited)`,
    };
  }
  if (classPolicy.approval === 'always') {
    return {
      requires_approval: true,
      min_approvals: needed,
      reason: `${riskClass} actions always need ${needed === 1 ? 'one approver' : `${needed} approvers`}`,
    };
  }
  for (const rule of classPolicy.rules) {
    const when = rule.when;
    const conditions: boolean[] = [];
    if (when.environment !== undefined) {
      conditions.push(when.environment.includes(context.environment));
    }
    if (when.impact_radius_gt !== undefined) {
      conditions.push(context.impactCount > when.impact_radius_gt);
    }
    if (when.outside_business_hours !== undefined) {
      const outside = policy.business_hours ? isOutsideBusinessHours(policy.business_hours, context.at) : false;
      conditions.push(outside === when.outside_business_hours);
    }
    if (conditions.length > 0 && conditions.every(Boolean)) {
      return { requires_approval: true, min_approvals: needed, reason: rule.reason };
    }
  }
  return {
    requires_approval: false,
    min_approvals: 0,
    reason: `no ${riskClass} approval rule matched (environment ${context.environment}, ${context.impactCount} resources, at ${context.at.toISOString()})`,
  };
}

/** The parts of the evidence bundle an R2/R3 request cannot leave out. */
export const REQUIRED_EVIDENCE = [
  'reasoning',
  'confidence',
  'risk_level',
  'impact_radius',
  'rollback_strategy',
] as const;

export type EvidenceCheck =
  | { ok: true; evidence: EvidenceType }
  | { ok: false; missing: string[]; issues: Array<{ path: string; message: string }> };

/**
 * R2 and R3 requests must bring the complete evidence bundle; R1 may bring none, and what it omits is
 * filled with values that say so (confidence 0 = not stated).
 */
export function checkEvidence(
  riskClass: RiskClass,
  given: Partial<EvidenceType> | undefined,
  action: ActionDefinition
): EvidenceCheck {
  if (riskClass === 'R1') {
    const filled = {
      reasoning: 'not stated (R1 actions need no evidence)',
      confidence: 0,
      risk_level: 'low' as const,
      impact_radius: { resources: [], count: 0 },
      rollback_strategy: action.rollback_action_id
        ? `run ${action.rollback_action_id}`
        : 'none needed: R1 actions are safe and reversible',
      ...given,
    };
    const parsed = Evidence.safeParse(filled);
    if (parsed.success) {
      return { ok: true, evidence: parsed.data };
    }
    return {
      ok: false,
      missing: [],
      issues: parsed.error.issues.map((i) => ({ path: `evidence.${i.path.join('.')}`, message: i.message })),
    };
  }
  const parsed = Evidence.safeParse(given ?? {});
  if (parsed.success) {
    return { ok: true, evidence: parsed.data };
  }
  const missing = REQUIRED_EVIDENCE.filter((field) => given?.[field] === undefined);
  return {
    ok: false,
    missing,
    issues: parsed.error.issues.map((i) => ({ path: `evidence.${i.path.join('.')}`, message: i.message })),
  };
}

/** The status a reader sees: a pending request past its expiry is expired even before the worker marks it. */
export function effectiveStatus(status: ApprovalStatus, expiresAt: Date, now: Date): ApprovalStatus {
  return status === 'pending' && expiresAt.getTime() <= now.getTime() ? 'expired' : status;
}

export const separationOfDutiesApplies = (riskClass: RiskClass) => riskClass === 'R2' || riskClass === 'R3';

// Logins compare case-insensitively everywhere (src/api/access/logins.ts).
export { identityKey, sameIdentity };

export interface DecisionContext {
  user: string;
  role: Role;
  now: Date;
}

export interface DecidableApproval {
  status: ApprovalStatus;
  risk_class: RiskClass;
  requested_by: string;
  expires_at: Date;
  min_approvals: number;
  approvals_received: number;
  decided_by: string[];
  /** Break-glass: admins the approvers must include, and how many have approved. */
  min_admin_approvals?: number;
  admin_approvals_received?: number;
}

/**
 * Whether a non-admin's approval still fits: with `min_admin_approvals` admins required, at most
 * min_approvals − min_admin_approvals approvals may come from others (break-glass).
 */
export function nonAdminSlotOpen(
  approval: Pick<
    DecidableApproval,
    'min_approvals' | 'approvals_received' | 'min_admin_approvals' | 'admin_approvals_received'
  >
): boolean {
  const admins = approval.min_admin_approvals ?? 0;
  const others = approval.approvals_received - (approval.admin_approvals_received ?? 0);
  return others < Math.max(approval.min_approvals, 1) - admins;
}

/**
 * Whether the caller may approve or reject now, and if not, why: the same reasons, in the same order,
 * as the decision route's refusals (the UI disables its controls with this reason).
 */
export function canDecide(
  approval: DecidableApproval,
  caller: DecisionContext
): { allowed: boolean; reason: string | null } {
  if (!hasRole(caller.role, 'approver')) {
    return {
      allowed: false,
      reason: `deciding needs the approver role in this project; catalog/access.yaml makes you ${caller.role} here`,
    };
  }
  if (separationOfDutiesApplies(approval.risk_class) && sameIdentity(approval.requested_by, caller.user)) {
    return {
      allowed: false,
      reason: `you requested this ${approval.risk_class} action; someone else must decide it (separation of duties)`,
    };
  }
  const status = effectiveStatus(approval.status, approval.expires_at, caller.now);
  if (status === 'expired') {
    return { allowed: false, reason: `the request expired at ${approval.expires_at.toISOString()}` };
  }
  if (status !== 'pending') {
    return { allowed: false, reason: `the request is already decided (${status})` };
  }
  if (approval.decided_by.some((by) => sameIdentity(by, caller.user))) {
    const waiting = Math.max(approval.min_approvals, 1) - approval.approvals_received;
    return {
      allowed: false,
      reason: `you already approved; waiting for ${waiting} more approver${waiting === 1 ? '' : 's'}`,
    };
  }
  if (!hasRole(caller.role, 'admin') && !nonAdminSlotOpen(approval)) {
    return {
      allowed: false,
      reason: 'this break-glass request waits for an admin: the remaining approval must come from an admin',
    };
  }
  return { allowed: true, reason: null };
}
