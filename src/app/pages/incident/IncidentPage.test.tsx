import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import {
  aMe,
  anApproval,
  anIncidentAlert,
  anIncidentDetail,
  aRunbookDetail,
  aTimelineEntry,
  minutesAfter,
} from '../../../../tests/fixtures/builders';
import type { TimelineEntry } from '../../../contract/incidents';
import { apiError, fakeApi, resetFakes, setOrgRole } from '../../test/fakeRuntime';
import { isDisabled, renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const ID = '01JH0000000000000000000001';

beforeEach(() => {
  resetFakes();
  setOrgRole('Editor');
  fakeApi.on('GET /api/v1/me', aMe({ global_role: 'operator' }));
  fakeApi.on('GET /api/v1/admin/runbooks/:id', aRunbookDetail());
  fakeApi.on('GET /api/v1/approvals', {
    items: [anApproval({ status: 'approved' }), anApproval({ id: 'a2', action_title: 'Replay the DLQ' })],
    next_cursor: null,
  });
  // The panels of issue 12 (Request action, Updates) read these; answered empty so they stay quiet.
  fakeApi.on('GET /api/v1/incidents/:id/recommendations', {
    incident_id: ID,
    items: [],
    top_action_id: null,
    no_history: true,
  });
  fakeApi.on('GET /api/v1/actions', { items: [] });
  fakeApi.on('GET /api/v1/incidents/:id/updates', { items: [], templates: [] });
});

async function renderIncident() {
  renderApp(`incidents/${ID}`);
  return screen.findByTestId(testIds.incident.header, {}, SLOW);
}

describe('incident page', () => {
  it('shows severity, status, MTTA and MTTR, alerts, queries, approvals and the timeline', async () => {
    fakeApi.on(
      'GET /api/v1/incidents/:id',
      anIncidentDetail({ status: 'mitigating', mtta_seconds: 240, mttr_seconds: null })
    );
    const header = await renderIncident();
    expect(header).toHaveTextContent('MTTA4m');
    expect(header).toHaveTextContent('MTTR—');
    // Issue 15: the grouping key is not called "signal".
    expect(screen.queryByText(/· signal/)).not.toBeInTheDocument();
    expect(screen.getByText(/· grouped by/)).toBeInTheDocument();
    expect(screen.getAllByText('SEV1').length).toBeGreaterThan(0);
    expect(screen.getByText('Mitigating')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.incident.alertsTable)).toHaveTextContent('OutboxRelayDegraded');
    const queries = screen.getAllByTestId(testIds.incident.savedQuery);
    expect(within(queries[0]).getByRole('link')).toHaveAttribute('href', expect.stringMatching(/^\/explore/));
    expect(queries[1]).toHaveTextContent('Needs correlation_id');
    expect(screen.getByTestId(testIds.incident.timeline)).toHaveTextContent('OutboxRelayDegraded fired');
    const approvals = await within(screen.getByTestId(testIds.incident.approvals)).findAllByRole('link');
    // Pending first.
    expect(approvals.map((link) => link.textContent)).toEqual(['Replay the DLQ', 'Restart the outbox relay']);
    expect(fakeApi.callsTo('GET', '/api/v1/approvals')[0].params).toEqual({ incident_id: ID });
  });

  it('shows the resource name and trace IDs whole-line with a copy button each (issue 15)', async () => {
    fakeApi.on('GET /api/v1/incidents/:id', anIncidentDetail());
    const header = await renderIncident();
    expect(
      within(header).getByRole('button', { name: 'Copy trace ID 4bf92f3577b34da6a3ce929d0e0e4736' })
    ).toBeInTheDocument();
    expect(
      within(header).getByRole('button', {
        name: 'Copy resource name core42:aicloud:uae-north:platform:platform:service:outbox-relay',
      })
    ).toBeInTheDocument();
  });

  it('counts "Open for" from the incident, not its first alert (issue 15)', async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    fakeApi.on(
      'GET /api/v1/incidents/:id',
      anIncidentDetail({
        opened_at: ago(30.5),
        alerts: [anIncidentAlert({ starts_at: ago(180) })],
      })
    );
    expect(await renderIncident()).toHaveTextContent('Open for30m');
  });

  it('shows how long a resolved incident was open, not a clock still running', async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    fakeApi.on(
      'GET /api/v1/incidents/:id',
      anIncidentDetail({ status: 'resolved', opened_at: ago(120.5), resolved_at: ago(100), allowed_transitions: [] })
    );
    expect(await renderIncident()).toHaveTextContent('Open for20m');
  });

  it('tells two alerts of the same name apart: distinguishing labels, summary, own start, Silence link, raw labels on expand (issue 15)', async () => {
    const disk = (instance: string, minute: string) =>
      anIncidentAlert({
        fingerprint: `fp-${instance}`,
        alertname: 'ObjectStoreDiskFull',
        labels: { alertname: 'ObjectStoreDiskFull', instance, service: 'object-store', severity: 'critical' },
        annotations: { summary: `Disk 97% full on ${instance}`, description: 'the raw annotation' },
        starts_at: `2026-11-23T10:${minute}:00Z`,
        silence_url: `http://am.example:9093/#/silences/new?filter=${instance}`,
      });
    fakeApi.on(
      'GET /api/v1/incidents/:id',
      anIncidentDetail({ alerts: [disk('gpu-worker-17', '01'), disk('gpu-worker-18', '07')] })
    );
    await renderIncident();
    const table = screen.getByTestId(testIds.incident.alertsTable);
    const rows = within(table).getAllByTestId(testIds.incident.alertRow);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('instance=gpu-worker-17');
    expect(rows[0]).not.toHaveTextContent('service=object-store');
    expect(rows[0]).toHaveTextContent('Disk 97% full on gpu-worker-17');
    expect(rows[1]).toHaveTextContent('instance=gpu-worker-18');
    expect(rows[0]).toHaveTextContent('10:01');
    expect(rows[1]).toHaveTextContent('10:07');
    expect(within(rows[1]).getByRole('link', { name: /silence/i })).toHaveAttribute(
      'href',
      'http://am.example:9093/#/silences/new?filter=gpu-worker-18'
    );
    expect(table).not.toHaveTextContent('the raw annotation');
    await userEvent.click(within(rows[0]).getByRole('button', { name: /labels and annotations/i }));
    expect(table).toHaveTextContent('the raw annotation');
    expect(table).toHaveTextContent('service');
  });

  it('offers the allowed transitions and posts the one chosen with its note', async () => {
    fakeApi.on('GET /api/v1/incidents/:id', anIncidentDetail({ allowed_transitions: ['triaging', 'resolved'] }));
    fakeApi.on('POST /api/v1/incidents/:id/transitions', anIncidentDetail({ status: 'triaging' }));
    await renderIncident();
    expect(screen.queryByTestId(testIds.incident.transition('closed'))).not.toBeInTheDocument();
    await userEvent.type(screen.getByTestId(testIds.incident.transitionNote), 'looking at the relay');
    await userEvent.click(screen.getByTestId(testIds.incident.transition('triaging')));
    await waitFor(() => expect(fakeApi.callsTo('POST', `/api/v1/incidents/${ID}/transitions`)).toHaveLength(1));
    expect(fakeApi.callsTo('POST', `/api/v1/incidents/${ID}/transitions`)[0].body).toEqual({
      to: 'triaging',
      note: 'looking at the relay',
    });
  });

  it('requires a note before closing', async () => {
    fakeApi.on(
      'GET /api/v1/incidents/:id',
      anIncidentDetail({ status: 'resolved', allowed_transitions: ['closed', 'reopened'] })
    );
    await renderIncident();
    const close = screen.getByTestId(testIds.incident.transition('closed'));
    expect(isDisabled(close)).toBe(true);
    await userEvent.type(screen.getByTestId(testIds.incident.transitionNote), 'https://wiki/pm/42');
    expect(isDisabled(screen.getByTestId(testIds.incident.transition('closed')))).toBe(false);
  });

  it('shows a refused transition with the envelope and its correlation ID', async () => {
    fakeApi.on('GET /api/v1/incidents/:id', anIncidentDetail({ allowed_transitions: ['triaging'] }));
    fakeApi.on(
      'POST /api/v1/incidents/:id/transitions',
      apiError(409, 'invalid_transition', 'detected → triaging was taken by bob', 'req-conflict-1')
    );
    await renderIncident();
    await userEvent.click(screen.getByTestId(testIds.incident.transition('triaging')));
    const error = await screen.findByTestId(testIds.state.error);
    expect(error).toHaveTextContent('detected → triaging was taken by bob');
    expect(error).toHaveTextContent('req-conflict-1');
  });

  it('shows the runbook checklist ticked from the timeline and posts ticks to the timeline', async () => {
    let timeline: TimelineEntry[] = [
      aTimelineEntry(),
      aTimelineEntry({
        id: 't2',
        at: minutesAfter(2),
        kind: 'checklist_step_done',
        data: { runbook_id: 'ops.outbox.relay', step_id: 'diagnosis-1', done: true },
      }),
    ];
    fakeApi.on('GET /api/v1/incidents/:id', () => anIncidentDetail({ timeline }));
    fakeApi.on('POST /api/v1/incidents/:id/timeline', (call) => {
      const entry = aTimelineEntry({
        id: `t${timeline.length + 1}`,
        at: minutesAfter(10),
        kind: 'checklist_step_done',
        data: call.body as Record<string, unknown>,
      });
      timeline = [...timeline, entry];
      return entry;
    });
    await renderIncident();
    const steps = await screen.findAllByTestId(testIds.incident.checklistStep);
    expect(steps.map((step) => step.getAttribute('data-checked'))).toEqual(['true', 'false', 'false']);
    await userEvent.click(within(steps[1]).getByRole('checkbox'));
    await waitFor(() =>
      expect(screen.getAllByTestId(testIds.incident.checklistStep)[1]).toHaveAttribute('data-checked', 'true')
    );
    expect(fakeApi.callsTo('POST', `/api/v1/incidents/${ID}/timeline`)[0].body).toEqual({
      kind: 'checklist_step_done',
      runbook_id: 'ops.outbox.relay',
      step_id: 'diagnosis-2',
      done: true,
    });
  });

  it('is read-only without the Operator role in Grafana, and says why', async () => {
    setOrgRole('Viewer');
    fakeApi.on('GET /api/v1/incidents/:id', anIncidentDetail());
    await renderIncident();
    expect(screen.getByTestId(testIds.incident.writeBlocked)).toHaveTextContent('opsdeck-ops-app.incidents:write');
    expect(isDisabled(screen.getByTestId(testIds.incident.transition('triaging')))).toBe(true);
    const steps = await screen.findAllByTestId(testIds.incident.checklistStep);
    expect(within(steps[0]).getByRole('checkbox')).toBeDisabled();
    expect(screen.getByTestId(testIds.incident.noteInput)).toBeDisabled();
  });

  it('adds a note', async () => {
    fakeApi.on('GET /api/v1/incidents/:id', anIncidentDetail());
    fakeApi.on('POST /api/v1/incidents/:id/notes', aTimelineEntry({ kind: 'note', summary: 'paged messaging' }));
    await renderIncident();
    await userEvent.type(screen.getByTestId(testIds.incident.noteInput), 'paged messaging');
    await userEvent.click(screen.getByTestId(testIds.incident.noteSubmit));
    await waitFor(() => expect(fakeApi.callsTo('POST', `/api/v1/incidents/${ID}/notes`)).toHaveLength(1));
    expect(fakeApi.callsTo('POST', `/api/v1/incidents/${ID}/notes`)[0].body).toEqual({ text: 'paged messaging' });
  });

  it('shows the envelope when the incident is unknown', async () => {
    fakeApi.on(
      'GET /api/v1/incidents/:id',
      apiError(404, 'incident_not_found', 'incident nope not found', 'req-404-abcd')
    );
    renderApp('incidents/nope');
    const error = await screen.findByTestId(testIds.state.error, {}, SLOW);
    expect(error).toHaveTextContent('incident nope not found');
    expect(error).toHaveTextContent('req-404-abcd');
  });
});
