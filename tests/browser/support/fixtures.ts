/**
 * Fixtures for the browser specs: the host URL builder, the seeded IDs, a check that the page logged no
 * console error and threw nothing, and full-page screenshots into tests/browser/artifacts/.
 */
import { expect, test as base, type Page } from '@playwright/test';
import path from 'node:path';

import { testIds } from '../../../src/app/testIds';
import type { Seeded } from './seed';

export { expect, testIds };

export type Theme = 'dark' | 'light';
export const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

interface HostFixture {
  seeded: Seeded;
  /** Opens an app path (`ops`, `incidents/<id>`, …) in the host as Grafana would serve it. */
  /**
   * `grant`/`revoke`: Opsdeck roles a Grafana admin assigned to / took from the user (on top of the one
   * their basic role carries). Without user and grant the host's default user keeps its default grant.
   */
  open(
    appPath: string,
    options?: {
      theme?: Theme;
      role?: 'Viewer' | 'Editor' | 'Admin';
      user?: string;
      grant?: string[];
      revoke?: string[];
    }
  ): Promise<void>;
  /** Opens a host path that is not under the app (the plugin config page). */
  openRaw(hostPath: string, options?: { theme?: Theme; role?: 'Viewer' | 'Editor' | 'Admin' }): Promise<void>;
  screenshot(name: string): Promise<void>;
}

export const test = base.extend<{ host: HostFixture; consoleErrors: string[]; allowedConsoleErrors: RegExp[] }>({
  /** Console errors a spec expects (e.g. the browser's own line for a 404 it provokes on purpose). */
  allowedConsoleErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') {
          errors.push(`console.error: ${message.text()} (${message.location().url})`);
        }
      });
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      await use(errors);
      expect(
        errors.filter((error) => !allowedConsoleErrors.some((allowed) => allowed.test(error))),
        'the page logged errors'
      ).toEqual([]);
    },
    { auto: true },
  ],
  host: async ({ page }, use) => {
    const baseUrl = process.env.OPSDECK_BROWSER_HOST_URL;
    const seededJson = process.env.OPSDECK_BROWSER_SEED;
    if (!baseUrl || !seededJson) {
      throw new Error('global setup did not run (OPSDECK_BROWSER_HOST_URL is unset)');
    }
    const openRaw: HostFixture['openRaw'] = async (hostPath, options = {}) => {
      const url = new URL(hostPath, baseUrl);
      url.searchParams.set('theme', options.theme ?? 'dark');
      if (options.role) {
        url.searchParams.set('role', options.role);
      }
      await page.goto(url.toString());
      await waitForHost(page);
    };
    await use({
      seeded: JSON.parse(seededJson),
      openRaw,
      open: async (appPath, options = {}) => {
        const url = new URL(`/a/opsdeck-ops-app/${appPath.replace(/^\//, '')}`, baseUrl);
        url.searchParams.set('theme', options.theme ?? 'dark');
        if (options.role) {
          url.searchParams.set('role', options.role);
        }
        if (options.user) {
          url.searchParams.set('user', options.user);
        }
        if (options.grant) {
          url.searchParams.set('grant', options.grant.join(','));
        }
        if (options.revoke) {
          url.searchParams.set('revoke', options.revoke.join(','));
        }
        await page.goto(url.toString());
        await waitForHost(page);
      },
      screenshot: async (name) => {
        // Let fonts and icons settle so the picture is what a person sees.
        await page.evaluate(() => document.fonts.ready);
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
      },
    });
  },
});

async function waitForHost(page: Page) {
  await page.waitForFunction(
    () => document.body.dataset.hostReady === 'true' || document.body.dataset.hostError !== undefined
  );
  const failure = await page.evaluate(() => document.body.dataset.hostError);
  if (failure) {
    throw new Error(`the host could not load the plugin: ${failure}`);
  }
}
