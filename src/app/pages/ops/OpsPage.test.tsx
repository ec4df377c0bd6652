import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { locationService } from '@grafana/runtime';

import { aDecisionHeader, aHealthBlock, aMe, anIncidentCard, anOverview } from '../../../../tests/fixtures/builders';
import { apiError, fakeApi, proxyError, resetFakes } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const OVERVIEW = 'GET /api/v1/admin/ops/overview';

beforeEach(() => {
  resetFakes();
  fakeApi.on('GET /api/v1/me', aMe());
});

async function renderOps() {
  renderApp('ops');
  return screen.findByTestId(testIds.ops.page, {}, SLOW);
}

describe('ops page', () => {
  it('shows the five sections in the fixed order', async () => {
    fakeApi.on(OVERVIEW, anOverview());
    await renderOps();
    await screen.findByText('Outbox relay degraded for provisioning');
    const order = screen.getAllByTestId(testIds.ops.section).map((section) => section.getAttribute('data-section'));
    expect(order).toEqual([
      'decision_header',
      'action_required',
      'health_summary',
      'investigation_tools',
      'fleet_detail',
    ]);
  });

  it('shows a loading state, then the data', async () => {
    let release: (value: unknown) => void = () => undefined;
    fakeApi.on(OVERVIEW, () => new Promise((resolve) => (release = resolve)));
    await renderOps();
    expect(screen.getByTestId(testIds.state.loading)).toBeInTheDocument();
    await act(async () => release(anOverview()));
    expect(await screen.findByTestId(testIds.ops.openTotal)).toHaveTextContent('1');
    expect(screen.queryByTestId(testIds.state.loading)).not.toBeInTheDocument();
  });

  it("shows the API's error message and a copyable correlation ID when the overview fails", async () => {
    fakeApi.on(OVERVIEW, apiError(503, 'not_ready', 'store is not reachable', 'req-failing-42'));
    await renderOps();
    const error = await screen.findByTestId(testIds.state.error);
    expect(error).toHaveTextContent('store is not reachable');
    expect(error).toHaveTextContent('not_ready');
    expect(within(error).getByTestId(testIds.state.correlationId)).toHaveTextContent('req-failing-42');
    expect(within(error).getByRole('button', { name: /copy correlation id/i })).toBeInTheDocument();
  });

  it('explains a proxy failure (no envelope) without inventing a correlation ID', async () => {
    fakeApi.on(OVERVIEW, proxyError(502));
    await renderOps();
    const error = await screen.findByTestId(testIds.state.error);
    expect(error).toHaveTextContent(/companion API running/);
    expect(within(error).queryByTestId(testIds.state.correlationId)).not.toBeInTheDocument();
  });

  it('retries from the error state', async () => {
    fakeApi.on(OVERVIEW, apiError(500, 'internal_error', 'boom'));
    await renderOps();
    await screen.findByTestId(testIds.state.error);
    fakeApi.on(OVERVIEW, anOverview());
    await userEvent.click(screen.getByRole('button', { name: /try again/i }));
    expect(await screen.findByTestId(testIds.ops.openTotal)).toBeInTheDocument();
  });

  describe('decision header', () => {
    it('counts open incidents by severity and pending approvals', async () => {
      fakeApi.on(
        OVERVIEW,
        anOverview({
          decision_header: aDecisionHeader({
            open_incidents: { total: 5, by_severity: { sev1: 2, sev2: 3, sev3: 0, sev4: 0 } },
            pending_approvals: 4,
          }),
        })
      );
      await renderOps();
      expect(await screen.findByTestId(testIds.ops.openTotal)).toHaveTextContent('5');
      expect(screen.getByTestId(testIds.ops.severityCount('sev1'))).toHaveTextContent('SEV1 2');
      expect(screen.getByTestId(testIds.ops.severityCount('sev2'))).toHaveTextContent('SEV2 3');
      expect(screen.getByTestId(testIds.ops.severityCount('sev3'))).toHaveTextContent('SEV3 0');
      expect(screen.getByTestId(testIds.ops.pendingApprovals)).toHaveTextContent('4');
    });

    it('names the silent senders when a heartbeat is late', async () => {
      fakeApi.on(
        OVERVIEW,
        anOverview({
          decision_header: aDecisionHeader({
            stale: true,
            data_freshness_seconds: 420,
            stale_after_seconds: 300,
            delivery: {
              state: 'silent',
              senders: [
                {
                  source: 'alertmanager',
                  last_heartbeat_at: '2026-11-23T10:00:00Z',
                  age_seconds: 420,
                  heartbeats: 9,
                  late: true,
                },
                {
                  source: 'grafana',
                  last_heartbeat_at: '2026-11-23T10:00:00Z',
                  age_seconds: 420,
                  heartbeats: 9,
                  late: true,
                },
              ],
              silent_senders: ['alertmanager', 'grafana'],
            },
          }),
        })
      );
      await renderOps();
      const warning = await screen.findByTestId(testIds.ops.staleWarning);
      expect(warning).toHaveTextContent('Delivery path silent for 7m (Alertmanager, Grafana)');
      expect(screen.getByTestId(testIds.ops.freshness)).toHaveTextContent('Silent');
    });

    it('a quiet system with healthy heartbeats is green: no stale warning above "nothing needs you"', async () => {
      fakeApi.on(OVERVIEW, anOverview({ action_required: { cards: [] } }));
      await renderOps();
      await screen.findByTestId(testIds.ops.freshness);
      expect(screen.queryByTestId(testIds.ops.staleWarning)).not.toBeInTheDocument();
      expect(screen.getByTestId(testIds.ops.freshness)).toHaveTextContent('Alive');
      expect(screen.getByTestId(testIds.ops.freshness)).toHaveTextContent('heartbeat 15s ago (Alertmanager)');
    });

    it('says the path is unproven, without a stale warning, when no heartbeat ever arrived', async () => {
      fakeApi.on(
        OVERVIEW,
        anOverview({
          decision_header: aDecisionHeader({
            stale: false,
            data_freshness_seconds: null,
            delivery: { state: 'unproven', senders: [], silent_senders: [] },
          }),
        })
      );
      await renderOps();
      const tile = await screen.findByTestId(testIds.ops.freshness);
      expect(tile).toHaveTextContent('No heartbeat yet');
      expect(screen.queryByTestId(testIds.ops.staleWarning)).not.toBeInTheDocument();
    });

    it('states the source mode and shows the degraded guidance', async () => {
      fakeApi.on(
        OVERVIEW,
        anOverview({
          decision_header: aDecisionHeader({
            source_mode: 'in_memory',
            degraded: true,
            guidance: 'Prometheus timed out after 2 s; check OPSDECK_PROMETHEUS_URL.',
          }),
        })
      );
      await renderOps();
      expect(await screen.findByTestId(testIds.ops.sourceMode)).toHaveTextContent('In-memory');
      expect(screen.getByTestId(testIds.ops.degradedGuidance)).toHaveTextContent(
        'Prometheus timed out after 2 s; check OPSDECK_PROMETHEUS_URL.'
      );
    });

    it('shows no guidance when not degraded', async () => {
      fakeApi.on(OVERVIEW, anOverview());
      await renderOps();
      expect(await screen.findByTestId(testIds.ops.sourceMode)).toHaveTextContent('Prometheus backend');
      expect(screen.queryByTestId(testIds.ops.degradedGuidance)).not.toBeInTheDocument();
    });
  });

  describe('action required', () => {
    it('shows each card with runbook links opened for that incident, the Explore link, age and owner', async () => {
      fakeApi.on(OVERVIEW, anOverview());
      await renderOps();
      const card = await screen.findByTestId(testIds.ops.incidentCard);
      expect(card).toHaveTextContent('platform-messaging');
      expect(card).toHaveTextContent('open 12m');
      const runbook = within(card).getByTestId(testIds.ops.runbookLink);
      expect(runbook).toHaveAttribute(
        'href',
        '/a/opsdeck-ops-app/runbooks/ops.outbox.relay?incident=01JH0000000000000000000001'
      );
      expect(within(card).getByTestId(testIds.ops.exploreLink)).toHaveAttribute(
        'href',
        expect.stringMatching(/^\/explore\?/)
      );
      expect(within(card).queryByTestId(testIds.ops.missingRunbook)).not.toBeInTheDocument();
    });

    it('puts the severity and status badges beside the card title, not in the far-right tags column (issue 15)', async () => {
      fakeApi.on(OVERVIEW, anOverview());
      await renderOps();
      const card = await screen.findByTestId(testIds.ops.incidentCard);
      const heading = within(card).getByRole('heading', { name: /Outbox relay degraded for provisioning/ });
      expect(within(heading).getByText('SEV1')).toBeInTheDocument();
    });

    it('flags a card without a runbook', async () => {
      fakeApi.on(
        OVERVIEW,
        anOverview({
          action_required: {
            cards: [anIncidentCard({ runbooks: [], missing_runbook: true, first_saved_query: null })],
          },
        })
      );
      await renderOps();
      const card = await screen.findByTestId(testIds.ops.incidentCard);
      expect(within(card).getByTestId(testIds.ops.missingRunbook)).toHaveTextContent('No runbook');
      expect(within(card).queryByTestId(testIds.ops.runbookLink)).not.toBeInTheDocument();
      // Issue 15: never "Start from the saved query" beside "No saved query for this signal".
      expect(card).not.toHaveTextContent('Start from the saved query');
      expect(card).toHaveTextContent("Start from the alert's labels");
    });

    it('names the unknown runbook_id instead of asking for an annotation the alert has (issue 15)', async () => {
      fakeApi.on(
        OVERVIEW,
        anOverview({
          action_required: {
            cards: [
              anIncidentCard({
                runbooks: [],
                missing_runbook: true,
                unknown_runbook_ids: ['ops.billing.typo'],
                first_saved_query: null,
              }),
            ],
          },
        })
      );
      await renderOps();
      const note = within(await screen.findByTestId(testIds.ops.incidentCard)).getByTestId(testIds.ops.missingRunbook);
      expect(note).toHaveTextContent('runbook_id ops.billing.typo is not in the catalog');
      expect(note).not.toHaveTextContent('add a runbook_id annotation');
    });

    it('keeps the order the API gives (severity first)', async () => {
      const cards = [
        anIncidentCard({ incident_id: 'a', title: 'First sev1', severity: 'sev1' }),
        anIncidentCard({ incident_id: 'b', title: 'Then sev2', severity: 'sev2' }),
        anIncidentCard({ incident_id: 'c', title: 'Then sev3', severity: 'sev3' }),
      ];
      fakeApi.on(OVERVIEW, anOverview({ action_required: { cards } }));
      await renderOps();
      await screen.findByText('First sev1');
      expect(screen.getAllByTestId(testIds.ops.incidentCard).map((card) => card.getAttribute('data-severity'))).toEqual(
        ['sev1', 'sev2', 'sev3']
      );
    });

    it('shows the top few as full cards and the rest one line each, grouped by severity (storm, issue 15)', async () => {
      const severities = [
        'sev1',
        'sev1',
        'sev2',
        'sev2',
        'sev2',
        'sev2',
        'sev3',
        'sev3',
        'sev3',
        'sev3',
        'sev4',
        'sev4',
      ] as const;
      const cards = severities.map((severity, i) =>
        anIncidentCard({ incident_id: `i${i}`, title: `Incident ${i}`, severity })
      );
      fakeApi.on(OVERVIEW, anOverview({ action_required: { cards } }));
      await renderOps();
      await screen.findByText('Incident 0');
      expect(screen.getAllByTestId(testIds.ops.incidentCard)).toHaveLength(3);
      const rows = screen.getAllByTestId(testIds.ops.compactRow);
      expect(rows.map((row) => row.getAttribute('data-incident-id'))).toEqual(cards.slice(3).map((c) => c.incident_id));
      expect(within(rows[0]).getByRole('link', { name: 'Incident 3' })).toHaveAttribute(
        'href',
        expect.stringContaining('/incidents/i3')
      );
      const groups = screen
        .getAllByTestId(testIds.ops.compactGroup)
        .map((group) => group.getAttribute('data-severity'));
      expect(groups).toEqual(['sev2', 'sev3', 'sev4']);
      expect(screen.getAllByTestId(testIds.ops.compactGroup)[0]).toHaveTextContent('SEV2 · 3 more');
    });

    it('says so when nothing is open', async () => {
      fakeApi.on(OVERVIEW, anOverview({ action_required: { cards: [] } }));
      await renderOps();
      expect(await screen.findByText(/No open incidents/)).toBeInTheDocument();
    });
  });

  describe('health summary', () => {
    it('shows status, value against threshold and the investigation path for every block', async () => {
      fakeApi.on(OVERVIEW, anOverview());
      await renderOps();
      const blocks = await screen.findAllByTestId(testIds.ops.healthBlock);
      expect(blocks).toHaveLength(2);
      const [errors, outbox] = blocks;
      expect(errors).toHaveAttribute('data-status', 'ok');
      expect(errors).toHaveTextContent('1.2%');
      expect(errors).toHaveTextContent('warn > 2% · crit > 5%');
      expect(within(errors).getByRole('link', { name: /panel/i })).toHaveAttribute(
        'href',
        '/d/opsdeck-golden-signals?viewPanel=3'
      );
      expect(within(errors).getByRole('link', { name: /runbook/i })).toHaveAttribute(
        'href',
        '/a/opsdeck-ops-app/runbooks/ops.api.error_rate'
      );
      expect(outbox).toHaveAttribute('data-status', 'crit');
      expect(outbox).toHaveTextContent('420 s');
      expect(outbox).toHaveTextContent('Critical');
    });

    it('shows "no data" for a block without a value', async () => {
      fakeApi.on(
        OVERVIEW,
        anOverview({ health_summary: { blocks: [aHealthBlock({ value: null, status: 'unknown' })] } })
      );
      await renderOps();
      const block = await screen.findByTestId(testIds.ops.healthBlock);
      expect(block).toHaveTextContent('no data');
      expect(block).toHaveTextContent('No data');
    });

    it('shows the firing incidents, not "no data" with a Critical badge, and what each block measures (issue 15)', async () => {
      fakeApi.on(
        OVERVIEW,
        anOverview({
          health_summary: {
            blocks: [
              aHealthBlock({
                key: 'saturation',
                title: 'Saturation',
                value: null,
                status: 'crit',
                measures: 'open_incidents',
                open_incidents: 1,
                basis: 'No metrics backend: 1 open incident of host_saturation_high firing (worst sev1)',
              }),
              aHealthBlock({
                key: 'traffic',
                title: 'Traffic',
                value: 0.4,
                unit: 'requests/s',
                comparison: '<',
                threshold: null,
                warn_threshold: null,
                measures: 'api_process',
                basis: 'Measures this Opsdeck API process only, over the last 5 minutes (no metrics backend)',
              }),
            ],
          },
        })
      );
      await renderOps();
      const [saturation, traffic] = await screen.findAllByTestId(testIds.ops.healthBlock);
      expect(saturation).not.toHaveTextContent('no data');
      expect(saturation).toHaveTextContent('1 incident firing');
      expect(saturation).toHaveTextContent('host_saturation_high firing (worst sev1)');
      expect(traffic).not.toHaveTextContent('crit <');
      expect(traffic).toHaveTextContent('no alarm level');
      expect(traffic).toHaveTextContent('this Opsdeck API process');
    });
  });

  describe('investigation tools', () => {
    it('lists the relevant saved queries and searches a correlation ID', async () => {
      const push = jest.spyOn(locationService, 'push').mockImplementation(() => undefined);
      fakeApi.on(OVERVIEW, anOverview());
      await renderOps();
      expect(await screen.findByTestId(testIds.ops.savedQuery)).toHaveTextContent('cited by ops.outbox.relay');
      const submit = screen.getByTestId(testIds.ops.correlationSubmit);
      expect(submit).toBeDisabled();
      await userEvent.type(screen.getByTestId(testIds.ops.correlationInput), 'req-7f2c9a11{enter}');
      expect(push).toHaveBeenCalledWith('/a/opsdeck-ops-app/investigate?correlation_id=req-7f2c9a11');
    });
  });

  describe('fleet detail', () => {
    it('is collapsed by default and opens on demand', async () => {
      fakeApi.on(OVERVIEW, anOverview());
      await renderOps();
      const toggle = await screen.findByRole('button', { name: /fleet and sample detail/i });
      expect(toggle).toHaveAttribute('aria-expanded', 'false');
      expect(screen.queryByTestId(testIds.ops.fleetTable)).not.toBeInTheDocument();
      await userEvent.click(toggle);
      expect(toggle).toHaveAttribute('aria-expanded', 'true');
      expect(screen.getByTestId(testIds.ops.fleetTable)).toBeVisible();
      expect(screen.getByTestId(testIds.ops.fleetTable)).toHaveTextContent('platform_control');
    });
  });

  describe('auto-refresh', () => {
    afterEach(() => jest.useRealTimers());

    it('refreshes every 30 s in place, keeping focus, and stops while paused', async () => {
      jest.useFakeTimers({ advanceTimers: true });
      fakeApi.on(OVERVIEW, anOverview());
      await renderOps();
      const input = await screen.findByTestId(testIds.ops.correlationInput);
      input.focus();
      fireEvent.change(input, { target: { value: 'half-typed' } });
      expect(fakeApi.callsTo('GET', '/api/v1/admin/ops/overview')).toHaveLength(1);

      fakeApi.on(
        OVERVIEW,
        anOverview({
          decision_header: aDecisionHeader({
            open_incidents: { total: 7, by_severity: { sev1: 7, sev2: 0, sev3: 0, sev4: 0 } },
          }),
        })
      );
      await act(async () => {
        jest.advanceTimersByTime(30_000);
      });
      await waitFor(() => expect(screen.getByTestId(testIds.ops.openTotal)).toHaveTextContent('7'));
      expect(fakeApi.callsTo('GET', '/api/v1/admin/ops/overview')).toHaveLength(2);
      expect(document.activeElement).toBe(input);
      expect(input).toHaveValue('half-typed');

      fireEvent.click(screen.getByTestId(testIds.ops.refreshPause));
      await act(async () => {
        jest.advanceTimersByTime(120_000);
      });
      expect(fakeApi.callsTo('GET', '/api/v1/admin/ops/overview')).toHaveLength(2);
      expect(screen.getByTestId(testIds.ops.lastUpdated)).toHaveTextContent('auto-refresh paused');

      fireEvent.click(screen.getByTestId(testIds.ops.refreshPause));
      await act(async () => {
        jest.advanceTimersByTime(30_000);
      });
      expect(fakeApi.callsTo('GET', '/api/v1/admin/ops/overview')).toHaveLength(3);
    });

    it('keeps the last answer and says so when a refresh fails', async () => {
      jest.useFakeTimers({ advanceTimers: true });
      fakeApi.on(OVERVIEW, anOverview());
      await renderOps();
      await screen.findByTestId(testIds.ops.incidentCard);
      fakeApi.on(OVERVIEW, apiError(500, 'internal_error', 'database went away', 'req-refresh-1'));
      await act(async () => {
        jest.advanceTimersByTime(30_000);
      });
      expect(await screen.findByText(/last refresh failed/i)).toBeInTheDocument();
      expect(screen.getByTestId(testIds.ops.incidentCard)).toBeInTheDocument();
      expect(screen.getByText('req-refresh-1')).toBeInTheDocument();
    });
  });

  it('sends the selected project as X-Project-ID through the read route', async () => {
    fakeApi.on(OVERVIEW, anOverview());
    await renderOps();
    await screen.findByTestId(testIds.ops.incidentCard);
    const [call] = fakeApi.callsTo('GET', '/api/v1/admin/ops/overview');
    expect(call.route).toBe('read');
    expect(call.headers['X-Project-ID']).toBe('*');
  });
});
