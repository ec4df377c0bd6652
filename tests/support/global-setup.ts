/**
 * Runs once before the node test project:
 * - makes two PGlite data-dir templates (fresh, and migrated to the latest schema) so each test file
 *   opens an isolated embedded store in ~1 s instead of ~4 s;
 * - starts a throwaway PostgreSQL cluster (tests/support/pg-cluster.ts) unless OPSDECK_TEST_DATABASE_URL
 *   names a server to use, so the PostgreSQL half of every store suite needs nothing set up by hand.
 * Workers inherit the paths and the URL through the environment; global-teardown.ts stops the cluster.
 */
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { embeddedStore } from '../../src/api/store/pglite';
import { migrate } from '../../src/api/store/migrator';
import { postgresBinDir, startPgCluster, type PgCluster } from './pg-cluster';

declare global {
  // Shared with global-teardown.ts: jest runs both in the same process.
  var opsdeckTestCluster: PgCluster | undefined;
}

async function makePgliteTemplates() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-pglite-template-'));
  const db = await PGlite.create();
  const empty = path.join(dir, 'empty.tar');
  writeFileSync(empty, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
  await migrate(embeddedStore(db));
  const migrated = path.join(dir, 'migrated.tar');
  writeFileSync(migrated, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
  await db.close();
  process.env.OPSDECK_TEST_PGLITE_EMPTY = empty;
  process.env.OPSDECK_TEST_PGLITE_MIGRATED = migrated;
}

async function startThrowawayPostgres() {
  if (process.env.OPSDECK_TEST_DATABASE_URL || !postgresBinDir()) {
    // A named server is used as it is; without binaries the store suites report the missing server
    // themselves (SKIPPED locally, a failure on CI) through tests/support/stores.ts.
    return;
  }
  const cluster = await startPgCluster();
  globalThis.opsdeckTestCluster = cluster;
  process.env.OPSDECK_TEST_DATABASE_URL = cluster.url;
  // A jest run stopped by Ctrl-C or a crash never reaches the teardown: do not leave a server behind.
  process.once('exit', () => cluster.remove());
}

export default async function globalSetup() {
  await Promise.all([makePgliteTemplates(), startThrowawayPostgres()]);
}
