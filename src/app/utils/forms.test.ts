import { anApproval } from '../../../tests/fixtures/builders';
import { decisionState, transitionProblem } from './forms';

describe('decision form rules', () => {
  it('is ready with a pending request, permission, a write route and a comment', () => {
    expect(decisionState(anApproval(), 'editor', 'checked the DLQ query')).toEqual({ kind: 'ready' });
  });

  it('requires a comment that is not blank', () => {
    expect(decisionState(anApproval(), 'editor', '')).toEqual({
      kind: 'needs_comment',
      reason: expect.stringMatching(/comment is required/),
    });
    expect(decisionState(anApproval(), 'editor', '   \n ').kind).toBe('needs_comment');
  });

  it("uses the API's reason when the user may not decide (requester, role)", () => {
    const own = anApproval({
      can_decide: { allowed: false, reason: 'You requested this R2 action: another approver must decide.' },
    });
    expect(decisionState(own, 'admin', 'lgtm')).toEqual({
      kind: 'blocked',
      reason: 'You requested this R2 action: another approver must decide.',
    });
    const noReason = anApproval({ can_decide: { allowed: false, reason: null } });
    expect(decisionState(noReason, 'admin', 'lgtm')).toEqual({
      kind: 'blocked',
      reason: 'You cannot decide this request.',
    });
  });

  it('blocks decided requests and the read-only viewer route', () => {
    expect(decisionState(anApproval({ status: 'approved' }), 'admin', 'x')).toEqual({
      kind: 'blocked',
      reason: 'This request is already approved.',
    });
    expect(decisionState(anApproval(), 'viewer', 'x').kind).toBe('blocked');
  });
});

describe('transition rules', () => {
  it('requires a note to close, and nothing else', () => {
    expect(transitionProblem('closed', '')).toMatch(/postmortem/);
    expect(transitionProblem('closed', 'https://wiki/pm/42')).toBeNull();
    expect(transitionProblem('resolved', '')).toBeNull();
  });
});
