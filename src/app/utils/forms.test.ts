import { anApproval } from '../../../tests/fixtures/builders';
import { SHIPPED_ROLES, type Capability } from '../../contract/capabilities';
import type { Granted } from './access';
import { decisionState, transitionProblem } from './forms';

const grants = (capabilities: readonly Capability[]): Granted =>
  Object.fromEntries(
    (['incidents:read', 'incidents:write', 'approvals:request', 'approvals:decide', 'catalog:admin'] as const).map(
      (c) => [c, capabilities.includes(c)]
    )
  ) as Granted;
const approver = grants(SHIPPED_ROLES.Approver);
const operator = grants(SHIPPED_ROLES.Operator);

describe('decision form rules', () => {
  it('is ready with a pending request, permission, a write route and a comment', () => {
    expect(decisionState(anApproval(), approver, 'checked the DLQ query')).toEqual({ kind: 'ready' });
  });

  it('requires a comment that is not blank', () => {
    expect(decisionState(anApproval(), approver, '')).toEqual({
      kind: 'needs_comment',
      reason: expect.stringMatching(/comment is required/),
    });
    expect(decisionState(anApproval(), approver, '   \n ').kind).toBe('needs_comment');
  });

  it("uses the API's reason when the user may not decide (requester, role)", () => {
    const own = anApproval({
      can_decide: { allowed: false, reason: 'You requested this R2 action: another approver must decide.' },
    });
    expect(decisionState(own, approver, 'lgtm')).toEqual({
      kind: 'blocked',
      reason: 'You requested this R2 action: another approver must decide.',
    });
    const noReason = anApproval({ can_decide: { allowed: false, reason: null } });
    expect(decisionState(noReason, approver, 'lgtm')).toEqual({
      kind: 'blocked',
      reason: 'You cannot decide this request.',
    });
  });

  it('blocks decided requests, and users whom Grafana does not grant deciding, before the API’s reason', () => {
    expect(decisionState(anApproval({ status: 'approved' }), approver, 'x')).toEqual({
      kind: 'blocked',
      reason: 'This request is already approved.',
    });
    expect(decisionState(anApproval(), operator, 'x')).toEqual({
      kind: 'blocked',
      reason: expect.stringContaining('opsdeck-ops-app.approvals:decide'),
    });
    const own = anApproval({ can_decide: { allowed: false, reason: 'separation of duties' } });
    expect(decisionState(own, operator, 'x')).toMatchObject({ reason: expect.stringMatching(/Opsdeck Approver/) });
    // A Viewer granted Approver has the same grant as anyone else with it.
    expect(decisionState(anApproval(), grants(['incidents:read', 'approvals:decide']), 'x')).toEqual({ kind: 'ready' });
  });
});

describe('transition rules', () => {
  it('requires a note to close, and nothing else', () => {
    expect(transitionProblem('closed', '')).toMatch(/postmortem/);
    expect(transitionProblem('closed', 'https://wiki/pm/42')).toBeNull();
    expect(transitionProblem('resolved', '')).toBeNull();
  });
});
