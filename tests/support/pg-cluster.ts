/**
 * A throwaway PostgreSQL cluster for suites and benchmarks: `initdb --auth=trust` in a temp dir, started
 * on a free loopback port with its socket in that dir, and removed afterwards.
 *
 * Why not the machine's own server: on a new project machine none is running, and Debian's packaged
 * cluster authenticates TCP logins with a password, so a suite that relied on it needed hand-made setup.
 * A private cluster needs no configuration, cannot collide with anything else on the machine, and a
 * fault test may stop, kill and restart it without disturbing other suites.
 *
 * PostgreSQL refuses to run as root: as root the cluster's files belong to the `postgres` user (created by
 * Debian's postgresql-common) and every server command runs through `runuser -u postgres`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PgCluster {
  /** `postgres://postgres@127.0.0.1:<port>/test`: the `test` database exists, the superuser is `postgres`. */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server: `fast` rolls back sessions and checkpoints, `immediate` is a crash as far as clients see. */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Starts the stopped server again on the same port and data. */
  start(): void;
  /** Stops the server (immediately) and deletes its directory. */
  remove(): void;
}

/** The directory holding initdb/pg_ctl: the newest /usr/lib/postgresql/<v>/bin, else whatever PATH has. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) {
      return path.join(root, versions[0], 'bin');
    }
  }
  const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  return found ? path.dirname(found) : null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function runAsOwner(binDir: string, command: string, args: string[]): void {
  const binary = path.join(binDir, command);
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

export interface PgClusterOptions {
  /**
   * false (the default for suites) skips fsync: they test what the API does when PostgreSQL stops or restarts,
   * not the disk, and an immediate stop still keeps every committed row (the OS holds the pages). Benchmarks
   * pass true so that "durable before the 200" costs what it costs in production.
   */
  fsync?: boolean;
  /** Extra server settings (`-c name=value`), e.g. a small lock table for a test about lock counts. */
  settings?: Record<string, string | number>;
}

export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const binDir = postgresBinDir();
  if (!binDir) {
    throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-pg-'));
  if (process.getuid?.() === 0) {
    const owner = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(owner), Number(owner));
  }
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  runAsOwner(binDir, 'initdb', ['-D', dataDir, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const fsync = options.fsync ? 'on' : 'off';
  const settings = { max_connections: 300, ...options.settings };
  const extra = Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=${fsync} ${extra}`;
  const start = () =>
    runAsOwner(binDir, 'pg_ctl', [
      '-D',
      dataDir,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-o',
      serverOptions,
      'start',
    ]);
  const stop = (mode: 'fast' | 'immediate' = 'fast') =>
    runAsOwner(binDir, 'pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
  start();
  runAsOwner(binDir, 'createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'test']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    port,
    dataDir,
    start,
    stop,
    remove() {
      try {
        stop('immediate');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
