import React from 'react';
import { Alert, Stack, Text, TextLink } from '@grafana/ui';

import type { BudgetAtRequest } from '../../../contract/approvals';
import { Facts, Panel } from '../../components/Panel';
import { ROUTES } from '../../constants';
import { testIds } from '../../testIds';
import { formatPercent } from '../../utils/format';
import { PolicyStateBadge } from '../slos/badges';

const OUTCOME_TITLE: Record<NonNullable<BudgetAtRequest['freeze']>['outcome'], string> = {
  extra_approval: 'Error budget freeze: one more approver and a reliability reason',
  exempt: 'Error budget freeze: exempt as reliability work',
  break_glass: 'Break-glass through an emergency freeze',
};

/**
 * The action's service's error budget when the request was made, and the freeze it met (issue 18):
 * the approver decides on the state the requester saw, with the reason the freeze demanded.
 */
export function BudgetFreeze({ budget }: { budget: BudgetAtRequest }) {
  const freeze = budget.freeze;
  return (
    <Panel title={`Error budget at request: ${budget.service ?? 'no service'}`} testId={testIds.approval.budget}>
      {freeze && (
        <div data-testid={testIds.approval.freeze} data-outcome={freeze.outcome} data-state={freeze.state}>
          <Alert
            severity={freeze.outcome === 'exempt' ? 'info' : freeze.outcome === 'break_glass' ? 'error' : 'warning'}
            title={OUTCOME_TITLE[freeze.outcome]}
            bottomSpacing={1}
          >
            <Stack direction="column" gap={0.5}>
              <Text>{freeze.explanation}</Text>
              {freeze.reliability_reason && <Text>Reliability reason: {freeze.reliability_reason}</Text>}
              {freeze.break_glass_reason && <Text>Break-glass reason: {freeze.break_glass_reason}</Text>}
              {freeze.admin_approvals_required > 0 && (
                <Text>
                  Needs {freeze.admin_approvals_required} admin approval
                  {freeze.admin_approvals_required === 1 ? '' : 's'}.
                </Text>
              )}
            </Stack>
          </Alert>
        </div>
      )}
      <Facts
        items={[
          ...budget.slos.map((slo): [string, React.ReactNode] => [
            slo.id,
            <Stack key={slo.id} direction="row" gap={1} alignItems="center">
              <PolicyStateBadge state={slo.budget_policy_state} />
              <Text variant="bodySmall">
                {slo.error_budget_remaining === null
                  ? 'budget left unknown'
                  : `${formatPercent(slo.error_budget_remaining, 1)} left`}
              </Text>
            </Stack>,
          ]),
          ['Source', `${budget.source_mode}${budget.degraded ? ' (degraded)' : ''}`],
        ]}
      />
      {budget.unknown && (
        <Text variant="bodySmall" color="warning">
          {budget.unknown}
        </Text>
      )}
      <TextLink href={ROUTES.slos({ service: budget.service ?? undefined })} inline={false} variant="bodySmall">
        The service&apos;s SLOs now
      </TextLink>
    </Panel>
  );
}
