/**
 * Where a crash test's `opsdeck serve` keeps its data, for both store kinds: a fresh PostgreSQL
 * database, or a fresh embedded data dir. `open()` gives the test its own connection to the same data:
 * on PostgreSQL while the server runs, on the embedded store only while it is stopped (the data dir
 * belongs to one process; the lock of a process killed with -9 is taken over, see data-dir-lock.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Store, StoreKind } from '../../src/api/store';
import { migrate } from '../../src/api/store/migrator';
import { openEmbeddedStore } from '../../src/api/store/pglite';
import { openPostgresStore } from '../../src/api/store/postgres';
import { listening, spawnServe, type ServeProcess } from '../support/serve-process';
import { createTestDatabase } from '../support/stores';

export interface Place {
  kind: StoreKind;
  /** The variables that point `opsdeck serve` at this data. */
  env: Record<string, string>;
  /** Runs `work` on a connection of the test's own, migrated (closed afterwards). */
  use<T>(work: (store: Store) => Promise<T>): Promise<T>;
  remove(): Promise<void>;
}

export async function makePlace(kind: StoreKind): Promise<Place> {
  if (kind === 'postgres') {
    const database = await createTestDatabase();
    return {
      kind,
      env: { OPSDECK_DATABASE_URL: database.url },
      async use(work) {
        const store = await openPostgresStore(database.url, { max: 2 });
        try {
          await migrate(store);
          return await work(store);
        } finally {
          await store.close();
        }
      },
      remove: () => database.drop(),
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-crash-data-'));
  // Start from jest's migrated template (global-setup.ts) instead of an initdb in WebAssembly: seconds
  // of CPU less per place on a loaded machine.
  const template = process.env.OPSDECK_TEST_PGLITE_MIGRATED;
  if (template) {
    await (await openEmbeddedStore(dir, { loadDataDir: new Blob([readFileSync(template)]) })).close();
  }
  return {
    kind,
    env: { OPSDECK_DATA_DIR: dir },
    async use(work) {
      const store = await openEmbeddedStore(dir);
      try {
        await migrate(store);
        return await work(store);
      } finally {
        await store.close();
      }
    },
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `opsdeck serve` on a place; `started` collects it so that afterAll can kill what is left. */
export async function serveOn(
  place: Place,
  env: Record<string, string>,
  started: ServeProcess[]
): Promise<{ server: ServeProcess; url: string }> {
  const server = spawnServe({ ...place.env, ...env });
  started.push(server);
  return { server, url: await listening(server, 120_000) };
}
