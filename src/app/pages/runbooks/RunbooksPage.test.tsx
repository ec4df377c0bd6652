import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import {
  aMe,
  aRunbookDetail,
  aRunbookList,
  aRunbookListItem,
  anIncidentDetail,
  aTimelineEntry,
} from '../../../../tests/fixtures/builders';
import { apiError, fakeApi, resetFakes, setOrgRole } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const LIST = aRunbookList([
  aRunbookListItem(),
  aRunbookListItem({
    id: 'ops.api.errors',
    title: 'API error rate',
    owner_team: 'api-edge',
    severity_hint: 'sev2',
    signal_groups: ['api_edge'],
    review_status: 'overdue',
    url: 'catalog/runbooks/api-error-rate.md',
    tags: [],
    signals: ['api_error_rate_high'],
  }),
  aRunbookListItem({
    id: 'ops.deploy.rollback',
    title: 'Deployment rollback',
    owner_team: 'platform-release',
    signal_groups: ['messaging'],
    review_status: 'due_soon',
    url: 'catalog/runbooks/deployment-rollback.md',
    tags: [],
    signals: [],
  }),
]);

beforeEach(() => {
  resetFakes();
  fakeApi.on('GET /api/v1/me', aMe());
  fakeApi.on('GET /api/v1/admin/runbooks', LIST);
});

describe('runbooks page', () => {
  it('groups runbooks by signal group with review badges', async () => {
    renderApp('runbooks');
    const groups = await screen.findAllByTestId(testIds.runbooks.group, {}, SLOW);
    expect(groups.map((group) => group.getAttribute('data-group'))).toEqual(['messaging', 'api_edge']);
    expect(within(groups[1]).getByText('Review overdue')).toBeInTheDocument();
    expect(within(groups[0]).getByText('Review due soon')).toBeInTheDocument();
    expect(within(groups[0]).getByRole('link', { name: 'Outbox relay degraded' })).toHaveAttribute(
      'href',
      '/a/opsdeck-ops-app/runbooks/ops.outbox.relay'
    );
    expect(fakeApi.calls.find((call) => call.path === '/api/v1/admin/runbooks')?.params).toEqual({
      group_by: 'signal_group',
    });
  });

  it('keeps a long signal pill inside its column, cut with an ellipsis and named in full on hover (issue 15)', async () => {
    renderApp('runbooks');
    const pill = await screen.findByText('api_error_rate_high', {}, SLOW);
    // With the table's fixed layout, a pill that may not shrink spills over the Review badge's column.
    expect(pill).toHaveStyle({ maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' });
    expect(pill).toHaveAttribute('title', 'api_error_rate_high');
  });

  it('filters by text', async () => {
    renderApp('runbooks');
    await screen.findAllByTestId(testIds.runbooks.group, {}, SLOW);
    await userEvent.type(within(screen.getByTestId(testIds.runbooks.search)).getByRole('textbox'), 'rollback');
    expect(screen.getAllByTestId(testIds.runbooks.item).map((row) => row.getAttribute('data-runbook-id'))).toEqual([
      'ops.deploy.rollback',
    ]);
  });

  it('reads filters from the URL, so a filtered view can be shared', async () => {
    renderApp('runbooks?review=overdue');
    await screen.findAllByTestId(testIds.runbooks.group, {}, SLOW);
    expect(screen.getAllByTestId(testIds.runbooks.item).map((row) => row.getAttribute('data-runbook-id'))).toEqual([
      'ops.api.errors',
    ]);
  });

  it('says when nothing matches', async () => {
    renderApp('runbooks?owner=nobody');
    expect(await screen.findByText('No runbook matches these filters.', {}, SLOW)).toBeInTheDocument();
  });

  it('offers an Opsdeck Admin to reload the catalog, through the admin route, and reports the revision', async () => {
    fakeApi.on('POST /api/v1/admin/catalog/reload', {
      reloaded: true,
      loaded_at: '2026-07-15T10:00:00.000Z',
      revision: 'abcdef0123456789',
      previous_revision: '0000',
      runbooks: 12,
      signals: 9,
      queries: 30,
      alert_rules: 14,
      warnings: [],
    });
    renderApp('runbooks');
    await userEvent.click(await screen.findByTestId(testIds.runbooks.reloadCatalog, {}, SLOW));
    expect(await screen.findByTestId(testIds.runbooks.reloadResult)).toHaveTextContent(
      'Revision abcdef012345: 12 runbooks'
    );
    const [reload] = fakeApi.callsTo('POST', '/api/v1/admin/catalog/reload');
    expect(reload.route).toBe('admin');
    expect(reload.headers['X-Project-ID']).toBeUndefined();
    // The API refuses any body on this route (issue 17): the app sends none.
    expect(reload.body).toBeUndefined();
    // The list is read again after the reload.
    expect(fakeApi.callsTo('GET', '/api/v1/admin/runbooks')).toHaveLength(2);
  });

  it('shows no reload control to a user without the Opsdeck Admin role', async () => {
    setOrgRole('Editor');
    renderApp('runbooks');
    await screen.findAllByTestId(testIds.runbooks.group, {}, SLOW);
    expect(screen.queryByTestId(testIds.runbooks.reloadCatalog)).not.toBeInTheDocument();
  });

  it('shows the envelope when the catalog cannot be read', async () => {
    fakeApi.on(
      'GET /api/v1/admin/runbooks',
      apiError(500, 'catalog_invalid', 'catalog failed validation', 'req-cat-0001')
    );
    renderApp('runbooks');
    expect(await screen.findByTestId(testIds.state.error, {}, SLOW)).toHaveTextContent('req-cat-0001');
  });
});

describe('runbook page', () => {
  it('renders the markdown safely with metadata, signals, alert rules and saved queries', async () => {
    fakeApi.on(
      'GET /api/v1/admin/runbooks/:id',
      aRunbookDetail({
        content:
          '# Outbox\n\nRun it <script>window.ran = true</script> now. [rollback](deployment-rollback.md) [x](javascript:alert(1))',
      })
    );
    fakeApi.on('GET /api/v1/queries/:id/explore-url', {
      query_id: 'outbox_relay_lag',
      datasource: 'prometheus',
      datasource_uid: 'prometheus',
      expr: 'x',
      url: '/explore?schemaVersion=1&panes=%7B%7D',
      from: 'now-1h',
      to: 'now',
    });
    renderApp('runbooks/ops.outbox.relay');
    const markdown = await screen.findByTestId(testIds.runbook.markdown, {}, SLOW);
    expect(markdown.querySelector('script')).toBeNull();
    expect((window as { ran?: boolean }).ran).toBeUndefined();
    expect(await within(markdown).findByRole('link', { name: 'rollback' })).toHaveAttribute(
      'href',
      '/a/opsdeck-ops-app/runbooks/ops.deploy.rollback'
    );
    expect(within(markdown).queryByRole('link', { name: 'x' })).toBeNull();
    expect(screen.getByTestId(testIds.runbook.metadata)).toHaveTextContent('platform-messaging');
    expect(screen.getByTestId(testIds.runbook.signals)).toHaveTextContent('Fires when > 300 s');
    expect(screen.getByTestId(testIds.runbook.alertRules)).toHaveTextContent('OutboxRelayDegraded');
    expect(
      await within(screen.getByTestId(testIds.runbook.savedQueries)).findByRole('link', { name: /outbox relay lag/i })
    ).toHaveAttribute('href', '/explore?schemaVersion=1&panes=%7B%7D');
  });

  it('is read-only without an incident and says how to record ticks', async () => {
    fakeApi.on('GET /api/v1/admin/runbooks/:id', aRunbookDetail());
    renderApp('runbooks/ops.outbox.relay');
    const steps = await screen.findAllByTestId(testIds.runbook.checklistStep, {}, SLOW);
    expect(within(steps[0]).getByRole('checkbox')).toBeDisabled();
    expect(screen.getByText(/Open this runbook from an incident/)).toBeInTheDocument();
  });

  it('opened from an incident: records runbook_opened, fills query variables, and ticks go to the timeline', async () => {
    setOrgRole('Editor');
    fakeApi.on('GET /api/v1/me', aMe({ global_role: 'operator' }));
    fakeApi.on('GET /api/v1/admin/runbooks/:id', aRunbookDetail());
    fakeApi.on('GET /api/v1/incidents/:id', anIncidentDetail());
    fakeApi.on('GET /api/v1/queries/:id/explore-url', {
      query_id: 'outbox_relay_lag',
      datasource: 'prometheus',
      datasource_uid: 'prometheus',
      expr: 'x',
      url: '/explore?x=1',
      from: 'now-1h',
      to: 'now',
    });
    fakeApi.on('POST /api/v1/incidents/:id/timeline', aTimelineEntry({ kind: 'checklist_step_done' }));
    renderApp('runbooks/ops.outbox.relay?incident=01JH0000000000000000000001');
    expect(await screen.findByTestId(testIds.runbook.incidentBanner, {}, SLOW)).toHaveTextContent(
      'Outbox relay degraded for provisioning'
    );
    const steps = await screen.findAllByTestId(testIds.runbook.checklistStep);
    await userEvent.click(within(steps[2]).getByRole('checkbox'));
    const posts = () =>
      fakeApi.callsTo('POST', '/api/v1/incidents/01JH0000000000000000000001/timeline').map((call) => call.body);
    expect(posts()).toContainEqual({ kind: 'runbook_opened', runbook_id: 'ops.outbox.relay' });
    await screen.findAllByTestId(testIds.runbook.checklistStep);
    expect(posts()).toContainEqual({
      kind: 'checklist_step_done',
      runbook_id: 'ops.outbox.relay',
      step_id: 'mitigation-1',
      done: true,
    });
    expect(fakeApi.callsTo('GET', '/api/v1/queries/outbox_relay_lag/explore-url')[0].params).toEqual({
      correlation_id: 'req-7f2c9a11',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      resource_name: 'core42:aicloud:uae-north:platform:platform:service:outbox-relay',
      host_role: 'platform_control',
    });
  });

  it('shows the envelope for an unknown runbook', async () => {
    fakeApi.on(
      'GET /api/v1/admin/runbooks/:id',
      apiError(404, 'runbook_not_found', 'no runbook ops.nope', 'req-rb-404')
    );
    renderApp('runbooks/ops.nope');
    const error = await screen.findByTestId(testIds.state.error, {}, SLOW);
    expect(error).toHaveTextContent('no runbook ops.nope');
    expect(error).toHaveTextContent('req-rb-404');
  });
});
