import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { render } from '@testing-library/react';
import type { AppRootProps } from '@grafana/data';

import { anAppMeta } from '../../../tests/fixtures/grafana';
import App from '../components/App/App';
import { PLUGIN_BASE_URL } from '../constants';
import type { AppSettings } from '../settings';

export function appRootProps(jsonData: AppSettings = {}): AppRootProps<AppSettings> {
  return {
    basename: PLUGIN_BASE_URL,
    meta: anAppMeta(jsonData),
    query: {},
    path: PLUGIN_BASE_URL,
    onNavChanged: () => undefined,
  };
}

/** Renders the whole app the way Grafana mounts it: under /a/<plugin-id>/* at `path`. */
export function renderApp(path: string, jsonData: AppSettings = {}) {
  return render(
    <MemoryRouter initialEntries={[`${PLUGIN_BASE_URL}/${path.replace(/^\//, '')}`]}>
      <Routes>
        <Route path={`${PLUGIN_BASE_URL}/*`} element={<App {...appRootProps(jsonData)} />} />
      </Routes>
    </MemoryRouter>
  );
}

/** Long lazy-page waits: the first render of a chunk takes a while on 2 shared cores. */
export const SLOW = { timeout: 10_000 };

/** Grafana's Button keeps a disabled button focusable (aria-disabled) when it has a tooltip explaining why. */
export const isDisabled = (element: HTMLElement) =>
  element.hasAttribute('disabled') || element.getAttribute('aria-disabled') === 'true';

// Page tests render lazy chunks on 2 shared cores: jest's 5 s default is too tight under load.
jest.setTimeout(30_000);
