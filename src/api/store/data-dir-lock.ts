/**
 * The embedded store belongs to one process. PGlite has no postmaster and takes no lock of its own:
 * two processes on one data dir each run their own in-memory PostgreSQL over the same files and
 * overwrite each other's pages (seen as 404s for each other's objects and, afterwards, a broken audit
 * chain). So whoever opens the directory first writes `opsdeck.lock` into it, and everyone else is
 * refused with "in use by PID …".
 *
 * The lock file is created atomically with its content already in place (write a private temp file,
 * then link(2) it to the lock name, which fails when the name exists), so a reader never sees a half
 * written owner. It names the owner (PID, host, a random token) and its mtime is refreshed every
 * `heartbeatMs` while the owner lives.
 *
 * A lock left behind by kill -9 is stale and taken over:
 * - at once when its owner ran on this host and that PID no longer exists (or is our own PID: a
 *   container restarted with the same hostname and PID 1);
 * - after `staleMs` without a heartbeat otherwise (another host or container sharing the volume,
 *   whose PIDs we cannot check).
 * Takeover renames the stale file away (only one racer's rename succeeds) and checks that what it
 * moved is the owner it judged stale; if a faster racer had already taken over, the file is put back.
 * The owner's heartbeat re-reads the token, so a process that lost its lock anyway learns it and stops.
 *
 * Why not `proper-lockfile`: it judges staleness by mtime alone, so a restart right after kill -9 would
 * wait out the stale window; the PID check makes the common case (same host) immediate.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'opsdeck.lock';

export interface LockOwner {
  pid: number;
  hostname: string;
  token: string;
  started_at: string;
}

export class StoreInUseError extends Error {
  readonly name = 'StoreInUseError';
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner
  ) {
    super(
      `the embedded store ${dataDir} is in use by PID ${owner.pid} on ${owner.hostname} (since ${owner.started_at}); ` +
        'one process at a time may open it: stop that process first (or use PostgreSQL to run several replicas)'
    );
  }
}

export interface DataDirLockOptions {
  /** A lock whose heartbeat is older than this is stale even when its PID cannot be checked. */
  staleMs?: number;
  heartbeatMs?: number;
  /** Called once when the heartbeat finds the lock taken by someone else. */
  onCompromised?: (error: Error) => void;
}

export interface DataDirLock {
  readonly path: string;
  readonly owner: LockOwner;
  /**
   * Writes our owner record again: restoring a backup into the directory extracts the source's
   * opsdeck.lock (PGlite's dump is the whole directory) over ours.
   */
  reassert(): Promise<void>;
  release(): Promise<void>;
}

const DEFAULT_STALE_MS = 60_000;
/** Tokens of the locks this process holds: our own PID in a lock file is stale only if the token is not ours. */
const heldHere = new Set<string>();
const DEFAULT_HEARTBEAT_MS = 10_000;

async function readOwner(file: string): Promise<LockOwner | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as LockOwner;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    // Unreadable or not JSON: not written by us through link(2); treat as a dead owner's leftovers.
    return { pid: -1, hostname: '', token: 'unreadable', started_at: 'unknown' };
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(file: string, owner: LockOwner, staleMs: number): Promise<boolean> {
  if (owner.pid === -1) {
    return true;
  }
  if (owner.hostname === os.hostname()) {
    if (owner.pid === process.pid) {
      return !heldHere.has(owner.token);
    }
    return !processExists(owner.pid);
  }
  const stat = await fs.stat(file).catch(() => null);
  return stat === null || Date.now() - stat.mtimeMs > staleMs;
}

/** Tries to create the lock file; true when we hold it, false when it exists. */
async function tryCreate(file: string, owner: LockOwner): Promise<boolean> {
  const temp = `${file}.${owner.token}.tmp`;
  await fs.writeFile(temp, JSON.stringify(owner));
  try {
    await fs.link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
}

/** Moves a stale lock out of the way; if what moved was not the stale owner, puts it back. */
async function takeOver(file: string, stale: LockOwner, ourToken: string): Promise<void> {
  const aside = `${file}.stale-${ourToken}`;
  try {
    await fs.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return; // someone else moved it first; try again from the start
    }
    throw error;
  }
  const moved = await readOwner(aside);
  if (moved && moved.token !== stale.token) {
    // A faster process took over between our read and our rename: give its lock back.
    await fs.link(aside, file).catch(() => undefined);
  }
  await fs.unlink(aside).catch(() => undefined);
}

export async function acquireDataDirLock(dataDir: string, options: DataDirLockOptions = {}): Promise<DataDirLock> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  await fs.mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    token: randomBytes(12).toString('hex'),
    started_at: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt += 1) {
    if (await tryCreate(file, owner)) {
      break;
    }
    const current = await readOwner(file);
    if (current === null) {
      continue; // released between our attempt and our read
    }
    if (attempt >= 5 || !(await isStale(file, current, staleMs))) {
      throw new StoreInUseError(dataDir, current);
    }
    await takeOver(file, current, owner.token);
  }
  return holdLock(file, owner, heartbeatMs, options.onCompromised);
}

function holdLock(
  file: string,
  owner: LockOwner,
  heartbeatMs: number,
  onCompromised: DataDirLockOptions['onCompromised']
): DataDirLock {
  let released = false;
  heldHere.add(owner.token);
  const beat = async () => {
    const current = await readOwner(file);
    if (released) {
      return;
    }
    if (current?.token !== owner.token) {
      clearInterval(timer);
      onCompromised?.(new Error(`lost the lock on ${path.dirname(file)}: another process took it over`));
      return;
    }
    const now = new Date();
    await fs.utimes(file, now, now).catch(() => undefined);
  };
  const timer = setInterval(() => void beat(), heartbeatMs);
  timer.unref();
  return {
    path: file,
    owner,
    async reassert() {
      const temp = `${file}.${owner.token}.tmp`;
      await fs.writeFile(temp, JSON.stringify(owner));
      await fs.rename(temp, file);
    },
    async release() {
      if (released) {
        return;
      }
      released = true;
      heldHere.delete(owner.token);
      clearInterval(timer);
      const current = await readOwner(file);
      if (current?.token === owner.token) {
        await fs.unlink(file).catch(() => undefined);
      }
    },
  };
}
