// The app's state badges say the contract vocabulary's words in its colours: the same table the
// datasource's value mappings are generated from (src/datasource/vocabulary.test.ts).
import React from 'react';
import { render, screen } from '@testing-library/react';

import {
  APPROVAL_STATUS,
  badgeText,
  HEALTH,
  INCIDENT_STATUS,
  RISK_CLASS,
  SEVERITY,
  SLO_ALERT_STATE,
  type Vocabulary,
} from '../../contract/vocabulary';
import type { ApprovalStatus, RiskClass } from '../../contract/approvals';
import type { Severity } from '../../contract/common';
import type { IncidentStatus } from '../../contract/incidents';
import type { HealthStatusLevel } from '../../contract/overview';
import type { SloStatus } from '../../contract/slo';
import { AlertStateBadge } from '../pages/slos/badges';
import { ApprovalStatusBadge, HealthBadge, IncidentStatusBadge, RiskBadge, SeverityBadge } from './badges';

// The Badge's colour becomes an emotion class; a stand-in that shows the colour name lets the test read it.
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  Badge: ({ text, color }: { text: string; color: string }) => <span data-color={color}>{text}</span>,
}));

const shown = (element: React.ReactElement) => {
  const { unmount } = render(element);
  const badge = screen.getByText(/./);
  const result = { text: badge.textContent, color: badge.getAttribute('data-color') };
  unmount();
  return result;
};

describe('state badges', () => {
  // Each badge with the vocabulary it must follow; `draw` renders the badge of one state.
  const cases: Array<[string, Vocabulary<string>, (state: string) => React.ReactElement]> = [
    ['severity', SEVERITY, (state) => <SeverityBadge severity={state as Severity} />],
    ['incident status', INCIDENT_STATUS, (state) => <IncidentStatusBadge status={state as IncidentStatus} />],
    ['approval status', APPROVAL_STATUS, (state) => <ApprovalStatusBadge status={state as ApprovalStatus} />],
    ['risk class', RISK_CLASS, (state) => <RiskBadge risk={state as RiskClass} />],
    ['health', HEALTH, (state) => <HealthBadge status={state as HealthStatusLevel} />],
    ['SLO alert state', SLO_ALERT_STATE, (state) => <AlertStateBadge state={state as SloStatus['alert_state']} />],
  ];

  it.each(cases)('%s badges use the vocabulary', (_name, vocabulary, draw) => {
    for (const [state, term] of Object.entries(vocabulary)) {
      expect(shown(draw(state))).toEqual({ text: badgeText(term), color: term.color });
    }
  });

  it('keep the words the pages always showed', () => {
    expect(shown(<RiskBadge risk="R2" />).text).toBe('R2 · user-affecting');
    expect(shown(<AlertStateBadge state="page" />).text).toBe('Paging');
    expect(shown(<ApprovalStatusBadge status="expired" />)).toEqual({ text: 'Expired', color: 'darkgrey' });
  });
});
