import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import {
  aDecisionHeader,
  aMe,
  anIncidentCard,
  anIncidentSummary,
  anOverview,
} from '../../../../tests/fixtures/builders';
import { fakeApi, resetFakes } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const LIST = 'GET /api/v1/incidents';

beforeEach(() => {
  resetFakes();
  fakeApi.on('GET /api/v1/me', aMe());
});

describe('incidents page', () => {
  it('sends the filters of the URL to the API and pages with its cursor', async () => {
    fakeApi.on(LIST, (call) =>
      call.params.cursor === 'c2'
        ? { items: [anIncidentSummary({ id: 'inc-3', title: 'Third' })], next_cursor: null }
        : {
            items: [
              anIncidentSummary({ id: 'inc-1', title: 'First' }),
              anIncidentSummary({ id: 'inc-2', title: 'Second' }),
            ],
            next_cursor: 'c2',
          }
    );
    renderApp('incidents?status=open&severity=sev1&trace_id=4bf92f3577b34da6a3ce929d0e0e4736&q=relay');
    await screen.findByTestId(testIds.incidents.page, {}, SLOW);
    const rows = await screen.findAllByTestId(testIds.incidents.row, {}, SLOW);
    expect(rows.map((row) => row.getAttribute('data-incident-id'))).toEqual(['inc-1', 'inc-2']);
    expect(fakeApi.callsTo('GET', '/api/v1/incidents')[0].params).toMatchObject({
      status: 'open',
      severity: 'sev1',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      q: 'relay',
      limit: 50,
    });

    await userEvent.click(screen.getByTestId(testIds.incidents.nextPage));
    await waitFor(() =>
      expect(screen.getAllByTestId(testIds.incidents.row).map((row) => row.getAttribute('data-incident-id'))).toEqual([
        'inc-3',
      ])
    );
    const last = fakeApi.callsTo('GET', '/api/v1/incidents').at(-1)!;
    expect(last.params).toMatchObject({ cursor: 'c2', status: 'open', severity: 'sev1' });
    expect(screen.queryByTestId(testIds.incidents.nextPage)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.incidents.firstPage)).toBeInTheDocument();
  });

  it('filters by assignee from the URL and from the Assignee field', async () => {
    fakeApi.on(LIST, { items: [anIncidentSummary({ id: 'inc-1', title: 'First' })], next_cursor: null });
    renderApp('incidents?assignee=dana&status=open');
    await screen.findAllByTestId(testIds.incidents.row, {}, SLOW);
    expect(fakeApi.callsTo('GET', '/api/v1/incidents')[0].params).toMatchObject({ assignee: 'dana', status: 'open' });
    const field = screen.getByLabelText('Assignee');
    expect(field).toHaveValue('dana');
    await userEvent.clear(field);
    await userEvent.type(field, 'lee');
    await userEvent.tab();
    await waitFor(() =>
      expect(fakeApi.callsTo('GET', '/api/v1/incidents').at(-1)!.params).toMatchObject({
        assignee: 'lee',
        status: 'open',
      })
    );
  });

  it('says so when nothing matches', async () => {
    fakeApi.on(LIST, { items: [], next_cursor: null });
    renderApp('incidents?q=nothing');
    expect(await screen.findByText('No incident matches these filters.', {}, SLOW)).toBeInTheDocument();
  });
});

describe('ops page when Action required is cut', () => {
  it('says "2 of 32 — see all" and links to the open incidents', async () => {
    fakeApi.on(
      'GET /api/v1/admin/ops/overview',
      anOverview({
        decision_header: aDecisionHeader({
          open_incidents: { total: 32, by_severity: { sev1: 32, sev2: 0, sev3: 0, sev4: 0 } },
        }),
        action_required: { cards: [anIncidentCard({ incident_id: 'a' }), anIncidentCard({ incident_id: 'b' })] },
      })
    );
    renderApp('ops');
    const link = await screen.findByTestId(testIds.incidents.seeAll, {}, SLOW);
    expect(link).toHaveTextContent('2 of 32 — see all');
    expect(link.getAttribute('href')).toBe('/a/opsdeck-ops-app/incidents?status=open');
  });

  it('shows no link when every open incident is listed', async () => {
    fakeApi.on(
      'GET /api/v1/admin/ops/overview',
      anOverview({
        decision_header: aDecisionHeader({
          open_incidents: { total: 1, by_severity: { sev1: 1, sev2: 0, sev3: 0, sev4: 0 } },
        }),
        action_required: { cards: [anIncidentCard()] },
      })
    );
    renderApp('ops');
    await screen.findAllByTestId(testIds.ops.incidentCard, {}, SLOW);
    expect(screen.queryByTestId(testIds.incidents.seeAll)).not.toBeInTheDocument();
  });
});
