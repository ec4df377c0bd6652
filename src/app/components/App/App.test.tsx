import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { aMe, anOverview } from '../../../../tests/fixtures/builders';
import { apiError, fakeApi, resetFakes } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

beforeEach(() => {
  resetFakes();
  fakeApi.on('GET /api/v1/admin/ops/overview', anOverview());
});

describe('App root', () => {
  it('sends unknown paths to the ops page', async () => {
    fakeApi.on('GET /api/v1/me', aMe());
    renderApp('nowhere');
    expect(await screen.findByTestId(testIds.ops.page, {}, SLOW)).toBeInTheDocument();
  });

  it('offers * and the user’s projects, and sends the chosen one as X-Project-ID', async () => {
    fakeApi.on('GET /api/v1/me', aMe());
    renderApp('ops');
    await screen.findByTestId(testIds.ops.incidentCard, {}, SLOW);
    expect(fakeApi.callsTo('GET', '/api/v1/admin/ops/overview')[0].headers['X-Project-ID']).toBe('*');
    // Keyboard only: the option list is virtualised and has no size in jsdom.
    await userEvent.click(screen.getByRole('combobox', { name: /project/i }));
    await userEvent.keyboard('vision{ArrowDown}{Enter}');
    await screen.findByTestId(testIds.ops.incidentCard);
    const calls = fakeApi.callsTo('GET', '/api/v1/admin/ops/overview');
    expect(calls[calls.length - 1].headers['X-Project-ID']).toBe('acme/vision');
    expect(window.localStorage.getItem('opsdeck-ops-app.project')).toBe('acme/vision');
  });

  it('starts in the only project of a user without a global role', async () => {
    fakeApi.on(
      'GET /api/v1/me',
      aMe({ global_role: null, projects: [{ tenant: 'acme', project: 'vision', role: 'operator' }] })
    );
    renderApp('ops');
    await screen.findByTestId(testIds.ops.incidentCard, {}, SLOW);
    expect(fakeApi.callsTo('GET', '/api/v1/admin/ops/overview')[0].headers['X-Project-ID']).toBe('acme/vision');
  });

  it('still works when /api/v1/me fails, asking for every project', async () => {
    fakeApi.on('GET /api/v1/me', apiError(500, 'internal_error', 'boom'));
    renderApp('ops');
    await screen.findByTestId(testIds.ops.incidentCard, {}, SLOW);
    expect(fakeApi.callsTo('GET', '/api/v1/admin/ops/overview')[0].headers['X-Project-ID']).toBe('*');
    expect(screen.getByLabelText('Projects could not be loaded')).toBeInTheDocument();
  });
});
