import { screen } from '@testing-library/react';

import { aCorrelationLookup, aMe } from '../../../../tests/fixtures/builders';
import { fakeApi, resetFakes } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

beforeEach(() => {
  resetFakes();
  fakeApi.on('GET /api/v1/me', aMe());
});

describe('investigate page', () => {
  it('asks for an ID when none is given', async () => {
    renderApp('investigate');
    expect(await screen.findByText(/Paste a correlation ID/, {}, SLOW)).toBeInTheDocument();
  });

  it('shows incidents, alerts, API requests, audit rows and Explore links for the ID', async () => {
    fakeApi.on('GET /api/v1/correlations/:id', aCorrelationLookup());
    renderApp('investigate?correlation_id=req-7f2c9a11');
    const results = await screen.findByTestId(testIds.investigate.results, {}, SLOW);
    expect(fakeApi.callsTo('GET', '/api/v1/correlations/req-7f2c9a11')).toHaveLength(1);
    expect(results).toHaveTextContent('Outbox relay degraded for provisioning');
    expect(results).toHaveTextContent('OutboxRelayDegraded');
    expect(results).toHaveTextContent('POST /api/v1/approvals');
    expect(results).toHaveTextContent('separation_of_duties');
    expect(results).toHaveTextContent('approval.decide');
    expect(screen.getByRole('link', { name: /Logs for this correlation ID/ })).toHaveAttribute(
      'href',
      '/explore?schemaVersion=1&panes=%7B%7D'
    );
  });

  it('says when nothing is known under the ID', async () => {
    fakeApi.on(
      'GET /api/v1/correlations/:id',
      aCorrelationLookup({ incidents: [], alerts: [], audit: [], requests: [], trace_ids: [] })
    );
    renderApp('investigate?correlation_id=req-unknown-1');
    expect(await screen.findByText(/no incident, alert, audit row or API request/, {}, SLOW)).toBeInTheDocument();
  });
});
