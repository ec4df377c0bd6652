import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { aMe, anIncidentDetail, aRunbookDetail } from '../../../../tests/fixtures/builders';
import type { StatusUpdate, StatusUpdateRequest } from '../../../contract/communication';
import { fakeApi, resetFakes, setOrgRole } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const ID = '01JH0000000000000000000001';
const TEMPLATES = [
  { stage: 'investigating', message: 'We are investigating the relay.' },
  { stage: 'identified', message: 'Cause found.' },
  { stage: 'monitoring', message: 'Watching.' },
  { stage: 'resolved', message: 'Fixed.' },
];

beforeEach(() => {
  resetFakes();
  setOrgRole('Editor');
  fakeApi.on('GET /api/v1/me', aMe({ global_role: 'operator' }));
  fakeApi.on('GET /api/v1/admin/runbooks/:id', aRunbookDetail());
  fakeApi.on('GET /api/v1/approvals', { items: [], next_cursor: null });
  fakeApi.on('GET /api/v1/incidents/:id', anIncidentDetail({ id: ID }));
});

describe('updates panel', () => {
  it('starts from the stage template, posts the edited message to the chosen audience, and lists it', async () => {
    const posted: StatusUpdate[] = [];
    fakeApi.on('GET /api/v1/incidents/:id/updates', () => ({ items: [...posted].reverse(), templates: TEMPLATES }));
    fakeApi.on('POST /api/v1/incidents/:id/updates', (call) => {
      const body = call.body as StatusUpdateRequest;
      const update: StatusUpdate = {
        id: `u${posted.length}`,
        incident_id: ID,
        incident_title: 'Outbox relay degraded',
        tenant: 'platform',
        project: 'platform',
        stage: body.stage,
        audience: body.audience,
        message: body.message ?? '',
        posted_by: 'alice',
        posted_at: '2026-11-23T10:05:00.000Z',
        initial_response: posted.length === 0,
      };
      posted.push(update);
      return update;
    });
    renderApp(`incidents/${ID}`);
    const panel = await screen.findByTestId(testIds.updates.panel, {}, SLOW);
    const message = within(panel).getByTestId(testIds.updates.message) as HTMLTextAreaElement;
    await waitFor(() => expect(message.value).toBe('We are investigating the relay.'));
    await userEvent.type(message, ' Next update in 30 min.');
    await userEvent.click(within(panel).getByLabelText('External (status feed)'));
    await userEvent.click(within(panel).getByTestId(testIds.updates.submit));
    await waitFor(() => expect(fakeApi.callsTo('POST', `/api/v1/incidents/${ID}/updates`)).toHaveLength(1));
    expect(fakeApi.callsTo('POST', `/api/v1/incidents/${ID}/updates`)[0].body).toEqual({
      stage: 'investigating',
      audience: 'external',
      message: 'We are investigating the relay. Next update in 30 min.',
    });
    const entry = await within(panel).findByTestId(testIds.updates.entry);
    expect(entry).toHaveTextContent('alice · investigating · external · initial response');
    expect(entry).toHaveTextContent('We are investigating the relay. Next update in 30 min.');
  });
});
