import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

import { appendAudit } from '../../src/api/audit/append';
import { openEmbeddedStore } from '../../src/api/store/pglite';
import { openPostgresStore } from '../../src/api/store/postgres';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from '../../src/api/store/migrator';
import { MIGRATIONS } from '../../src/api/store/migrations';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';

const auditContext = {
  actor: 'alice',
  role: 'operator',
  tenant: 't-acme',
  project: 'p-vision',
  correlation_id: 'req-store-test-0001',
  source_ip: '127.0.0.1',
};

describe.each(storeKinds('store suite'))('store on %s', (kind) => {
  let testStore: TestStore;

  beforeEach(async () => {
    testStore = await openTestStore(kind, { migrated: false });
  });
  afterEach(async () => {
    await testStore.dispose();
  });

  it('applies every migration once, then re-running is a no-op', async () => {
    expect(await schemaVersion(testStore.store)).toBe(0);
    const first = await migrate(testStore.store);
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.version));
    expect(first.version).toBe(LATEST_SCHEMA_VERSION);

    const second = await migrate(testStore.store);
    expect(second.applied).toEqual([]);
    const { rows } = await testStore.store.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0].n).toBe(MIGRATIONS.length);
  });

  it('lets two concurrent migrators apply each migration exactly once', async () => {
    // On PostgreSQL the second migrator is a separate connection pool, as a second process would be.
    const other = testStore.url ? await openPostgresStore(testStore.url) : testStore.store;
    try {
      const [a, b] = await Promise.all([migrate(testStore.store), migrate(other)]);
      expect([...a.applied, ...b.applied].sort()).toEqual(MIGRATIONS.map((m) => m.version).sort());
      expect([a.applied.length, b.applied.length].sort()).toEqual([0, MIGRATIONS.length]);
      const { rows } = await testStore.store.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version'
      );
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      // The schema is usable afterwards.
      await testStore.store.transaction((tx) =>
        appendAudit(tx, auditContext, { action: 'test.write', target_type: 'test', target_id: '1' })
      );
    } finally {
      if (other !== testStore.store) {
        await other.close();
      }
    }
  });

  it('refuses to start when an applied migration was edited', async () => {
    await migrate(testStore.store);
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    await expect(migrate(testStore.store, edited)).rejects.toThrow(/changed after it was applied/);
  });

  it('commits a transaction only when it resolves, and writes nothing when it throws', async () => {
    await migrate(testStore.store);
    await expect(
      testStore.store.transaction(async (tx) => {
        await appendAudit(tx, auditContext, { action: 'test.rolled_back', target_type: 'test', target_id: '1' });
        throw new Error('boom');
      })
    ).rejects.toThrow('boom');
    await testStore.store.transaction((tx) =>
      appendAudit(tx, auditContext, { action: 'test.kept', target_type: 'test', target_id: '2' })
    );
    const { rows } = await testStore.store.query<{ action: string }>('SELECT action FROM audit_log ORDER BY id');
    expect(rows.map((r) => r.action)).toEqual(['test.kept']);
  });

  it('returns the same JSON and number types on both stores', async () => {
    await migrate(testStore.store);
    await testStore.store.transaction((tx) =>
      appendAudit(tx, auditContext, {
        action: 'test.types',
        target_type: 'test',
        target_id: '3',
        after: { n: 1, tags: ['a'] },
      })
    );
    const { rows } = await testStore.store.query<{ id: number; after: unknown; occurred_at: Date }>(
      'SELECT id, after, occurred_at FROM audit_log'
    );
    expect(typeof rows[0].id).toBe('number');
    expect(rows[0].after).toEqual({ n: 1, tags: ['a'] });
    expect(rows[0].occurred_at).toBeInstanceOf(Date);
  });
});

describe('embedded store on disk', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-store-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps committed data across a restart', async () => {
    const dataDir = path.join(dir, 'data');
    // Seed the directory from the migrated template (a brand-new PGlite directory takes ~4 s).
    const template = new Blob([readFileSync(process.env.OPSDECK_TEST_PGLITE_MIGRATED as string)]);
    await (await PGlite.create(dataDir, { loadDataDir: template })).close();

    const first = await openEmbeddedStore(dataDir);
    expect((await migrate(first)).applied).toEqual([]);
    await first.transaction((tx) =>
      appendAudit(tx, auditContext, { action: 'test.durable', target_type: 'test', target_id: 'd1' })
    );
    await first.close();

    const second = await openEmbeddedStore(dataDir);
    try {
      const { rows } = await second.query<{ action: string }>('SELECT action FROM audit_log');
      expect(rows.map((r) => r.action)).toEqual(['test.durable']);
      expect(await schemaVersion(second)).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      await second.close();
    }
  });
});
