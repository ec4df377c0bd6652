#!/usr/bin/env node
// npm test's `browser` and `e2e` steps.
// - browser: the built plugin in Debian's Chromium inside the plugin host (tests/browser); global setup
//   builds dist/ first when it is missing or stale. Without /usr/bin/chromium it prints
//   `SKIPPED: browser suite needs chromium` (and fails when CI=true).
// - e2e: the @grafana/plugin-e2e specs (tests/e2e) against the Grafana at GRAFANA_URL; skipped without it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const suite = process.argv[2];
const ci = process.env.CI === 'true' || process.env.CI === '1';

function skip(message) {
  if (ci && suite === 'browser') {
    console.error(`${message}, which is missing on this CI machine (.ci/run installs it)`);
    process.exit(1);
  }
  console.log(`\nSKIPPED: ${message}\n`);
  process.exit(0);
}

function run(args) {
  const result = spawnSync('npx', ['--no-install', 'playwright', 'test', ...args], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

if (suite === 'browser') {
  if (!existsSync('/usr/bin/chromium')) {
    skip('browser suite needs chromium');
  }
  run(['-c', 'tests/browser/playwright.config.ts']);
} else if (suite === 'e2e') {
  if (!process.env.GRAFANA_URL) {
    skip('e2e suite needs GRAFANA_URL (a running Grafana with the plugin, e.g. docker compose up)');
  }
  run([]);
} else {
  console.error('usage: node scripts/playwright-suites.mjs browser|e2e');
  process.exit(2);
}
