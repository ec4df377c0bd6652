import { PGlite } from '@electric-sql/pglite';

import type { QueryResult, Row, Sql, Store } from './types';

type PGliteLike = Pick<PGlite, 'query' | 'exec' | 'transaction' | 'close' | 'closed'>;

function wrap(db: Pick<PGlite, 'query' | 'exec'>): Sql {
  return {
    async exec(script: string) {
      await db.exec(script);
    },
    async query<T = Row>(text: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const result = await db.query<T>(text, params);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
  };
}

/** Embedded store: PostgreSQL compiled to WebAssembly, persisted in a directory (or in memory for `memory://`). */
export async function openEmbeddedStore(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<Store> {
  const db = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir, {
    loadDataDir: options.loadDataDir,
  });
  return embeddedStore(db);
}

export function embeddedStore(db: PGliteLike): Store {
  const sql = wrap(db);
  return {
    kind: 'embedded',
    query: sql.query,
    exec: sql.exec,
    // PGlite runs one statement at a time; its transaction() queues other work until COMMIT.
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    async ping() {
      if (db.closed) {
        throw new Error('embedded store is closed');
      }
      await db.query('SELECT 1');
    },
    async close() {
      if (!db.closed) {
        await db.close();
      }
    },
  };
}
