import { screen, within } from '@testing-library/react';

import { aMe, anOverview } from '../../../../tests/fixtures/builders';
import type { PostmortemObligations } from '../../../contract/communication';
import { apiError, fakeApi, resetFakes } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const OBLIGATIONS = 'GET /api/v1/postmortems/obligations';

const due = (id: string, overdue: boolean, status: 'missing' | 'draft' = 'missing') => ({
  incident_id: id,
  title: `Incident ${id}`,
  severity: 'sev1' as const,
  tenant: 'platform',
  project: 'platform',
  due_at: '2026-11-25T10:00:00Z',
  overdue,
  postmortem_status: status,
});

const obligations = (overrides: Partial<PostmortemObligations> = {}): PostmortemObligations => ({
  postmortems_due: [],
  overdue_postmortems: 0,
  overdue_action_items: 0,
  runbooks_to_review: [],
  ...overrides,
});

beforeEach(() => {
  resetFakes();
  fakeApi.on('GET /api/v1/me', aMe());
  fakeApi.on('GET /api/v1/admin/ops/overview', anOverview());
});

describe('Decision Header: overdue reviews', () => {
  it('counts overdue postmortems and action items and links to each', async () => {
    fakeApi.on(
      OBLIGATIONS,
      obligations({
        postmortems_due: [due('inc-late', true), due('inc-draft', true, 'draft'), due('inc-soon', false)],
        overdue_postmortems: 2,
        overdue_action_items: 3,
      })
    );
    renderApp('ops');
    const tile = await screen.findByTestId(testIds.ops.reviews, {}, SLOW);
    const links = await within(tile).findAllByTestId(testIds.ops.overduePostmortem);
    expect(tile).toHaveTextContent('5');
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      '/a/opsdeck-ops-app/incidents/inc-late',
      '/a/opsdeck-ops-app/incidents/inc-draft',
    ]);
    expect(links[0]).toHaveTextContent('Postmortem missing: Incident inc-late');
    expect(links[1]).toHaveTextContent('Postmortem draft: Incident inc-draft');
    const items = within(tile).getByTestId(testIds.ops.overdueActionItems);
    expect(items).toHaveTextContent('3 action items overdue');
    expect(items.getAttribute('href')).toBe('/a/opsdeck-ops-app/action-items?state=overdue');
    // Sent with the page's project scope, like every other read.
    expect(fakeApi.callsTo('GET', '/api/v1/postmortems/obligations')).toHaveLength(1);
  });

  it('shows nothing alarming when nothing is overdue', async () => {
    fakeApi.on(OBLIGATIONS, obligations({ postmortems_due: [due('inc-soon', false)] }));
    renderApp('ops');
    const tile = await screen.findByTestId(testIds.ops.reviews, {}, SLOW);
    expect(await within(tile).findByTestId(testIds.ops.overdueActionItems)).toHaveTextContent('Action items');
    expect(tile).toHaveTextContent('0');
    expect(within(tile).queryByTestId(testIds.ops.overduePostmortem)).not.toBeInTheDocument();
  });

  it('costs one tile, not the page, when the duties cannot be read', async () => {
    fakeApi.on(OBLIGATIONS, apiError(503, 'not_ready', 'store is not reachable', 'req-1'));
    renderApp('ops');
    const tile = await screen.findByTestId(testIds.ops.reviews, {}, SLOW);
    expect(await within(tile).findByText(/Review duties unavailable: store is not reachable/)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.ops.openTotal)).toHaveTextContent('1');
  });
});
