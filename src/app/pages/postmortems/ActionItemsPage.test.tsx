import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { aMe } from '../../../../tests/fixtures/builders';
import type { ActionItem } from '../../../contract/communication';
import { fakeApi, resetFakes, setOrgRole } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const item = (id: string, state: ActionItem['state']): ActionItem => ({
  id,
  postmortem_id: 'pm1',
  incident_id: 'inc-1',
  tenant: 'platform',
  project: 'platform',
  title: `Item ${id}`,
  owner: 'sre',
  due_at: '2026-11-24T00:00:00.000Z',
  state,
  done_at: state === 'done' ? '2026-11-24T00:00:00.000Z' : null,
});

beforeEach(() => {
  resetFakes();
  setOrgRole('Editor');
  fakeApi.on('GET /api/v1/me', aMe({ global_role: 'operator' }));
});

describe('action items page', () => {
  it('lists the state from the URL and marks an item done', async () => {
    const items = [item('a', 'overdue')];
    fakeApi.on('GET /api/v1/postmortems/action-items', () => ({ items, next_cursor: null }));
    fakeApi.on('POST /api/v1/postmortems/action-items/:id', () => (items[0] = item('a', 'done')));
    renderApp('action-items?state=overdue');
    const [row] = await screen.findAllByTestId(testIds.actionItems.row, {}, SLOW);
    expect(row).toHaveAttribute('data-state', 'overdue');
    expect(fakeApi.callsTo('GET', '/api/v1/postmortems/action-items')[0].params).toMatchObject({ state: 'overdue' });
    await userEvent.click(screen.getByTestId(testIds.actionItems.done));
    expect(fakeApi.callsTo('POST', '/api/v1/postmortems/action-items/a')[0].body).toEqual({ status: 'done' });
    await waitFor(() => expect(screen.getByTestId(testIds.actionItems.row)).toHaveAttribute('data-state', 'done'));
  });
});
