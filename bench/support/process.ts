/** Child processes and databases for the benchmarks: started on free loopback ports, stopped by PID. */
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

import { startPgCluster } from '../../tests/support/pg-cluster';

export const ROOT = path.join(__dirname, '..', '..');
let serverUrl: Promise<string> | undefined;

/**
 * The PostgreSQL server the benchmarks use: OPSDECK_TEST_DATABASE_URL when set, else a throwaway cluster
 * (fsync on, as in production) started once per benchmark process and removed when it exits.
 */
function databaseServer(): Promise<string> {
  serverUrl ??= process.env.OPSDECK_TEST_DATABASE_URL
    ? Promise.resolve(process.env.OPSDECK_TEST_DATABASE_URL)
    : startPgCluster({ fsync: true }).then((cluster) => {
        process.once('exit', () => cluster.remove());
        return cluster.url;
      });
  return serverUrl;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

export function startChild(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  stderr: 'inherit' | 'ignore' = 'inherit'
): Child {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', stderr],
  });
  return {
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** bench/support/serve.ts bundled as `npm run build:api` bundles the API (SQL inlined), outside build/. */
const SERVER_BUNDLE = path.join(ROOT, 'node_modules', '.cache', 'opsdeck-bench', 'serve.cjs');
let bundled: Promise<unknown> | null = null;

/** The API in its own process (bench/support/serve.ts, bundled by esbuild), ready on a free port. */
export async function startApi(env: Record<string, string>, nodeArgs: string[] = []): Promise<Child & { url: string }> {
  // A new file, not a rewrite: worktrees made with `cp -al` share node_modules' inodes, and a bench in
  // one would otherwise run the bundle another just wrote.
  if (!bundled) {
    rmSync(SERVER_BUNDLE, { force: true });
  }
  bundled ??= build({
    entryPoints: [path.join(ROOT, 'bench', 'support', 'serve.ts')],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    loader: { '.sql': 'text' },
    logLevel: 'error',
  });
  await bundled;
  const port = await freePort();
  // BENCH_CPU_PROFILE=<dir>: the API process writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const child = startChild(process.execPath, [...profile, ...nodeArgs, SERVER_BUNDLE], {
    OPSDECK_PORT: String(port),
    OPSDECK_HOST: '127.0.0.1',
    OPSDECK_LOG_LEVEL: 'warn',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the API to be ready', async () => (await fetch(`${url}/readyz`)).ok);
  return { ...child, url };
}

/** A fresh PostgreSQL database for one benchmark, dropped afterwards. */
export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `opsdeck_bench_${randomBytes(5).toString('hex')}`;
  const server = await databaseServer();
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
