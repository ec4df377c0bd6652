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
} from '../../contract/vocabulary';
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
  it('use the vocabulary for every severity, incident status, approval status, risk, health and SLO alert state', () => {
    for (const [severity, term] of Object.entries(SEVERITY)) {
      expect(shown(<SeverityBadge severity={severity as keyof typeof SEVERITY} />)).toEqual({
        text: term.label,
        color: term.color,
      });
    }
    for (const [status, term] of Object.entries(INCIDENT_STATUS)) {
      expect(shown(<IncidentStatusBadge status={status as keyof typeof INCIDENT_STATUS} />)).toEqual({
        text: term.label,
        color: term.color,
      });
    }
    for (const [status, term] of Object.entries(APPROVAL_STATUS)) {
      expect(shown(<ApprovalStatusBadge status={status as keyof typeof APPROVAL_STATUS} />)).toEqual({
        text: term.label,
        color: term.color,
      });
    }
    for (const [risk, term] of Object.entries(RISK_CLASS)) {
      expect(shown(<RiskBadge risk={risk as keyof typeof RISK_CLASS} />)).toEqual({
        text: badgeText(term),
        color: term.color,
      });
    }
    for (const [status, term] of Object.entries(HEALTH)) {
      expect(shown(<HealthBadge status={status as keyof typeof HEALTH} />)).toEqual({
        text: term.label,
        color: term.color,
      });
    }
    for (const [state, term] of Object.entries(SLO_ALERT_STATE)) {
      expect(shown(<AlertStateBadge state={state as keyof typeof SLO_ALERT_STATE} />)).toEqual({
        text: badgeText(term),
        color: term.color,
      });
    }
  });

  it('keep the words the pages always showed', () => {
    expect(shown(<RiskBadge risk="R2" />).text).toBe('R2 · user-affecting');
    expect(shown(<AlertStateBadge state="page" />).text).toBe('Paging');
    expect(shown(<ApprovalStatusBadge status="expired" />)).toEqual({ text: 'Expired', color: 'darkgrey' });
  });
});
