import { PGlite } from '@electric-sql/pglite';

import { acquireDataDirLock, type DataDirLock, type DataDirLockOptions } from './data-dir-lock';
import { commitTasks } from './commit-tasks';
import type { QueryResult, Row, Sql, Store } from './types';

type PGliteLike = Pick<PGlite, 'query' | 'exec' | 'transaction' | 'close' | 'closed' | 'dumpDataDir'>;

function wrap(db: Pick<PGlite, 'query' | 'exec'>, guard: () => void = () => undefined): Sql {
  return {
    async exec(script: string) {
      guard();
      await db.exec(script);
    },
    async query<T = Row>(text: string, params: unknown[] = []): Promise<QueryResult<T>> {
      guard();
      const result = await db.query<T>(text, params);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
  };
}

export interface EmbeddedStoreOptions {
  loadDataDir?: Blob;
  /** Staleness and heartbeat of the data dir lock (tests shorten them). */
  lock?: Omit<DataDirLockOptions, 'onCompromised'>;
}

/**
 * Embedded store: PostgreSQL compiled to WebAssembly, persisted in a directory (or in memory for `memory://`).
 * A directory is locked for this process first (data-dir-lock.ts): a second opener gets StoreInUseError
 * before it touches a single data file.
 */
export async function openEmbeddedStore(dataDir: string, options: EmbeddedStoreOptions = {}): Promise<Store> {
  if (dataDir === 'memory://') {
    return embeddedStore(await PGlite.create(undefined, { loadDataDir: options.loadDataDir }));
  }
  let lost: Error | null = null;
  let loading = options.loadDataDir !== undefined;
  const lock = await acquireDataDirLock(dataDir, {
    ...options.lock,
    onCompromised: (error) => {
      // While a backup is extracted its own lock file briefly replaces ours (see reassert).
      if (!loading) {
        lost = error;
      }
    },
  });
  try {
    const db = await PGlite.create(dataDir, { loadDataDir: options.loadDataDir });
    if (loading) {
      await lock.reassert();
      loading = false;
    }
    return embeddedStore(db, { lock, lost: () => lost });
  } catch (error) {
    await lock.release();
    throw error;
  }
}

export function embeddedStore(db: PGliteLike, held: { lock?: DataDirLock; lost?: () => Error | null } = {}): Store {
  // Once another process has taken the directory over, writing would corrupt it: refuse all work
  // (readiness fails, requests answer 503) instead.
  const guard = () => {
    const lost = held.lost?.();
    if (lost) {
      throw lost;
    }
  };
  const sql = wrap(db, guard);
  const store: Store = {
    kind: 'embedded',
    query: sql.query,
    exec: sql.exec,
    health: sql,
    // PGlite runs one statement at a time; its transaction() queues other work until COMMIT.
    transaction: async (work) => {
      guard();
      const after = commitTasks();
      const result = await db.transaction((tx) => work(after.attach(wrap(tx, guard))));
      await after.run(store);
      return result;
    },
    async dump() {
      // PGlite runs one operation at a time: the copy is consistent even while requests arrive.
      return db.dumpDataDir('gzip');
    },
    async ping() {
      if (db.closed) {
        throw new Error('embedded store is closed');
      }
      guard();
      await db.query('SELECT 1');
    },
    async close() {
      if (!db.closed) {
        await db.close();
      }
      await held.lock?.release();
    },
  };
  return store;
}
