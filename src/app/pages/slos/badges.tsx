import React from 'react';
import { Badge } from '@grafana/ui';

import type { BudgetPolicyState, PolicyAlertKind, SloStatus } from '../../../contract/slo';

// One place for the SLO states' words and colours: the SLO page and the Decision Header use these.
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

const ALERT_STATE: Record<SloStatus['alert_state'], { text: string; color: 'green' | 'orange' | 'red' | 'darkgrey' }> =
  {
    ok: { text: 'No burn alert', color: 'green' },
    ticket: { text: 'Ticket', color: 'orange' },
    page: { text: 'Paging', color: 'red' },
    unknown: { text: 'Alerts unknown', color: 'darkgrey' },
  };

export function AlertStateBadge({ state }: { state: SloStatus['alert_state'] }) {
  return <Badge color={ALERT_STATE[state].color} text={ALERT_STATE[state].text} />;
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
