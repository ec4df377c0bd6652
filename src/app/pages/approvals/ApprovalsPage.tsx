import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, Stack, Text, TextLink, Tooltip, useStyles2 } from '@grafana/ui';

import type { Approval } from '../../../contract/approvals';
import { AppPage } from '../../components/AppPage';
import { ApprovalStatusBadge, RiskBadge } from '../../components/badges';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState, LoadingState } from '../../components/states';
import { dataTableStyle } from '../../components/tableStyle';
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
  const decidable = (approval: Approval) =>
    notGranted
      ? { allowed: false, reason: notGranted }
      : { allowed: approval.can_decide.allowed, reason: approval.can_decide.reason };
  const s = useStyles2(getStyles);
  const now = useNow(15_000);
  return (
    <table className={s.table}>
      <thead>
        <tr>
          <th scope="col">Action</th>
          <th scope="col">Risk</th>
          <th scope="col">Incident</th>
          <th scope="col">Requested</th>
          <th scope="col">{showExpiry ? 'Expires in' : 'Status'}</th>
          {showExpiry && <th scope="col">You</th>}
        </tr>
      </thead>
      <tbody>
        {approvals.map((approval) => (
          <tr
            key={approval.id}
            data-testid={testIds.approvals.row}
            data-approval-id={approval.id}
            data-status={approval.status}
          >
            <td>
              <Stack direction="column" gap={0}>
                <TextLink href={ROUTES.approval(approval.id)} inline={false}>
                  {approval.action_title}
                </TextLink>
                <Text variant="bodySmall" color="secondary">
                  {approval.action_id} · {approval.tenant}/{approval.project}
                </Text>
              </Stack>
            </td>
            <td>
              <RiskBadge risk={approval.risk_class} />
            </td>
            <td>
              <TextLink href={ROUTES.incident(approval.incident_id)} inline={false} variant="bodySmall">
                {approval.incident_title}
              </TextLink>
            </td>
            <td>
              <Text variant="bodySmall">
                {approval.requested_by}
                <br />
                {formatDateTime(approval.requested_at)}
              </Text>
            </td>
            <td>
              {showExpiry ? (
                formatDuration((Date.parse(approval.expires_at) - now) / 1000)
              ) : (
                <ApprovalStatusBadge status={approval.status} />
              )}
            </td>
            {showExpiry && (
              <td>
                {decidable(approval).allowed ? (
                  <Text color="success" variant="bodySmall">
                    <Icon name="check" /> can decide
                  </Text>
                ) : (
                  <Tooltip content={decidable(approval).reason ?? 'You cannot decide this request'}>
                    <span tabIndex={0}>
                      <Text color="secondary" variant="bodySmall">
                        <Icon name="lock" /> {decidable(approval).reason ?? 'cannot decide'}
                      </Text>
                    </span>
                  </Tooltip>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default ApprovalsPage;

const getStyles = (theme: GrafanaTheme2) => ({
  table: css(dataTableStyle(theme, theme.spacing(1)), { 'tr:last-child td': { borderBottom: 'none' } }),
});
