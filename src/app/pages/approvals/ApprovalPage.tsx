import React from 'react';
import { useParams } from 'react-router-dom';
import { Stack, TextLink } from '@grafana/ui';

import type { Approval } from '../../../contract/approvals';
import { AppPage } from '../../components/AppPage';
import { Columns } from '../../components/Columns';
import { ApprovalStatusBadge, RiskBadge } from '../../components/badges';
import { ErrorState, LoadingState } from '../../components/states';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import {
  Decisions,
  EvidenceQueries,
  Execution,
  ImpactRadius,
  Reasoning,
  RequestFacts,
  Rollback,
  SimilarOutcomes,
} from './ApprovalSections';
import { BudgetFreeze } from './BudgetFreeze';
import { DecisionForm } from './DecisionForm';

function ApprovalPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { api, projectId } = useOps();
  const approval = useAsync(() => api.approval(id), `approval:${projectId}:${id}`);
  if (approval.loading || !approval.data) {
    return (
      <AppPage testId={testIds.approval.page} pageNav={{ text: 'Approval' }}>
        {approval.loading ? (
          <LoadingState text="Loading the request…" />
        ) : (
          approval.error && (
            <ErrorState title={`Could not load approval ${id}`} error={approval.error} onRetry={approval.reload} />
          )
        )}
      </AppPage>
    );
  }
  return <ApprovalView approval={approval.data} onDecided={approval.reload} />;
}

function ApprovalView({ approval, onDecided }: { approval: Approval; onDecided: () => Promise<void> }) {
  return (
    <AppPage
      testId={testIds.approval.page}
      pageNav={{ text: approval.action_title }}
      subTitle={
        <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
          <span data-testid={testIds.approval.status} data-status={approval.status}>
            <ApprovalStatusBadge status={approval.status} />
          </span>
          <RiskBadge risk={approval.risk_class} />
          <span>
            requested by <strong>{approval.requested_by}</strong> for{' '}
            <TextLink href={ROUTES.incident(approval.incident_id)} inline>
              {approval.incident_title}
            </TextLink>
          </span>
        </Stack>
      }
    >
      <Columns
        ratio={[3, 2]}
        sideMinWidth={300}
        mainTestId={testIds.approval.evidence}
        main={
          <>
            <Reasoning approval={approval} />
            {approval.budget_at_request && <BudgetFreeze budget={approval.budget_at_request} />}
            <ImpactRadius approval={approval} />
            <Rollback approval={approval} />
            <SimilarOutcomes approval={approval} />
            <RequestFacts approval={approval} />
          </>
        }
        side={
          <>
            <DecisionForm approval={approval} onDecided={onDecided} />
            <Decisions approval={approval} />
            <Execution approval={approval} />
            <EvidenceQueries approval={approval} />
          </>
        }
      />
    </AppPage>
  );
}

export default ApprovalPage;
