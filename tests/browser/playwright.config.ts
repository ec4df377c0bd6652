/**
 * The browser suite: the BUILT plugin (dist/) in real Chromium (Debian's /usr/bin/chromium, never a
 * downloaded browser) inside the host page of ./host, against the real companion API.
 * Run: npx playwright test -c tests/browser/playwright.config.ts   (npm test runs it as the `browser` step)
 */
import { defineConfig } from '@playwright/test';

import { CHROMIUM_LAUNCH_OPTIONS } from '../support/chromium';

export default defineConfig({
  testDir: './specs',
  outputDir: './artifacts/test-results',
  globalSetup: './global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // One worker: the specs share one seeded API, and the machine has 2 cores shared with others.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
});
