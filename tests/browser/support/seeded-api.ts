/**
 * Starts the real companion API (embedded store, temp dir, the repository's catalog) seeded the way the
 * browser suite seeds it, prints one JSON line `{"url", "token", "seeded"}` on stdout, and runs until
 * stdin closes or SIGTERM/SIGINT arrives. Used by the Go backend's real-API test
 * (pkg/plugin/realapi_test.go) and by scripts/record-datasource-fixtures.ts, so both see the same API
 * the browser suite drives. Run with `npx tsx tests/browser/support/seeded-api.ts`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { API_TOKEN, startApi, WEBHOOK_TOKEN } from './api';
import { seed } from './seed';

const root = path.resolve(__dirname, '..', '..', '..');

async function main() {
  // Inside the repository so the bundle's external packages resolve from node_modules.
  const buildDir = path.join(__dirname, '..', '.host-build', `seeded-api-${process.pid}`);
  mkdirSync(buildDir, { recursive: true });
  const api = await startApi(root, buildDir);
  let stopping = false;
  const stop = async () => {
    if (!stopping) {
      stopping = true;
      await api.stop();
      rmSync(buildDir, { recursive: true, force: true });
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  try {
    const seeded = await seed(api.url, { apiToken: API_TOKEN, webhookToken: WEBHOOK_TOKEN });
    process.stdout.write(`${JSON.stringify({ url: api.url, token: API_TOKEN, seeded })}\n`);
  } catch (error) {
    process.stderr.write(`seeding failed: ${(error as Error).stack}\n`);
    await stop();
  }
}

void main();
