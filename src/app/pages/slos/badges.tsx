import React from 'react';
import { Badge } from '@grafana/ui';

import type { BudgetPolicyState, PolicyAlertKind, SloStatus } from '../../../contract/slo';
import { badgeText, SLO_ALERT_STATE } from '../../../contract/vocabulary';

// The SLO states' badges, for the SLO page and the Decision Header. The burn-alert state's words and colours
// are the contract's vocabulary (the datasource maps the same column with it); the budget policy's are the app's.
const POLICY_STATE: Record<BudgetPolicyState, { text: string; color: 'green' | 'orange' | 'red' }> = {
  remaining: { text: 'Budget remaining', color: 'green' },
  depleted: { text: 'Depleted · feature freeze', color: 'orange' },
  critical: { text: 'Critical · emergency freeze', color: 'red' },
};

export function PolicyStateBadge({ state }: { state: BudgetPolicyState | null }) {
  if (state === null) {
    return <Badge color="darkgrey" icon="question-circle" text="State unknown" />;
  }
  const { text, color } = POLICY_STATE[state];
  return <Badge color={color} text={text} icon={state === 'remaining' ? 'check' : 'exclamation-triangle'} />;
}

export function AlertStateBadge({ state }: { state: SloStatus['alert_state'] }) {
  const term = SLO_ALERT_STATE[state];
  return <Badge color={term.color} text={badgeText(term)} />;
}

const POLICY_ALERT_TEXT: Record<PolicyAlertKind, string> = {
  fast_burn: 'Policy: fast burn',
  slow_burn: 'Policy: slow burn',
  consumed: 'Policy: budget mostly consumed',
  depleted: 'Policy: SLO violated (depleted)',
};

export function PolicyAlertBadges({ alerts }: { alerts: readonly PolicyAlertKind[] }) {
  return (
    <>
      {alerts.map((kind) => (
        <Badge
          key={kind}
          color={kind === 'fast_burn' || kind === 'depleted' ? 'red' : 'orange'}
          text={POLICY_ALERT_TEXT[kind]}
        />
      ))}
    </>
  );
}
