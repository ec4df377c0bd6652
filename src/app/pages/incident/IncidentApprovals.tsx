import React from 'react';
import { Stack, Text, TextLink } from '@grafana/ui';

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
            </Stack>
          ))}
        </Stack>
      )}
    </Panel>
  );
}
