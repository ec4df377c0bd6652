import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppPlugin, type AppPluginMeta } from '@grafana/data';

import { anAppMeta } from '../../../../tests/fixtures/grafana';
import { apiError, fakeApi, resetFakes } from '../../test/fakeRuntime';
import type { AppSettings } from '../../settings';
import { testIds } from '../../testIds';
import AppConfig from './AppConfig';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

function meta(jsonData: AppSettings, tokenSet: boolean): AppPluginMeta<AppSettings> {
  return anAppMeta(jsonData, { secureJsonFields: tokenSet ? { apiToken: true } : {} });
}

function renderConfig(
  jsonData: AppSettings = { apiUrl: 'http://opsdeck-api:8787', lokiDatasourceUid: 'loki-eu' },
  tokenSet = true
) {
  const plugin = new AppPlugin<AppSettings>();
  plugin.meta = meta(jsonData, tokenSet);
  return render(<AppConfig plugin={plugin} query={{}} />);
}

beforeEach(resetFakes);

describe('app configuration', () => {
  it('shows the saved settings and a configured token without its value', () => {
    renderConfig();
    expect(screen.getByTestId(testIds.appConfig.apiUrl)).toHaveValue('http://opsdeck-api:8787');
    expect(screen.getByTestId(testIds.appConfig.datasourceUid('loki'))).toHaveValue('loki-eu');
    expect(screen.getByTestId(testIds.appConfig.apiToken)).toHaveValue('configured');
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeEnabled();
  });

  it('cannot save without an API URL and a token', async () => {
    renderConfig({}, false);
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
    await userEvent.type(screen.getByTestId(testIds.appConfig.apiUrl), 'http://api:8787');
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
    await userEvent.type(screen.getByTestId(testIds.appConfig.apiToken), 'secret-token-value');
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeEnabled();
  });

  it('tests the connection through the proxy and shows the answer', async () => {
    fakeApi.on('GET /readyz', { status: 'ready', store: 'postgres', schema_version: 4 });
    renderConfig();
    await userEvent.click(screen.getByTestId(testIds.appConfig.testConnection));
    expect(await screen.findByText(/Connected/)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.connectionResult)).toHaveTextContent(
      'Store: postgres, schema version 4'
    );
    expect(fakeApi.calls[0]).toMatchObject({ route: 'admin', path: '/readyz' });
  });

  it('shows a failed connection with the envelope and correlation ID', async () => {
    fakeApi.on('GET /readyz', apiError(503, 'not_ready', 'migrations pending', 'req-ready-01'));
    renderConfig();
    await userEvent.click(screen.getByTestId(testIds.appConfig.testConnection));
    const result = screen.getByTestId(testIds.appConfig.connectionResult);
    expect(await screen.findByText(/did not answer ready/)).toBeInTheDocument();
    expect(result).toHaveTextContent('migrations pending');
    expect(result).toHaveTextContent('req-ready-01');
  });
});
