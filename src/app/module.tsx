import React, { Suspense } from 'react';
import { AppPlugin, type AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';

import type { AppConfigProps } from './components/AppConfig/AppConfig';
import { AppErrorBoundary, lazyWithRetry } from './components/AppErrorBoundary';
import type { AppSettings } from './settings';

// Tiny on purpose: everything else is lazy-loaded so dist/module.js stays small. The error boundary sits
// here so that a chunk that fails to load (a deploy replaced it) reloads instead of blanking the page.
const LazyApp = lazyWithRetry(() => import(/* webpackChunkName: "app" */ './components/App/App'));
const LazyAppConfig = lazyWithRetry(
  () => import(/* webpackChunkName: "app-config" */ './components/AppConfig/AppConfig')
);

const App = (props: AppRootProps<AppSettings>) => (
  <AppErrorBoundary>
    <Suspense fallback={<LoadingPlaceholder text="Loading Opsdeck…" />}>
      <LazyApp {...props} />
    </Suspense>
  </AppErrorBoundary>
);

const AppConfig = (props: AppConfigProps) => (
  <AppErrorBoundary>
    <Suspense fallback={<LoadingPlaceholder text="Loading configuration…" />}>
      <LazyAppConfig {...props} />
    </Suspense>
  </AppErrorBoundary>
);

export const plugin = new AppPlugin<AppSettings>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
