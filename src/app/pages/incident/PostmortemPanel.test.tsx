import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { aMe, anIncidentDetail, aRunbookDetail } from '../../../../tests/fixtures/builders';
import type { Postmortem, PostmortemEditRequest } from '../../../contract/communication';
import { apiError, fakeApi, resetFakes, setOrgRole } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const ID = '01JH0000000000000000000001';

function aPostmortem(overrides: Partial<Postmortem> = {}): Postmortem {
  return {
    id: 'pm1',
    incident_id: ID,
    tenant: 'platform',
    project: 'platform',
    status: 'draft',
    external_url: null,
    markdown: '# Postmortem: Outbox relay degraded\n\n## Root causes\n',
    created_by: 'alice',
    created_at: '2026-11-23T12:00:00.000Z',
    updated_at: '2026-11-23T12:00:00.000Z',
    published_at: null,
    due_at: '2026-11-25T11:30:00.000Z',
    action_items: [
      {
        id: 'ai1',
        postmortem_id: 'pm1',
        incident_id: ID,
        tenant: 'platform',
        project: 'platform',
        title: 'Find the root cause',
        owner: 'platform-messaging',
        due_at: '2026-12-07T12:00:00.000Z',
        state: 'open',
        done_at: null,
      },
    ],
    runbooks_flagged: [],
    ...overrides,
  };
}

beforeEach(() => {
  resetFakes();
  setOrgRole('Editor');
  fakeApi.on('GET /api/v1/me', aMe({ global_role: 'operator' }));
  fakeApi.on('GET /api/v1/admin/runbooks/:id', aRunbookDetail());
  fakeApi.on('GET /api/v1/approvals', { items: [], next_cursor: null });
  fakeApi.on('GET /api/v1/incidents/:id/updates', { items: [], templates: [] });
  fakeApi.on('GET /api/v1/incidents/:id', anIncidentDetail({ id: ID, status: 'resolved', severity: 'sev1' }));
});

describe('postmortem panel', () => {
  it('creates the draft, saves an edit and publishes it', async () => {
    let current: Postmortem | null = null;
    fakeApi.on('GET /api/v1/incidents/:id/postmortem', () => {
      return current ?? apiError(404, 'postmortem_not_found', 'no postmortem yet');
    });
    fakeApi.on('POST /api/v1/incidents/:id/postmortem', () => (current = aPostmortem()));
    fakeApi.on('PUT /api/v1/incidents/:id/postmortem', (call) => {
      const body = call.body as PostmortemEditRequest;
      current = aPostmortem({
        markdown: body.markdown ?? current!.markdown,
        status: body.status ?? current!.status,
        runbooks_flagged: body.status === 'published' ? ['ops.outbox.relay'] : [],
      });
      return current;
    });
    renderApp(`incidents/${ID}`);
    const panel = await screen.findByTestId(testIds.postmortem.panel, {}, SLOW);
    expect(await within(panel).findByText(/A sev1 closes only with one/)).toBeInTheDocument();
    await userEvent.click(within(panel).getByTestId(testIds.postmortem.create));
    const editor = (await within(panel).findByTestId(testIds.postmortem.editor)) as HTMLTextAreaElement;
    expect(editor.value).toContain('## Root causes');
    expect(within(panel).getByTestId(testIds.postmortem.item)).toHaveTextContent('Find the root cause');
    await userEvent.type(editor, 'A stuck consumer.');
    await userEvent.click(within(panel).getByTestId(testIds.postmortem.save));
    await waitFor(() => expect(fakeApi.callsTo('PUT', `/api/v1/incidents/${ID}/postmortem`)).toHaveLength(1));
    expect(
      (fakeApi.callsTo('PUT', `/api/v1/incidents/${ID}/postmortem`)[0].body as PostmortemEditRequest).markdown
    ).toContain('## Root causes\nA stuck consumer.');
    await userEvent.click(within(panel).getByTestId(testIds.postmortem.publish));
    expect(await within(panel).findByText(/runbooks flagged for review: ops.outbox.relay/)).toBeInTheDocument();
    expect(within(panel).queryByTestId(testIds.postmortem.publish)).not.toBeInTheDocument();
  });

  it('says the postmortem could not be loaded instead of offering to create a second one', async () => {
    fakeApi.on('GET /api/v1/incidents/:id/postmortem', apiError(503, 'not_ready', 'store is not reachable', 'req-9'));
    renderApp(`incidents/${ID}`);
    const panel = await screen.findByTestId(testIds.postmortem.panel, {}, SLOW);
    expect(await within(panel).findByText(/store is not reachable/)).toBeInTheDocument();
    expect(within(panel).queryByTestId(testIds.postmortem.create)).not.toBeInTheDocument();
  });
});
