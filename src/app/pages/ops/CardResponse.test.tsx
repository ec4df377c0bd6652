import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { aMe, anIncidentCard, anOverview } from '../../../../tests/fixtures/builders';
import type { IncidentResponse } from '../../../contract/oncall';
import { fakeApi, resetFakes, setOrgRole } from '../../test/fakeRuntime';
import { isDisabled, renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
const response = (overrides: Partial<IncidentResponse>): IncidentResponse => ({
  ack_due_at: minutes(3.5),
  ack_status: 'pending',
  acknowledged_at: null,
  acknowledged_by: null,
  response_due_at: minutes(13),
  response_status: 'pending',
  responded_at: null,
  responded_by: null,
  escalate_due_at: null,
  escalation_level: 1,
  next_escalation_at: minutes(12.5),
  next_escalation_level: 2,
  assignee: null,
  commander: null,
  ...overrides,
});

/** The server's order: the breached sev1 before the older sev1 whose clock still runs. */
const overview = anOverview({
  action_required: {
    cards: [
      anIncidentCard({
        incident_id: 'inc-late',
        title: 'Late one',
        clock_breached: true,
        response: response({ ack_due_at: minutes(-2.5), ack_status: 'breached', escalation_level: 2 }),
      }),
      anIncidentCard({ incident_id: 'inc-fresh', title: 'Fresh one', response: response({ assignee: 'ana' }) }),
    ],
  },
});

beforeEach(() => {
  resetFakes();
  setOrgRole('Editor');
  fakeApi.on('GET /api/v1/me', aMe({ global_role: 'operator' }));
  fakeApi.on('GET /api/v1/admin/ops/overview', overview);
});

describe('incident cards: clocks, assignee, Acknowledge and Take it', () => {
  it('shows the clocks in the server order and takes an incident', async () => {
    fakeApi.on('POST /api/v1/incidents/:id/assign', {});
    renderApp('ops');
    await screen.findAllByTestId(testIds.ops.incidentCard, {}, SLOW);
    const cards = screen.getAllByTestId(testIds.ops.incidentCard);
    expect(cards.map((card) => card.getAttribute('data-incident-id'))).toEqual(['inc-late', 'inc-fresh']);
    expect(cards[0]).toHaveAttribute('data-clock-breached', 'true');
    expect(within(cards[0]).getByTestId(testIds.response.clock('ack'))).toHaveTextContent('ack breached 2m ago');
    expect(within(cards[1]).getByTestId(testIds.response.clock('ack'))).toHaveTextContent('ack due in 3m');
    expect(within(cards[1]).getByTestId(testIds.response.clock('escalation'))).toHaveTextContent(
      'escalates to level 2 in 12m'
    );
    expect(within(cards[1]).getByTestId(testIds.response.assignee)).toHaveTextContent('assignee ana');
    const before = fakeApi.callsTo('GET', '/api/v1/admin/ops/overview').length;
    await userEvent.click(within(cards[0]).getByTestId(testIds.response.takeIt));
    expect(fakeApi.callsTo('POST', '/api/v1/incidents/inc-late/assign')[0].body).toEqual({ take: true });
    await screen.findAllByTestId(testIds.ops.incidentCard);
    expect(fakeApi.callsTo('GET', '/api/v1/admin/ops/overview').length).toBeGreaterThan(before);
  });

  it('disables Acknowledge and Take it for viewers, with the reason', async () => {
    setOrgRole('Viewer');
    fakeApi.on('GET /api/v1/me', aMe({ global_role: 'viewer' }));
    renderApp('ops');
    const [card] = await screen.findAllByTestId(testIds.ops.incidentCard, {}, SLOW);
    expect(isDisabled(within(card).getByTestId(testIds.response.acknowledge))).toBe(true);
    expect(isDisabled(within(card).getByTestId(testIds.response.takeIt))).toBe(true);
  });
});
