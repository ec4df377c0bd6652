import type { Config } from '../config';
import { openEmbeddedStore } from './pglite';
import { openPostgresStore } from './postgres';
import type { Store } from './types';

export type { Row, Sql, Store, StoreKind, QueryResult } from './types';

/** Opens the store the configuration selects: PostgreSQL for a postgres:// URL, else the embedded one. */
export async function openStore(config: Pick<Config, 'store'>): Promise<Store> {
  return config.store.kind === 'postgres'
    ? openPostgresStore(config.store.url)
    : openEmbeddedStore(config.store.dataDir);
}
export { chunksOf, forEachChunk, yieldingSql, yieldToEventLoop } from './chunks';
