// The rules of the app's forms, apart from the components so that they are tested directly.
import type { Approval } from '../../contract/approvals';
import type { IncidentStatus } from '../../contract/incidents';
import type { ProxyPrefix } from '../api/client';

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
 * Whether the approve/reject controls are usable. The API's `can_decide` is the authority (role,
 * separation of duties, expiry, already decided); the viewer proxy route cannot POST at all; a comment
 * is always required.
 */
export function decisionState(
  approval: Pick<Approval, 'status' | 'can_decide'>,
  prefix: ProxyPrefix,
  comment: string
): DecisionState {
  if (approval.status !== 'pending') {
    return { kind: 'blocked', reason: `This request is already ${approval.status}.` };
  }
  if (!approval.can_decide.allowed) {
    return { kind: 'blocked', reason: approval.can_decide.reason ?? 'You cannot decide this request.' };
  }
  if (prefix === 'viewer') {
    return { kind: 'blocked', reason: 'Your Grafana role is Viewer: the plugin proxy only lets viewers read.' };
  }
  if (comment.trim().length === 0) {
    return { kind: 'needs_comment', reason: 'A comment is required to approve or reject.' };
  }
  return { kind: 'ready' };
}
