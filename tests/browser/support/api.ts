/**
 * Starts the real companion API for the browser suite: bundled from src/ with esbuild (the same build
 * as `npm run build:api`, written under .host-build so concurrent builds never collide), on a free
 * loopback port, with a temporary embedded (PGlite) data dir and the repository's catalog.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

export const API_TOKEN = 'browser-suite-service-token-0123456789';
export const WEBHOOK_TOKEN = 'browser-suite-webhook-token-0123456789';

export interface RunningApi {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the API exited with ${child.exitCode}:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the API was not ready within ${timeoutMs} ms:\n${output()}`);
}

export async function startApi(
  root: string,
  buildDir: string,
  extraEnv: Record<string, string> = {}
): Promise<RunningApi> {
  const bundle = path.join(buildDir, 'opsdeck.cjs');
  await build({
    entryPoints: [path.join(root, 'src/cli/main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    loader: { '.sql': 'text' },
    logLevel: 'error',
  });
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-browser-'));
  let log = '';
  const child = spawn(
    process.execPath,
    ['-e', `require(${JSON.stringify(bundle)}).runCli(['node', 'opsdeck', 'serve'])`],
    {
      cwd: root,
      env: {
        // Nothing from the caller's OPSDECK_* environment leaks in (e.g. a PostgreSQL URL).
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OPSDECK_'))),
        OPSDECK_HOST: '127.0.0.1',
        OPSDECK_PORT: String(port),
        OPSDECK_DATA_DIR: dataDir,
        OPSDECK_API_TOKEN: API_TOKEN,
        OPSDECK_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
        OPSDECK_CATALOG_DIR: path.join(root, 'catalog'),
        OPSDECK_LOG_LEVEL: 'warn',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  );
  child.stdout?.on('data', (chunk) => (log = (log + chunk).slice(-20_000)));
  child.stderr?.on('data', (chunk) => (log = (log + chunk).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, child, () => log, 120_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    pid: child.pid ?? -1,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) {
          child.kill('SIGKILL');
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
