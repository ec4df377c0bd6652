import { ActionDefinition, ApprovalPolicyFile } from '../../contract/approvals';
import {
  canDecide,
  checkEvidence,
  effectiveStatus,
  evaluatePolicy,
  isOutsideBusinessHours,
  type DecidableApproval,
} from './policy';

const policy = ApprovalPolicyFile.parse({
  version: 1,
  request_ttl_minutes: 60,
  business_hours: {
    timezone: 'Europe/London',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: '08:00',
    end: '18:00',
  },
  classes: {
    R1: { approval: 'auto', min_approvals: 0 },
    R2: {
      approval: 'policy',
      min_approvals: 1,
      rules: [
        { when: { environment: ['production'] }, reason: 'production' },
        { when: { impact_radius_gt: 10 }, reason: 'wide' },
        { when: { outside_business_hours: true }, reason: 'after hours' },
      ],
    },
    R3: { approval: 'always', min_approvals: 2 },
  },
});

// Wednesday 2026-07-15: 12:00 in London is 11:00 UTC (BST); 20:00 London is 19:00 UTC.
const WEDNESDAY_NOON = new Date('2026-07-15T11:00:00Z');
const WEDNESDAY_EVENING = new Date('2026-07-15T19:00:00Z');
const SATURDAY_NOON = new Date('2026-07-18T11:00:00Z');

const action = ActionDefinition.parse({
  id: 'outbox.relay.restart',
  title: 'Restart',
  description: 'Restart the relay',
  risk_class: 'R1',
  runbook_id: 'ops.outbox.relay',
  parameters: { type: 'object' },
  executor: { type: 'dry_run' },
  rollback_action_id: null,
});

describe('approval policy', () => {
  it('reads business hours in the policy time zone, with summer time', () => {
    const hours = policy.business_hours!;
    expect(isOutsideBusinessHours(hours, WEDNESDAY_NOON)).toBe(false);
    expect(isOutsideBusinessHours(hours, WEDNESDAY_EVENING)).toBe(true);
    expect(isOutsideBusinessHours(hours, SATURDAY_NOON)).toBe(true);
    // 07:30 UTC is 08:30 in London in July: inside; in January 07:30 UTC is 07:30 London: outside.
    expect(isOutsideBusinessHours(hours, new Date('2026-07-15T07:30:00Z'))).toBe(false);
    expect(isOutsideBusinessHours(hours, new Date('2026-01-14T07:30:00Z'))).toBe(true);
  });

  it('runs R1 without approval and always asks two approvers for R3', () => {
    expect(
      evaluatePolicy(policy, 'R1', { environment: 'production', impactCount: 500, at: SATURDAY_NOON })
    ).toMatchObject({
      requires_approval: false,
      min_approvals: 0,
    });
    expect(evaluatePolicy(policy, 'R3', { environment: 'staging', impactCount: 0, at: WEDNESDAY_NOON })).toEqual({
      requires_approval: true,
      min_approvals: 2,
      reason: 'R3 actions always need 2 approvers',
    });
  });

  it('applies the first matching R2 rule, and none in staging, small, in hours', () => {
    const r2 = (environment: string, impactCount: number, at: Date) =>
      evaluatePolicy(policy, 'R2', { environment, impactCount, at });
    expect(r2('production', 1, WEDNESDAY_NOON)).toMatchObject({
      requires_approval: true,
      min_approvals: 1,
      reason: 'production',
    });
    expect(r2('staging', 11, WEDNESDAY_NOON)).toMatchObject({ requires_approval: true, reason: 'wide' });
    expect(r2('staging', 10, WEDNESDAY_NOON).requires_approval).toBe(false);
    expect(r2('staging', 1, WEDNESDAY_EVENING)).toMatchObject({ requires_approval: true, reason: 'after hours' });
    expect(r2('staging', 1, WEDNESDAY_NOON)).toMatchObject({ requires_approval: false, min_approvals: 0 });
  });

  it('demands the complete evidence bundle for R2/R3 and names what is missing', () => {
    const result = checkEvidence('R3', { reasoning: 'error rate doubled after 1.4.2', confidence: 0.8 }, action);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.missing).toEqual(['risk_level', 'impact_radius', 'rollback_strategy']);
    const complete = checkEvidence(
      'R2',
      {
        reasoning: 'why',
        confidence: 0.7,
        risk_level: 'medium',
        impact_radius: { resources: ['core42:aicloud:uae-north:t-acme:p-vision:queue:jobs'], count: 1 },
        rollback_strategy: 'stop the replay',
      },
      action
    );
    expect(complete.ok && complete.evidence.environment).toBe('production');
    expect(checkEvidence('R2', { confidence: 2 }, action).ok).toBe(false);
  });

  it('fills an R1 request without evidence with values that say so', () => {
    const result = checkEvidence('R1', undefined, action);
    expect(result.ok && result.evidence).toMatchObject({
      confidence: 0,
      risk_level: 'low',
      impact_radius: { count: 0 },
    });
  });

  it('treats a pending request past its expiry as expired', () => {
    const expires = new Date('2026-07-15T12:00:00Z');
    expect(effectiveStatus('pending', expires, new Date('2026-07-15T11:59:59Z'))).toBe('pending');
    expect(effectiveStatus('pending', expires, expires)).toBe('expired');
    expect(effectiveStatus('approved', expires, new Date('2026-07-16T00:00:00Z'))).toBe('approved');
  });
});

// A second block of the same name keeps the test names while keeping each block short.
describe('approval policy', () => {
  describe('can_decide', () => {
    const pending: DecidableApproval = {
      status: 'pending',
      risk_class: 'R3',
      requested_by: 'olga',
      expires_at: new Date('2026-07-15T12:00:00Z'),
      min_approvals: 2,
      approvals_received: 1,
      decided_by: ['ana'],
    };
    const at = new Date('2026-07-15T11:30:00Z');
    it('gives each refusal with its reason, in the route order', () => {
      expect(canDecide(pending, { user: 'ben', role: 'operator', now: at })).toEqual({
        allowed: false,
        reason: expect.stringMatching(/approver role/),
      });
      expect(canDecide(pending, { user: 'olga', role: 'approver', now: at }).reason).toMatch(/separation of duties/);
      expect(canDecide(pending, { user: 'ana', role: 'approver', now: at }).reason).toBe(
        'you already approved; waiting for 1 more approver'
      );
      expect(
        canDecide(pending, { user: 'ben', role: 'approver', now: new Date('2026-07-15T12:00:00Z') }).reason
      ).toMatch(/expired/);
      expect(canDecide({ ...pending, status: 'approved' }, { user: 'ben', role: 'admin', now: at }).reason).toMatch(
        /already decided \(approved\)/
      );
      expect(canDecide(pending, { user: 'ben', role: 'approver', now: at })).toEqual({ allowed: true, reason: null });
    });
    it('lets a requester decide their own R1 request', () => {
      expect(
        canDecide({ ...pending, risk_class: 'R1', decided_by: [] }, { user: 'olga', role: 'approver', now: at }).allowed
      ).toBe(true);
    });
  });
});
