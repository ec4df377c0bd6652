#!/usr/bin/env node
// `npm start`: the main job on a fresh machine. Starts the companion API on the embedded store
// (bundling it first if needed, <1 s); once /readyz answers, builds the Grafana plugin into dist/
// when dist/ is missing or older than its sources, and says how to load it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildApi } from './build-api.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distModule = path.join(root, 'dist', 'module.js');
const PLUGIN_SOURCES = ['src/app', 'src/datasource', 'src/contract', 'plugin.json', 'package.json'];

function newestMtime(target) {
  const stat = statSync(target);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  return readdirSync(target).reduce(
    (newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))),
    stat.mtimeMs
  );
}

function pluginIsStale() {
  if (!existsSync(distModule)) {
    return true;
  }
  const built = statSync(distModule).mtimeMs;
  return PLUGIN_SOURCES.some(
    (source) => existsSync(path.join(root, source)) && newestMtime(path.join(root, source)) > built
  );
}

/** A local token, made once and kept in .opsdeck/<name> (mode 0600), unless the caller set one. */
function localToken(name = 'api-token') {
  const file = path.join(root, '.opsdeck', name);
  if (existsSync(file)) {
    return { token: readFileSync(file, 'utf8').trim(), file };
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}

await buildApi({ quiet: true });

const env = { ...process.env };
let tokenNote = 'OPSDECK_API_TOKEN from your environment';
let tokenShell = '$OPSDECK_API_TOKEN';
if (!env.OPSDECK_API_TOKEN && env.OPSDECK_DEV_INSECURE !== '1') {
  const { token, file } = localToken();
  env.OPSDECK_API_TOKEN = token;
  tokenNote = `the token in ${path.relative(process.cwd(), file)} (Authorization: Bearer <token>)`;
  tokenShell = `$(cat ${path.relative(process.cwd(), file)})`;
}
// Alert senders get a token of their own: the API refuses to share the API token with them.
if (!env.OPSDECK_WEBHOOK_TOKEN && env.OPSDECK_DEV_INSECURE !== '1') {
  env.OPSDECK_WEBHOOK_TOKEN = localToken('webhook-token').token;
}
const host = env.OPSDECK_HOST ?? '127.0.0.1';
const port = env.OPSDECK_PORT ?? '8787';

const api = spawn(process.execPath, [path.join(root, 'bin', 'opsdeck.js'), 'serve'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => api.kill(signal));
}
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

const apiUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
// The plugin build starts only once the API is ready: on 2 cores webpack would otherwise slow the
// embedded store's first start (a new PGlite data dir) several times over.
waitForReady(apiUrl).then((seconds) => {
  if (seconds === null) {
    return;
  }
  console.log(
    `\nOpsdeck API ready in ${seconds.toFixed(1)} s: ${apiUrl}  (/readyz, /openapi.json; /api/* needs ${tokenNote})`
  );
  // The token alone reads every project as `service-token` (docs/heartbeat-and-freshness.md).
  console.log(`Try it:  curl -s -H "Authorization: Bearer ${tokenShell}" ${apiUrl}/api/v1/incidents`);
  console.log(`   or:   node bin/opsdeck.js incidents   (opsdeck incident <id> for one)`);
  if (pluginIsStale()) {
    console.log('Building the Grafana plugin into dist/ (the API keeps serving)…');
    const build = spawn('npm', ['run', '--silent', 'build:plugin'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    build.on('exit', (code) => {
      if (code === 0) {
        printPluginHelp();
      } else {
        console.error(
          `Plugin build failed (exit ${code}); run \`npm run build:plugin\` to see why. The API keeps running.`
        );
      }
    });
  } else {
    printPluginHelp();
  }
});

/** Polls /readyz until the API answers 200 (null if it never does within a minute). */
async function waitForReady(url) {
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) {
        return (Date.now() - started) / 1000;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.error(`Opsdeck API did not become ready at ${url}/readyz within 60 s`);
  return null;
}

function printPluginHelp() {
  console.log(`
Grafana plugin: ${path.join(root, 'dist')}
  Load it into a Grafana >= 12.3: copy or mount that folder as <grafana>/plugins/opsdeck-ops-app, set
  GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=opsdeck-ops-app,opsdeck-ops-datasource, then enable Opsdeck under
  Administration › Plugins and set the API URL and token on its configuration page.
  Or start the whole stack (Grafana, API, PostgreSQL, Prometheus, Alertmanager, Loki, Tempo): docker compose up
`);
}
