import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { render, screen } from '@testing-library/react';
import { PluginType, type AppRootProps } from '@grafana/data';

import { testIds } from '../../testIds';
import App from './App';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  PluginPage: ({ children }: { children: React.ReactNode }) => <>{children}</>,
}));

function appRootProps(): AppRootProps {
  return {
    basename: '/a/opsdeck-ops-app',
    meta: {
      id: 'opsdeck-ops-app',
      name: 'Opsdeck',
      type: PluginType.app,
      enabled: true,
      jsonData: {},
      info: {
        author: { name: 'Opsdeck' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
      module: '',
      baseUrl: '',
    },
    query: {},
    path: '/a/opsdeck-ops-app',
    onNavChanged: jest.fn(),
  };
}

describe('App root', () => {
  it('renders the ops page at its default route', async () => {
    render(
      <MemoryRouter initialEntries={['/']}>
        <App {...appRootProps()} />
      </MemoryRouter>
    );
    expect(screen.getByTestId(testIds.app.root)).toBeInTheDocument();
    expect(await screen.findByTestId(testIds.ops.page, {}, { timeout: 5000 })).toBeInTheDocument();
  });
});
