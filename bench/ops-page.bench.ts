/// <reference lib="dom" />
/**
 * The ops page in a storm, in Chromium (Debian's /usr/bin/chromium, the browser suite's host page and
 * the built plugin in dist/, against the real API on the embedded store):
 * - time from navigation to the Decision Header painted (the open-incident total shows the seeded
 *   count) with 1,000 open incidents — target < 1 s; median of 5 loads after one warm-up;
 * - the page's rendered height (document scrollHeight, 1440×900 viewport) with 32 open incidents, and
 *   whether the Decision Header sits inside the first screen.
 *
 *   npm run bench -- ops-page      (needs `npm run build` first; builds dist/ when it is missing)
 */
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

import { testIds } from '../src/app/testIds';
import { buildHost } from '../tests/browser/host/build';
import { startHost } from '../tests/browser/host/server';
import { API_TOKEN, startApi, WEBHOOK_TOKEN } from '../tests/browser/support/api';
import { HOST_GRANT, HOST_USER } from '../tests/browser/support/seed';
import { openStormIncidents } from '../tests/browser/support/storm';
import { CHROMIUM_LAUNCH_OPTIONS } from '../tests/support/chromium';

const ROOT = path.join(__dirname, '..');
const LOADS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(count: number, hostBuildDir: string) {
  const api = await startApi(ROOT, hostBuildDir);
  const host = await startHost({
    root: ROOT,
    hostBuildDir,
    apiUrl: api.url,
    apiToken: API_TOKEN,
    defaultUser: HOST_USER,
    defaultRole: 'Editor',
    defaultGrant: HOST_GRANT,
  });
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  try {
    await openStormIncidents(api.url, WEBHOOK_TOKEN, count);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const url = `${host.url}/a/opsdeck-ops-app/ops?theme=dark`;
    const selector = `[data-testid="${testIds.ops.openTotal}"]`;
    const paints: number[] = [];
    for (let load = 0; load <= LOADS; load += 1) {
      await page.goto(url);
      // performance.now() counts from this navigation's start; read it on the first frame showing the total.
      const handle = await page.waitForFunction(
        ({ selector, total }) => {
          const element = document.querySelector(selector);
          return element?.textContent === String(total) ? performance.now() : null;
        },
        { selector, total: count },
        { polling: 'raf', timeout: 30_000 }
      );
      const ms = (await handle.jsonValue()) as number;
      if (load > 0) {
        paints.push(ms);
      }
    }
    await page.getByTestId(testIds.ops.section).nth(4).waitFor();
    const layout = await page.evaluate(
      (headerSelector) => ({
        height: document.documentElement.scrollHeight,
        headerBottom: document.querySelector(headerSelector)?.getBoundingClientRect().bottom ?? -1,
      }),
      '[data-section="decision_header"]'
    );
    return { paints, ...layout };
  } finally {
    await browser.close();
    await host.close();
    await api.stop();
  }
}

async function main() {
  if (!existsSync(path.join(ROOT, 'dist', 'module.js'))) {
    spawnSync('npm', ['run', '--silent', 'build:plugin'], { cwd: ROOT, stdio: 'inherit' });
  }
  // Inside the repository (build/ is ignored): the API bundle resolves its npm packages from node_modules.
  mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  const hostBuildDir = mkdtempSync(path.join(ROOT, 'build', 'ops-page-bench-'));
  try {
    await buildHost(ROOT, hostBuildDir);
    for (const count of [1000, 32]) {
      const result = await measure(count, hostBuildDir);
      const p50 = median(result.paints);
      const verdict = count === 1000 ? ` — target < 1,000 ms: ${p50 < 1000 ? 'met' : 'NOT met'}` : '';
      console.log(
        `${count} open incidents: navigation → Decision Header painted p50 ${p50.toFixed(0)} ms ` +
          `(loads: ${result.paints.map((ms) => ms.toFixed(0)).join(', ')} ms)${verdict}`
      );
      console.log(
        `${count} open incidents: page height ${result.height} px at 1440×900; Decision Header ends at ` +
          `${result.headerBottom.toFixed(0)} px (${result.headerBottom <= 900 ? 'inside' : 'below'} the first screen)`
      );
    }
  } finally {
    rmSync(hostBuildDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
