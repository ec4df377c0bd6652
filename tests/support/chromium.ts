/**
 * How both Playwright configs (the browser suite and the plugin-e2e specs) launch Debian's Chromium:
 * the system binary at /usr/bin/chromium, never a browser Playwright downloads, headless, without the
 * background services that would reach for the network.
 */
import type { LaunchOptions } from '@playwright/test';

export const CHROMIUM_LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
