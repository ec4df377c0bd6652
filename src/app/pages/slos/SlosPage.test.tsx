import { screen, within } from '@testing-library/react';

import { aMe, anIncidentSummary, aSloStatus } from '../../../../tests/fixtures/builders';
import type { SloStatusList } from '../../../contract/slo';
import { fakeApi, resetFakes, setOrgRole } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const list = (overrides: Partial<SloStatusList>): SloStatusList => ({
  items: [],
  source_mode: 'backend',
  degraded: false,
  guidance: 'Read from the SLO recording rules in Prometheus (OPSDECK_PROMETHEUS_URL).',
  generated_at: '2026-11-23T10:00:00.000Z',
  ...overrides,
});

beforeEach(() => {
  resetFakes();
  setOrgRole('Viewer');
  fakeApi.on('GET /api/v1/me', aMe());
  fakeApi.on('GET /api/v1/incidents', {
    items: [anIncidentSummary({ id: 'inc-api', signal_key: 'api_error_rate_high' })],
    next_cursor: null,
  });
});

describe('SLO page', () => {
  it('backend: shows the numbers, the critical SLO first with its obligation, and links', async () => {
    fakeApi.on(
      'GET /api/v1/slos/status',
      list({
        items: [
          aSloStatus({
            id: 'fleet-ok',
            service: 'fleet-agent',
            owner: 'fleet',
            signal_key: null,
            budget_policy_state: 'remaining',
            error_budget_remaining: 0.8,
          }),
          aSloStatus({
            id: 'api-critical',
            objective: 99.9,
            burn_rates: { '5m': 14.4, '1h': 6.1, '6h': 1.2, '1d': null, '3d': null },
            budget_policy_state: 'critical',
            error_budget_remaining: -1.25,
            policy_alerts: ['fast_burn', 'depleted'],
            obligation: 'Emergency freeze: changes to the service are refused except reliability work.',
          }),
        ],
      })
    );
    renderApp('slos');
    const rows = await screen.findAllByTestId(testIds.slos.row, {}, SLOW);
    expect(rows.map((row) => row.getAttribute('data-slo-id'))).toEqual(['api-critical', 'fleet-ok']);
    const critical = rows[0];
    expect(critical).toHaveTextContent('Critical · emergency freeze');
    expect(critical).toHaveTextContent('-125%');
    // objective 99.9 → budget 0.001; 14.4× → SLI 98.56%
    expect(critical).toHaveTextContent('SLI 98.56% (5m)');
    expect(critical).toHaveTextContent('5m 14.4× · 1h 6.1× · 6h 1.2× · 1d ? · 3d ?');
    expect(critical).toHaveTextContent('Policy: fast burn');
    expect(within(critical).getByTestId(testIds.slos.obligation)).toHaveTextContent('Emergency freeze');
    expect(within(critical).getByTestId(testIds.slos.incidentLink)).toHaveAttribute(
      'href',
      expect.stringContaining('/incidents/inc-api')
    );
    expect(within(critical).getByTestId(testIds.slos.budgetBar)).toHaveAttribute('aria-valuenow', '0');
    expect(within(rows[1]).getByTestId(testIds.slos.budgetBar)).toHaveAttribute('aria-valuenow', '80');
    expect(rows[1]).toHaveTextContent('No open incident');
    expect(screen.getByTestId(testIds.slos.sourceMode)).toHaveTextContent('Numbers from Prometheus');
  });

  it('in_memory: says what is unknown instead of showing numbers', async () => {
    fakeApi.on(
      'GET /api/v1/slos/status',
      list({
        source_mode: 'in_memory',
        degraded: true,
        guidance: 'The metrics backend failed (timeout): this answer falls back to in_memory.',
        items: [
          aSloStatus({
            burn_rates: { '5m': null, '1h': null },
            error_budget_remaining: null,
            alert_state: 'unknown',
            budget_policy_state: null,
            obligation: null,
          }),
        ],
      })
    );
    renderApp('slos');
    const [row] = await screen.findAllByTestId(testIds.slos.row, {}, SLOW);
    expect(row).toHaveAttribute('data-state', 'unknown');
    expect(row).toHaveTextContent('SLI unknown');
    expect(row).toHaveTextContent('State unknown');
    expect(row).toHaveTextContent('Alerts unknown');
    expect(within(row).getByTestId(testIds.slos.budgetBar)).toHaveAttribute('aria-valuetext', 'unknown');
    const mode = screen.getByTestId(testIds.slos.sourceMode);
    expect(mode).toHaveAttribute('data-degraded', 'true');
    expect(mode).toHaveTextContent('Prometheus failed');
    expect(mode).toHaveTextContent('falls back to in_memory');
  });
});
