/**
 * Issue 13.5: a restored copy re-sent executions the backup had caught as running, though the source had
 * already recorded them as succeeded. Now `opsdeck restore` holds every pending or running execution in
 * needs_reconciliation for an admin's decision, and verifies the audit chain as part of the restore.
 * Embedded: an online backup through the running API (GET /api/v1/admin/backup); PostgreSQL: the
 * documented pg_dump -Fc / pg_restore path, then `opsdeck restore --database-url`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { verifyAuditChain } from '../../src/api/audit/verify';
import type { Store, StoreKind } from '../../src/api/store';
import { migrate } from '../../src/api/store/migrator';
import { openEmbeddedStore } from '../../src/api/store/pglite';
import { openPostgresStore } from '../../src/api/store/postgres';
import { EXIT_OK } from '../../src/cli/commands/audit';
import { runRestore } from '../../src/cli/commands/backup';
import { buildTestApp, type TestApp } from '../support/app';
import { postgresBinDir } from '../support/pg-cluster';
import {
  headersFor,
  makeRemediationCatalog,
  OWN,
  ownScope,
  PERSONAS,
  requestBodies,
  seedIncident,
  startTestExecutor,
  type TestExecutor,
} from '../support/remediation';
import { createTestDatabase, storeKinds } from '../support/stores';

describe.each(storeKinds('restore suite'))('restore on %s', (kind: StoreKind) => {
  let dir: string;
  let executor: TestExecutor;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  const cleanups: Array<() => Promise<unknown> | unknown> = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-restore-'));
    executor = await startTestExecutor();
    catalog = makeRemediationCatalog();
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup();
    }
    await executor.close();
    catalog.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const build = (store: Store, paused: boolean) =>
    buildTestApp(store, {
      catalogDir: catalog.dir,
      env: {
        OPSDECK_EXECUTOR_BASE_URL: executor.url,
        OPSDECK_EXECUTOR_TOKEN: 'executor-secret-token',
        OPSDECK_REMEDIATION_INTERVAL_MS: '0',
      },
      extra: { remediation: { paused } },
    });

  async function openSource(): Promise<{ store: Store; url: string | null }> {
    if (kind === 'embedded') {
      const template = readFileSync(process.env.OPSDECK_TEST_PGLITE_MIGRATED!);
      const store = await openEmbeddedStore(path.join(dir, 'source'), { loadDataDir: new Blob([template]) });
      await migrate(store);
      return { store, url: null };
    }
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const store = await openPostgresStore(database.url, { max: 4 });
    await migrate(store);
    return { store, url: database.url };
  }

  /** Takes the backup while the source serves, and restores it into a new store; returns its location. */
  async function backupAndRestore(source: TestApp, sourceUrl: string | null, lines: string[]) {
    const log = (line: string) => lines.push(line);
    if (kind === 'embedded') {
      const backup = await source.app.inject({
        method: 'GET',
        url: '/api/v1/admin/backup',
        headers: headersFor(PERSONAS.globalAdmin, null),
      });
      expect(backup.statusCode).toBe(200);
      expect(backup.headers['content-type']).toBe('application/gzip');
      const file = path.join(dir, 'backup.tar.gz');
      writeFileSync(file, backup.rawPayload);
      const target = path.join(dir, 'restored');
      return { code: await runRestore({ from: file, dataDir: target, log }), open: () => openEmbeddedStore(target) };
    }
    const bin = postgresBinDir()!;
    const file = path.join(dir, 'backup.dump');
    execFileSync(path.join(bin, 'pg_dump'), ['-Fc', '-f', file, sourceUrl!]);
    const target = await createTestDatabase();
    cleanups.push(() => target.drop());
    execFileSync(path.join(bin, 'pg_restore'), ['--no-owner', '-d', target.url, file]);
    return {
      code: await runRestore({ databaseUrl: target.url, log }),
      open: () => openPostgresStore(target.url, { max: 4 }),
    };
  }

  it('holds in-flight executions for an admin instead of re-sending them, and verifies the audit chain', async () => {
    const { store: sourceStore, url: sourceUrl } = await openSource();
    const source = await build(sourceStore, true);
    const call = (t: TestApp, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: headersFor(PERSONAS.operator, ownScope), payload });
    const ids: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const incidentId = await seedIncident(sourceStore, OWN);
      const response = await call(source, 'POST', '/api/v1/approvals', requestBodies.r1(incidentId));
      expect(response.statusCode).toBe(201);
      ids.push((response.json() as { id: string }).id);
    }
    // The first was mid-call when the backup was taken; the second approved but not yet sent.
    await sourceStore.query(
      "UPDATE executions SET status = 'running', attempts = 1, lease_until = now() - interval '1 hour' WHERE approval_id = $1",
      [ids[0]]
    );

    const lines: string[] = [];
    const restored = await backupAndRestore(source, sourceUrl, lines);
    await source.app.close();
    await sourceStore.close();
    expect(restored.code).toBe(EXIT_OK);
    expect(lines.join('\n')).toContain(
      '2 execution(s) were in flight in the backup and now wait in needs_reconciliation'
    );
    expect(lines.join('\n')).toContain('audit log OK');

    const store = await restored.open();
    cleanups.push(() => store.close());
    const t = await build(store, false);
    cleanups.push(() => t.app.close());
    await t.app.remediation.tick();
    await t.app.remediation.idle();
    expect(executor.calls).toHaveLength(0);
    const statuses = await store.query<{ status: string }>('SELECT status FROM executions ORDER BY approval_id');
    expect(statuses.rows.map((r) => r.status)).toEqual(['needs_reconciliation', 'needs_reconciliation']);

    const reconcile = (id: string, outcome: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/executions/${id}/reconcile`,
        headers: headersFor(PERSONAS.globalAdmin, null),
        payload: { outcome, comment: 'checked the deployment: it restarted at 10:04' },
      });
    expect((await reconcile(ids[0], 'succeeded')).statusCode).toBe(200);
    expect((await reconcile(ids[0], 'resend')).statusCode).toBe(409);
    expect((await call(t, 'GET', `/api/v1/approvals/${ids[0]}`)).json()).toMatchObject({
      status: 'succeeded',
      execution: { status: 'succeeded' },
    });
    expect((await reconcile(ids[1], 'resend')).statusCode).toBe(200);
    await t.app.remediation.idle();
    expect(executor.calls.map((c) => c.idempotencyKey)).toEqual([`opsdeck-approval-${ids[1]}`]);
    expect((await verifyAuditChain(store)).ok).toBe(true);
  }, 180_000);
});
