import type { Approval } from '../../contract/approvals';

/** Pending requests first (soonest to expire on top), then the rest newest first. */
export function splitApprovals(items: Approval[]): { pending: Approval[]; history: Approval[] } {
  const pending = items.filter((a) => a.status === 'pending').sort((a, b) => a.expires_at.localeCompare(b.expires_at));
  const history = items
    .filter((a) => a.status !== 'pending')
    .sort((a, b) => b.requested_at.localeCompare(a.requested_at));
  return { pending, history };
}
