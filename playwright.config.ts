/**
 * @grafana/plugin-e2e specs (tests/e2e) against a REAL Grafana with the plugin, e.g. `docker compose up`
 * after `npm run build`. They run only when GRAFANA_URL is set (npm test's `e2e` step checks it):
 *   GRAFANA_URL=http://localhost:3000 OPSDECK_API_URL=http://localhost:8787 \
 *   OPSDECK_API_TOKEN=… OPSDECK_WEBHOOK_TOKEN=… npx playwright test
 * The browser suite that runs on every machine has its own config: tests/browser/playwright.config.ts.
 */
import { dirname } from 'node:path';
import { defineConfig } from '@playwright/test';
import type { PluginOptions } from '@grafana/plugin-e2e';
import { CHROMIUM_LAUNCH_OPTIONS } from './tests/support/chromium';

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

export default defineConfig<PluginOptions>({
  testDir: './tests/e2e',
  outputDir: './test-results',
  timeout: 90_000,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  use: {
    baseURL: process.env.GRAFANA_URL ?? 'http://localhost:3000',
    trace: 'on-first-retry',
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
  projects: [
    // plugin-e2e's own login step: signs in as Grafana's admin and stores the session.
    { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
    {
      name: 'run-tests',
      use: { storageState: 'playwright/.auth/admin.json' },
      dependencies: ['auth'],
    },
  ],
});
