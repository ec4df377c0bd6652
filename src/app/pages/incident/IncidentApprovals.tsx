import React, { useState } from 'react';
import { Button, Stack, Text, TextLink } from '@grafana/ui';

import { toOpsApiError, type OpsApiError } from '../../api/errors';
import type { Approval, FeedbackOutcome } from '../../../contract/approvals';
import { ApprovalStatusBadge, RiskBadge } from '../../components/badges';
import { Panel } from '../../components/Panel';
import { ErrorState, EmptyNote, LoadingState } from '../../components/states';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';

/** Remediation requests raised for this incident, pending first. */
export function IncidentApprovals({ incidentId }: { incidentId: string }) {
  const { api, projectId } = useOps();
  const approvals = useAsync(() => api.approvals({ incident_id: incidentId }), `approvals:${projectId}:${incidentId}`);
  const items = (approvals.data?.items ?? [])
    .slice()
    .sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending'));
  return (
    <Panel title="Approvals" testId={testIds.incident.approvals}>
      {approvals.loading ? (
        <LoadingState />
      ) : approvals.error && !approvals.data ? (
        <ErrorState title="Could not load the approvals" error={approvals.error} onRetry={approvals.reload} />
      ) : items.length === 0 ? (
        <EmptyNote>No remediation was requested for this incident.</EmptyNote>
      ) : (
        <Stack direction="column" gap={1}>
          {items.map((approval) => (
            <Stack key={approval.id} direction="column" gap={0.5}>
              <TextLink href={ROUTES.approval(approval.id)} inline={false}>
                {approval.action_title}
              </TextLink>
              <Stack direction="row" gap={0.5} alignItems="center" wrap="wrap">
                <ApprovalStatusBadge status={approval.status} />
                <RiskBadge risk={approval.risk_class} />
                <Text variant="bodySmall" color="secondary">
                  by {approval.requested_by}, {formatDateTime(approval.requested_at)}
                </Text>
              </Stack>
              <FeedbackButtons approval={approval} onDone={approvals.reload} />
            </Stack>
          ))}
        </Stack>
      )}
    </Panel>
  );
}

const OUTCOMES: Array<[FeedbackOutcome, string]> = [
  ['helped', 'Helped'],
  ['did_not_help', 'Did not help'],
  ['made_worse', 'Made it worse'],
];

/** After the action ran: did it help? (Feeds the confidence of later recommendations.) */
function FeedbackButtons({ approval, onDone }: { approval: Approval; onDone: () => Promise<void> }) {
  const { api } = useOps();
  const [error, setError] = useState<OpsApiError | null>(null);
  if (approval.status !== 'succeeded' && approval.status !== 'failed') {
    return null;
  }
  if (approval.feedback) {
    return (
      <Text variant="bodySmall" color="secondary" data-testid={testIds.requestAction.feedbackGiven}>
        {`Feedback: ${approval.feedback.outcome.replace(/_/g, ' ')} (${approval.feedback.by})`}
      </Text>
    );
  }
  const send = async (outcome: FeedbackOutcome) => {
    setError(null);
    try {
      await api.feedback(approval.id, { outcome });
      await onDone();
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    }
  };
  return (
    <Stack direction="row" gap={0.5} wrap="wrap">
      {OUTCOMES.map(([outcome, label]) => (
        <Button
          key={outcome}
          size="sm"
          variant="secondary"
          data-testid={testIds.requestAction.feedback(outcome)}
          onClick={() => send(outcome)}
        >
          {label}
        </Button>
      ))}
      {error && <ErrorState title="The feedback was not saved" error={error} />}
    </Stack>
  );
}
