/**
 * Brings up everything the browser suite drives: builds dist/ when it is missing or older than the
 * plugin's sources, bundles the host page, starts a stand-in action executor, the real companion API
 * (embedded store, temp dir) and the host server, and seeds the API. The specs read what they need
 * from OPSDECK_BROWSER_* environment variables; the returned function stops everything.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { buildHost } from './host/build';
import { startDsBridge } from './host/dsbridge';
import { startHost } from './host/server';
import { API_TOKEN, startApi, WEBHOOK_TOKEN } from './support/api';
import { startExecutor } from './support/executor';
import { HOST_GRANT, HOST_USER, seed } from './support/seed';

const root = path.resolve(__dirname, '..', '..');
const hostBuildDir = path.join(__dirname, '.host-build');

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function ensurePluginBuilt() {
  const moduleJs = path.join(root, 'dist', 'module.js');
  const sources = Math.max(
    ...['src/app', 'src/datasource', 'src/contract', 'plugin.json'].map((p) => {
      const full = path.join(root, p);
      return statSync(full).isDirectory() ? newestIn(full) : statSync(full).mtimeMs;
    })
  );
  if (existsSync(moduleJs) && statSync(moduleJs).mtimeMs >= sources) {
    return;
  }
  console.log('browser suite: dist/ is missing or stale, running npm run build:plugin');
  const result = spawnSync('npm', ['run', '--silent', 'build:plugin'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error('npm run build:plugin failed');
  }
}

export default async function globalSetup() {
  mkdirSync(hostBuildDir, { recursive: true });
  ensurePluginBuilt();
  const hostBuild = await buildHost(root, hostBuildDir);
  if (hostBuild.built) {
    console.log(`browser suite: host bundle built in ${hostBuild.ms} ms`);
  }
  const executor = await startExecutor();
  const api = await startApi(root, hostBuildDir, { OPSDECK_EXECUTOR_BASE_URL: executor.url });
  let dsBridge: Awaited<ReturnType<typeof startDsBridge>> | undefined;
  try {
    dsBridge = await startDsBridge(root, hostBuildDir);
    const seeded = await seed(api.url, { apiToken: API_TOKEN, webhookToken: WEBHOOK_TOKEN });
    const host = await startHost({
      root,
      hostBuildDir,
      apiUrl: api.url,
      apiToken: API_TOKEN,
      defaultUser: HOST_USER,
      defaultRole: 'Editor',
      dsBridgeUrl: dsBridge.url,
      defaultGrant: HOST_GRANT,
    });
    process.env.OPSDECK_BROWSER_HOST_URL = host.url;
    process.env.OPSDECK_BROWSER_API_URL = api.url;
    process.env.OPSDECK_BROWSER_SEED = JSON.stringify(seeded);
    return async () => {
      await host.close();
      await dsBridge?.stop();
      await api.stop();
      await executor.close();
    };
  } catch (error) {
    await dsBridge?.stop();
    await api.stop();
    await executor.close();
    throw error;
  }
}
