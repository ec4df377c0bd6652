/**
 * The data dir lock on its own (data-dir-lock.ts): who may take a lock over and who is refused.
 * The processes-level behaviour (second serve, CLI, kill -9) is in embedded-lock.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { acquireDataDirLock, LOCK_FILE, StoreInUseError, type LockOwner } from '../../src/api/store/data-dir-lock';

const owner = (overrides: Partial<LockOwner>): LockOwner => ({
  pid: process.pid,
  hostname: os.hostname(),
  token: 'someone-else',
  started_at: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

/** A PID that existed and has exited: a child we started and waited for. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('data dir lock', () => {
  let dir: string;
  let lockFile: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-dirlock-'));
    lockFile = path.join(dir, LOCK_FILE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder while the first lives, and admits the next after release', async () => {
    const first = await acquireDataDirLock(dir);
    await expect(acquireDataDirLock(dir)).rejects.toThrow(StoreInUseError);
    await first.release();
    expect(existsSync(lockFile)).toBe(false);
    const next = await acquireDataDirLock(dir);
    await next.release();
  });

  it('takes over at once from a dead PID on this host', async () => {
    writeFileSync(lockFile, JSON.stringify(owner({ pid: deadPid() })));
    const lock = await acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).token).toBe(lock.owner.token);
    await lock.release();
  });

  it('refuses a live PID on this host however old its heartbeat', async () => {
    writeFileSync(lockFile, JSON.stringify(owner({ pid: process.ppid })));
    utimesSync(lockFile, new Date(0), new Date(0));
    await expect(acquireDataDirLock(dir)).rejects.toThrow(`in use by PID ${process.ppid}`);
  });

  it('waits out the heartbeat of another host, then takes over', async () => {
    writeFileSync(lockFile, JSON.stringify(owner({ hostname: 'other-container', pid: 1 })));
    await expect(acquireDataDirLock(dir, { staleMs: 60_000 })).rejects.toThrow('on other-container');
    const old = new Date(Date.now() - 120_000);
    utimesSync(lockFile, old, old);
    const lock = await acquireDataDirLock(dir, { staleMs: 60_000 });
    await lock.release();
  });

  it('tells the holder when someone else took its lock', async () => {
    const compromised = new Promise<Error>((resolve) => {
      void acquireDataDirLock(dir, { heartbeatMs: 50, onCompromised: resolve }).then(() => {
        writeFileSync(lockFile, JSON.stringify(owner({ token: 'thief' })));
      });
    });
    expect((await compromised).message).toContain('another process took it over');
  });
});
