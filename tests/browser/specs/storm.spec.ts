/**
 * Issue 15 screenshots, each in both themes: a quiet healthy system (heartbeats alive, nothing open),
 * a storm (32 open incidents: three full cards, the rest one line each by severity, the Decision Header
 * on the first screen), and an incident with two alerts of one name told apart.
 * The quiet system and the storm need a store of their own: this spec starts a second real API and
 * host, so the shared seeded API the other specs read stays as it is.
 */
import path from 'node:path';

import { ARTIFACTS, expect, test, testIds } from '../support/fixtures';
import { startHost, type HostServer } from '../host/server';
import { API_TOKEN, startApi, WEBHOOK_TOKEN, type RunningApi } from '../support/api';
import { HOST_GRANT, HOST_USER } from '../support/seed';
import { openStormIncidents, postHeartbeats } from '../support/storm';

const ROOT = path.join(__dirname, '..', '..', '..');
const HOST_BUILD = path.join(__dirname, '..', '.host-build');
const THEMES = ['dark', 'light'] as const;

test.describe.serial('quiet system, then a storm, on a store of their own', () => {
  let api: RunningApi;
  let host: HostServer;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    api = await startApi(ROOT, HOST_BUILD);
    host = await startHost({
      root: ROOT,
      hostBuildDir: HOST_BUILD,
      apiUrl: api.url,
      apiToken: API_TOKEN,
      defaultUser: HOST_USER,
      defaultRole: 'Editor',
      defaultGrant: HOST_GRANT,
    });
    await postHeartbeats(api.url, WEBHOOK_TOKEN);
  });
  test.afterAll(async () => {
    await host?.close();
    await api?.stop();
  });

  const open = async (page: import('@playwright/test').Page, theme: string) => {
    await page.goto(`${host.url}/a/opsdeck-ops-app/ops?theme=${theme}`);
    await page.waitForFunction(() => document.body.dataset.hostReady === 'true');
    await expect(page.getByTestId(testIds.ops.page)).toBeVisible();
  };
  const shoot = async (page: import('@playwright/test').Page, name: string) => {
    await page.evaluate(() => document.fonts.ready);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  };

  for (const theme of THEMES) {
    test(`a quiet healthy system is green (${theme})`, async ({ page }) => {
      await open(page, theme);
      await expect(page.getByTestId(testIds.ops.freshness)).toContainText('Alive');
      await expect(page.getByText('Nothing needs you right now')).toBeVisible();
      await expect(page.getByTestId(testIds.ops.staleWarning)).toHaveCount(0);
      await shoot(page, `quiet-${theme}`);
    });
  }

  for (const theme of THEMES) {
    test(`a storm of 32 stays short, the Decision Header on the first screen (${theme})`, async ({ page }) => {
      if (theme === 'dark') {
        await openStormIncidents(api.url, WEBHOOK_TOKEN, 32);
      }
      await open(page, theme);
      await expect(page.getByTestId(testIds.ops.openTotal)).toHaveText('32');
      await expect(page.getByTestId(testIds.ops.incidentCard)).toHaveCount(3);
      await expect(page.getByTestId(testIds.ops.compactRow)).toHaveCount(22);
      const header = await page.locator('[data-section="decision_header"]').boundingBox();
      expect((header?.y ?? 0) + (header?.height ?? 0)).toBeLessThanOrEqual(900);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(height).toBeLessThan(4000);
      await shoot(page, `storm-${theme}`);
    });
  }
});

for (const theme of THEMES) {
  test(`an incident with two alerts of one name tells them apart (${theme})`, async ({ page, host }) => {
    await host.open(`incidents/${host.seeded.diskFullIncident}`, { theme });
    const rows = page.getByTestId(testIds.incident.alertRow);
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(/instance=gpu-worker-1[78]/);
    await expect(rows.nth(1)).toContainText(/instance=gpu-worker-1[78]/);
    await expect(rows.nth(0)).toContainText('Object store disk');
    await expect(rows.nth(0).getByRole('link', { name: /silence/i })).toHaveAttribute(
      'href',
      /^http:\/\/alertmanager:9093\/#\/silences\/new\?filter=/
    );
    await host.screenshot(`incident-similar-alerts-${theme}`);
  });
}
