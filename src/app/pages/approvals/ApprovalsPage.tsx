import React from 'react';
import { Icon, Stack, Text, TextLink, Tooltip } from '@grafana/ui';

import type { Approval } from '../../../contract/approvals';
import { AppPage } from '../../components/AppPage';
import { ApprovalStatusBadge, RiskBadge } from '../../components/badges';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState, LoadingState } from '../../components/states';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { useNow } from '../../hooks/useNow';
import { testIds } from '../../testIds';
import { formatDateTime, formatDuration } from '../../utils/format';
import { decideBlocker } from '../../utils/access';
import { splitApprovals } from '../../utils/approvals';

function ApprovalsPage() {
  const { api, projectId } = useOps();
  const approvals = useAsync(() => api.approvals({ limit: 200 }), `approvals:${projectId}`);
  const { pending, history } = splitApprovals(approvals.data?.items ?? []);
  return (
    <AppPage
      testId={testIds.approvals.page}
      subTitle="Risky remediations wait here for a human. Pending requests come first, soonest to expire on top."
    >
      {approvals.loading ? (
        <LoadingState text="Loading approvals…" />
      ) : !approvals.data ? (
        approvals.error && (
          <ErrorState title="Could not load the approvals" error={approvals.error} onRetry={approvals.reload} />
        )
      ) : (
        <>
          <Panel title={`Waiting for a decision (${pending.length})`} testId={testIds.approvals.pending}>
            {pending.length === 0 ? (
              <EmptyNote>No request waits for a decision.</EmptyNote>
            ) : (
              <ApprovalTable approvals={pending} showExpiry />
            )}
          </Panel>
          <Panel title={`Decided and executed (${history.length})`} testId={testIds.approvals.history}>
            {history.length === 0 ? <EmptyNote>Nothing decided yet.</EmptyNote> : <ApprovalTable approvals={history} />}
          </Panel>
        </>
      )}
    </AppPage>
  );
}

function ApprovalTable({ approvals, showExpiry = false }: { approvals: Approval[]; showExpiry?: boolean }) {
  // Grafana's grant first (the Approver role), then the API's answer for this request and project.
  const notGranted = decideBlocker(useOps().granted);
  const now = useNow(15_000);
  const columns: Array<DataColumn<Approval> | false> = [
    { id: 'action', header: 'Action', cell: (approval) => <ActionCell approval={approval} /> },
    { id: 'risk', header: 'Risk', cell: (approval) => <RiskBadge risk={approval.risk_class} /> },
    {
      id: 'incident',
      header: 'Incident',
      cell: (approval) => (
        <TextLink href={ROUTES.incident(approval.incident_id)} inline={false} variant="bodySmall">
          {approval.incident_title}
        </TextLink>
      ),
    },
    {
      id: 'requested',
      header: 'Requested',
      cell: (approval) => (
        <Text variant="bodySmall">
          {approval.requested_by}
          <br />
          {formatDateTime(approval.requested_at)}
        </Text>
      ),
    },
    showExpiry
      ? {
          id: 'expires',
          header: 'Expires in',
          cell: (approval) => formatDuration((Date.parse(approval.expires_at) - now) / 1000),
        }
      : { id: 'status', header: 'Status', cell: (approval) => <ApprovalStatusBadge status={approval.status} /> },
    showExpiry && {
      id: 'you',
      header: 'You',
      cell: (approval) => (
        <DecideAbility
          decidable={
            notGranted
              ? { allowed: false, reason: notGranted }
              : { allowed: approval.can_decide.allowed, reason: approval.can_decide.reason }
          }
        />
      ),
    },
  ];
  return (
    <DataTable
      rows={approvals}
      columns={columns}
      rowKey={(approval) => approval.id}
      rowAttributes={(approval) => ({
        'data-testid': testIds.approvals.row,
        'data-approval-id': approval.id,
        'data-status': approval.status,
      })}
    />
  );
}

function ActionCell({ approval }: { approval: Approval }) {
  return (
    <Stack direction="column" gap={0}>
      <TextLink href={ROUTES.approval(approval.id)} inline={false}>
        {approval.action_title}
      </TextLink>
      <Text variant="bodySmall" color="secondary">
        {approval.action_id} · {approval.tenant}/{approval.project}
      </Text>
    </Stack>
  );
}

/** Whether the signed-in user may decide this request, and why not. */
function DecideAbility({ decidable }: { decidable: { allowed: boolean; reason?: string | null } }) {
  if (decidable.allowed) {
    return (
      <Text color="success" variant="bodySmall">
        <Icon name="check" /> can decide
      </Text>
    );
  }
  return (
    <Tooltip content={decidable.reason ?? 'You cannot decide this request'}>
      <span tabIndex={0}>
        <Text color="secondary" variant="bodySmall">
          <Icon name="lock" /> {decidable.reason ?? 'cannot decide'}
        </Text>
      </span>
    </Tooltip>
  );
}

export default ApprovalsPage;
