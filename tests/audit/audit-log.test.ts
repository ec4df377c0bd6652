/**
 * The audit log's tamper evidence on both stores: the append-only trigger, `opsdeck audit verify`
 * (in-process and as the real command) on clean, edited, deleted-from and purged logs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { PGlite } from '@electric-sql/pglite';

import { appendAudit, type AuditContext } from '../../src/api/audit/append';
import { purgeAudit } from '../../src/api/audit/purge';
import { verifyAuditChain } from '../../src/api/audit/verify';
import { embeddedStore, openEmbeddedStore } from '../../src/api/store/pglite';
import type { Store } from '../../src/api/store';
import { EXIT_BROKEN, EXIT_OK, runAuditPurge, runAuditVerify } from '../../src/cli/commands/audit';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';

const run = promisify(execFile);
const REPO = path.join(__dirname, '..', '..');
const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2024-01-01T00:00:00.000Z');

// PGlite on disk is slow to open on a busy 2-core machine.
jest.setTimeout(60_000);

/**
 * An embedded store in a directory (the CLI opens it from disk), made from the migrated template. It
 * opens lazily and `release()` closes it, so a test can hand the directory to the CLI (PGlite admits
 * one process) and touch the store again afterwards without paying for a reopen it does not need.
 */
function embeddedOnDisk(dir: string): Store & { release(): Promise<void> } {
  const template = process.env.OPSDECK_TEST_PGLITE_MIGRATED;
  if (!template) {
    throw new Error('OPSDECK_TEST_PGLITE_MIGRATED is not set: run through jest');
  }
  let created = false;
  let current: Promise<Store> | null = null;
  const open = () => {
    if (!current) {
      current = created
        ? openEmbeddedStore(dir)
        : PGlite.create(dir, { loadDataDir: new Blob([readFileSync(template)]) }).then((db) => embeddedStore(db));
      created = true;
    }
    return current;
  };
  const release = async () => {
    if (current) {
      const closing = current;
      current = null;
      await (await closing).close();
    }
  };
  return {
    kind: 'embedded',
    query: async (text, params) => (await open()).query(text, params),
    exec: async (script) => (await open()).exec(script),
    transaction: async (work) => (await open()).transaction(work),
    ping: async () => (await open()).ping(),
    health: {
      query: async (text, params) => (await open()).health.query(text, params),
      exec: async (script) => (await open()).health.exec(script),
    },
    close: release,
    release,
  };
}

const context: AuditContext = {
  actor: 'alice',
  role: 'operator',
  tenant: 't-acme',
  project: 'p-vision',
  correlation_id: 'req-audit-test-0001',
  source_ip: '10.0.0.1',
};

/** Appends `count` rows, one a day from `start`; returns their ids. */
async function appendRows(store: Store, count: number, start = T0): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const at = new Date(start.getTime() + i * DAY);
    const { id } = await store.transaction((tx) =>
      appendAudit(
        tx,
        context,
        { action: 'incident.note', target_type: 'incident', target_id: `inc-${i}`, after: { n: i, text: 'x' } },
        at
      )
    );
    ids.push(id);
  }
  return ids;
}

/** What a superuser can do behind the application's back: switch the guard off, change the table, switch it on. */
async function tamper(store: Store, statement: string, params: unknown[] = []) {
  await store.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
  try {
    await store.query(statement, params);
  } finally {
    await store.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  }
}

async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(REPO, 'bin', 'opsdeck.js'), ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.each(storeKinds('audit log suite'))('audit log on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  /** Where the CLI finds this database. */
  let location: { databaseUrl?: string; dataDir?: string };
  let dataDir: string | null = null;

  beforeEach(async () => {
    testStore = await openTestStore(kind);
    store = testStore.store;
    location = { databaseUrl: testStore.url ?? undefined };
  });

  /**
   * Tests that run the CLI call this first: the CLI opens an embedded store from disk, so the (still
   * empty) in-memory store is swapped for one in a directory. PostgreSQL needs nothing.
   */
  async function onDisk() {
    if (kind !== 'embedded') {
      return;
    }
    await testStore.dispose();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-audit-'));
    const disk = embeddedOnDisk(dataDir);
    store = disk;
    location = { dataDir };
    testStore = { store, url: null, dispose: () => disk.release() };
  }
  afterEach(async () => {
    await testStore.dispose();
    if (dataDir) {
      rmSync(dataDir, { recursive: true, force: true });
      dataDir = null;
    }
  });

  /** The embedded store admits one process: close it before the CLI opens it (it reopens when touched). */
  async function withStoreReleased<T>(work: () => Promise<T>): Promise<T> {
    if (kind === 'embedded' && dataDir) {
      await store.close();
    }
    return work();
  }

  const verifyWithCli = () => {
    const lines: string[] = [];
    return withStoreReleased(async () => {
      const code = await runAuditVerify({ ...location, env: {}, out: (l) => lines.push(l), err: (l) => lines.push(l) });
      return { code, output: lines.join('\n') };
    });
  };

  it('rejects UPDATE, DELETE and TRUNCATE of audit rows', async () => {
    const [id] = await appendRows(store, 1);
    await expect(store.query("UPDATE audit_log SET actor = 'mallory' WHERE id = $1", [id])).rejects.toThrow(
      /append-only/
    );
    await expect(store.query('DELETE FROM audit_log WHERE id = $1', [id])).rejects.toThrow(/append-only/);
    await expect(store.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    const { rows } = await store.query<{ actor: string }>('SELECT actor FROM audit_log WHERE id = $1', [id]);
    expect(rows[0].actor).toBe('alice');
  });

  it('verifies a clean log (exit 0) and names an edited row (exit 1)', async () => {
    await onDisk();
    const ids = await appendRows(store, 6);
    const clean = await verifyWithCli();
    expect(clean.code).toBe(EXIT_OK);
    expect(clean.output).toContain('audit log OK: 6 rows checked');

    await tamper(store, 'UPDATE audit_log SET after = \'{"n": 3, "text": "edited"}\' WHERE id = $1', [ids[3]]);
    const broken = await verifyWithCli();
    expect(broken.code).toBe(EXIT_BROKEN);
    expect(broken.output).toContain(`BROKEN at row ${ids[3]}: hash_mismatch`);
  });

  it('names the row after one deleted from the middle', async () => {
    const ids = await appendRows(store, 5);
    await tamper(store, 'DELETE FROM audit_log WHERE id = $1', [ids[2]]);
    const result = await verifyAuditChain(store);
    expect(result).toMatchObject({ ok: false, first_broken_id: ids[3], checked: 2 });
    expect(result.reason).toMatch(/^prev_hash_mismatch/);
  });

  it('notices the oldest rows deleted without a checkpoint', async () => {
    const ids = await appendRows(store, 4);
    await tamper(store, 'DELETE FROM audit_log WHERE id <= $1', [ids[1]]);
    expect(await verifyAuditChain(store)).toMatchObject({ ok: false, first_broken_id: ids[2] });
  });

  it('purges behind a checkpoint that keeps the chain verifiable, and keeps appending after it', async () => {
    await onDisk();
    const ids = await appendRows(store, 10);
    const now = new Date(T0.getTime() + 12 * DAY);
    // Keep 5 days: rows of days 0..6 are older than the cutoff (day 7).
    const result = await purgeAudit(store, { retentionDays: 5, now, correlationId: 'req-purge-test-01' });
    expect(result.purged).toBe(7);
    expect(result.checkpoint_id).toBe(ids[6]);
    const { rows } = await store.query<{ id: number; kind: string }>('SELECT id, kind FROM audit_log ORDER BY id');
    expect(rows.map((r) => [Number(r.id), r.kind])).toEqual([
      [ids[6], 'checkpoint'],
      ...ids.slice(7).map((id) => [id, 'event']),
    ]);

    await appendRows(store, 2, now);
    const verified = await verifyAuditChain(store);
    expect(verified).toMatchObject({ ok: true, checked: 6, checkpoint_id: ids[6] });

    // A second purge replaces the checkpoint; a third with nothing old is a no-op.
    const later = new Date(now.getTime() + 30 * DAY);
    expect((await purgeAudit(store, { retentionDays: 5, now: later, correlationId: 'req-purge-test-02' })).purged).toBe(
      5
    );
    expect((await purgeAudit(store, { retentionDays: 5, now: later, correlationId: 'req-purge-test-03' })).purged).toBe(
      0
    );
    const after = await verifyWithCli();
    expect(after.code).toBe(EXIT_OK);
    expect(after.output).toMatch(/audit log OK: 2 rows checked from retention checkpoint \d+/);
  });

  it('refuses to purge a tampered prefix, and rejects a checkpoint that is not first', async () => {
    await onDisk();
    const ids = await appendRows(store, 6);
    await tamper(store, "UPDATE audit_log SET actor = 'mallory' WHERE id = $1", [ids[1]]);
    const exitCode = await withStoreReleased(() =>
      runAuditPurge({
        ...location,
        env: {},
        retentionDays: 1,
        now: new Date(T0.getTime() + 30 * DAY),
        out: () => undefined,
        err: () => undefined,
      })
    );
    expect(exitCode).toBe(EXIT_BROKEN);
    expect(await verifyAuditChain(store)).toMatchObject({ ok: false, first_broken_id: ids[1] });

    await tamper(store, "UPDATE audit_log SET actor = 'alice', kind = 'checkpoint' WHERE id = $1", [ids[1]]);
    const result = await verifyAuditChain(store);
    expect(result).toMatchObject({ ok: false, first_broken_id: ids[1] });
    expect(result.reason).toMatch(/^unexpected_checkpoint/);
  });

  it('`opsdeck audit verify` as a process: exit 0 on a clean log, non-zero naming the edited row', async () => {
    await onDisk();
    const ids = await appendRows(store, 3);
    const env: Record<string, string> = location.databaseUrl
      ? { OPSDECK_DATABASE_URL: location.databaseUrl }
      : { OPSDECK_DATA_DIR: location.dataDir ?? '' };
    const clean = await withStoreReleased(() => cli(['audit', 'verify'], env));
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('audit log OK: 3 rows checked');

    await tamper(store, "UPDATE audit_log SET target_id = 'inc-999' WHERE id = $1", [ids[2]]);
    const broken = await withStoreReleased(() => cli(['audit', 'verify'], env));
    expect(broken.code).toBe(EXIT_BROKEN);
    expect(broken.stdout).toContain(`BROKEN at row ${ids[2]}`);
  });
});
