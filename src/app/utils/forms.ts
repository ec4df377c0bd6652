// The rules of the app's forms, apart from the components so that they are tested directly.
import type { Approval } from '../../contract/approvals';
import type { IncidentStatus } from '../../contract/incidents';
import { decideBlocker, type Granted } from './access';

/** Why moving to `to` cannot be submitted yet, or null. Closing needs the review or postmortem link. */
export function transitionProblem(to: IncidentStatus, note: string): string | null {
  if (to === 'closed' && note.trim().length === 0) {
    return 'Closing needs a note: the review or postmortem link.';
  }
  return null;
}

export type DecisionState =
  { kind: 'blocked'; reason: string } | { kind: 'needs_comment'; reason: string } | { kind: 'ready' };

/**
 * Whether the approve/reject controls are usable. Grafana must grant deciding (the Opsdeck Approver
 * role: the decide route's reqAction); then the API's `can_decide` is the authority (access.yaml role
 * in the project, separation of duties, expiry, already decided); a comment is always required.
 */
export function decisionState(
  approval: Pick<Approval, 'status' | 'can_decide'>,
  granted: Granted,
  comment: string
): DecisionState {
  if (approval.status !== 'pending') {
    return { kind: 'blocked', reason: `This request is already ${approval.status}.` };
  }
  const notGranted = decideBlocker(granted);
  if (notGranted) {
    return { kind: 'blocked', reason: notGranted };
  }
  if (!approval.can_decide.allowed) {
    return { kind: 'blocked', reason: approval.can_decide.reason ?? 'You cannot decide this request.' };
  }
  if (comment.trim().length === 0) {
    return { kind: 'needs_comment', reason: 'A comment is required to approve or reject.' };
  }
  return { kind: 'ready' };
}
