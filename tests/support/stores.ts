/**
 * Stores for tests: every store suite runs the same assertions on the embedded store (PGlite) and on
 * a real PostgreSQL server. Each call gets an isolated database: PGlite loads a template data dir
 * made once by global-setup.ts; PostgreSQL gets a fresh `opsdeck_t_*` database created through
 * OPSDECK_TEST_DATABASE_URL (set by global-setup.ts to a throwaway cluster it starts, unless given) and
 * dropped afterwards.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';

import { embeddedStore } from '../../src/api/store/pglite';
import { openPostgresStore } from '../../src/api/store/postgres';
import type { Store, StoreKind } from '../../src/api/store';
import { prerequisite } from './binaries';
import { PGlite } from '@electric-sql/pglite';

export const TEST_DATABASE_URL = process.env.OPSDECK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  store: Store;
  /** Connection URL (PostgreSQL) or null (embedded). */
  url: string | null;
  /** Closes the store and removes its database. */
  dispose(): Promise<void>;
}

let postgresChecked: boolean | undefined;

/** Whether a PostgreSQL server answers at TEST_DATABASE_URL (checked once per test file). */
export function postgresAvailable(): boolean {
  if (postgresChecked === undefined) {
    try {
      execFileSync(process.execPath, ['-e', probeScript(TEST_DATABASE_URL)], { stdio: 'ignore', timeout: 10_000 });
      postgresChecked = true;
    } catch {
      postgresChecked = false;
    }
  }
  return postgresChecked;
}

function probeScript(url: string) {
  return `const {Client}=require(${JSON.stringify(require.resolve('pg'))});const c=new Client({connectionString:${JSON.stringify(url)},connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1));`;
}

/** The store kinds a suite runs on here: embedded always; PostgreSQL when a server answers (required on CI). */
export function storeKinds(suite: string): StoreKind[] {
  const kinds: StoreKind[] = ['embedded'];
  if (prerequisite(suite, `a PostgreSQL server at ${TEST_DATABASE_URL}`, postgresAvailable())) {
    kinds.push('postgres');
  }
  return kinds;
}

function templatePath(migrated: boolean): string {
  const variable = migrated ? 'OPSDECK_TEST_PGLITE_MIGRATED' : 'OPSDECK_TEST_PGLITE_EMPTY';
  const file = process.env[variable];
  if (!file) {
    throw new Error(
      `${variable} is not set: run the node tests through jest (tests/support/global-setup.ts makes the templates)`
    );
  }
  return file;
}

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `opsdeck_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** An isolated store of `kind`; `migrated: true` (default) starts at the latest schema. */
export async function openTestStore(kind: StoreKind, options: { migrated?: boolean } = {}): Promise<TestStore> {
  const migrated = options.migrated ?? true;
  if (kind === 'embedded') {
    const dump = new Blob([readFileSync(templatePath(migrated))]);
    const db = await PGlite.create({ loadDataDir: dump });
    const store = embeddedStore(db);
    return { store, url: null, dispose: () => store.close() };
  }
  const database = await createTestDatabase();
  const store = await openPostgresStore(database.url, { max: 20 });
  if (migrated) {
    const { migrate } = await import('../../src/api/store/migrator');
    await migrate(store);
  }
  return {
    store,
    url: database.url,
    async dispose() {
      await store.close();
      await database.drop();
    },
  };
}
