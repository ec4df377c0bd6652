import { Mutex } from 'async-mutex';
import pg from 'pg';

import { commitTasks } from './commit-tasks';
import type { QueryResult, Row, Sql, Store } from './types';

// BIGINT (int8) and NUMERIC come back as strings by default; our schema keeps ids and counters in
// ranges that fit a JS number, and the embedded store returns numbers, so both stores agree.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

function wrap(client: Pick<pg.Pool | pg.PoolClient, 'query'>): Sql {
  return {
    async exec(script: string) {
      // Without parameters `pg` uses the simple query protocol, which runs several statements.
      await client.query(script);
    },
    async query<T = Row>(text: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const result = await client.query(text, params);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    },
  };
}

/**
 * The connection /readyz pings through, outside the pool (issue 13.3): a busy pool is not an unready
 * replica, and a load balancer that drops every replica during a burst turns load into an outage.
 * Connected on first use and again after it broke.
 *
 * One `pg.Client` runs one query at a time, and /readyz (two queries per call, any number of calls at
 * once) and the catalog follower share it: `run` takes them in turn through a mutex (async-mutex, as
 * the intake gate uses). Handing a busy client a second query made pg queue it itself and log its
 * deprecation ("client.query() when the client is already executing a query"; pg 9 removes that
 * queue). Not the pool, for the reason above; not a client per check, which would double the
 * connections every replica holds for a few one-row queries. A query stuck on a dead connection
 * holds the turn of those behind it, as pg's own queue did; /readyz still answers 503 after its
 * timeout, and the connection's error resets it.
 */
function probeConnection(url: string) {
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  const connect = () => {
    connecting ??= (async () => {
      const fresh = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
      fresh.on('error', () => {
        client = null;
      });
      try {
        await fresh.connect();
      } finally {
        connecting = null;
      }
      client = fresh;
      return fresh;
    })();
    return connecting;
  };
  const turn = new Mutex();
  const run = (text: string, params: unknown[] = []) => turn.runExclusive(() => runAlone(text, params));
  const runAlone = async (text: string, params: unknown[]) => {
    const current = client ?? (await connect());
    try {
      return await current.query(text, params);
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) {
        // The connection broke (not a mere SQL error): connect afresh next time.
        client = null;
        await current.end().catch(() => undefined);
      }
      throw error;
    }
  };
  return {
    health: {
      async exec(script: string) {
        await run(script);
      },
      async query<T = Row>(text: string, params: unknown[] = []): Promise<QueryResult<T>> {
        const result = await run(text, params);
        return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
      },
    } satisfies Sql,
    async close() {
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}

/** Production store: a PostgreSQL server through a `pg` connection pool. */
export async function openPostgresStore(
  url: string,
  options: { max?: number; connectionTimeoutMillis?: number } = {}
): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
  });
  // An idle client that loses its connection emits 'error'; the pool drops it, we must not crash.
  pool.on('error', () => undefined);
  const sql = wrap(pool);
  const probe = probeConnection(url);
  let closed = false;
  const store: Store = {
    kind: 'postgres',
    query: sql.query,
    exec: sql.exec,
    async transaction(work) {
      const client = await pool.connect();
      // While a client is checked out the pool does not listen for its 'error' events; a connection
      // lost mid-transaction (PostgreSQL stopped, network cut) would be an uncaught error that ends the
      // process. Keep the error instead: the failing query rejects, and the client is released as broken.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken ??= error;
      };
      client.on('error', onError);
      const after = commitTasks();
      let committed = false;
      try {
        await client.query('BEGIN');
        const result = await work(after.attach(wrap(client)));
        await client.query('COMMIT');
        committed = true;
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken ??= rollbackError;
        });
        throw error;
      } finally {
        client.off('error', onError);
        // release(error) destroys the connection instead of handing a dead one to the next request.
        client.release(broken ?? false);
        if (committed) {
          await after.run(store);
        }
      }
    },
    async ping() {
      if (closed) {
        throw new Error('store is closed');
      }
      await probe.health.query('SELECT 1');
    },
    health: probe.health,
    async close() {
      if (!closed) {
        closed = true;
        await probe.close();
        await pool.end();
      }
    },
  };
  return store;
}
