/**
 * `catalog_state`: the revision of the last successful catalog reload anywhere in the fleet, which
 * every replica follows (catalog-sync.ts). One row, id 1.
 */
import type { Sql } from './store';

/** Records a reload's revision, in the transaction of its audit row (catalog-reload.ts). */
export async function announceRevision(tx: Sql, revision: string, at: Date, by: string): Promise<void> {
  await tx.query(
    `INSERT INTO catalog_state (id, revision, generation, reloaded_at, reloaded_by) VALUES (1, $1, 1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET revision = $1, generation = catalog_state.generation + 1, reloaded_at = $2, reloaded_by = $3`,
    [revision, at.toISOString(), by]
  );
}

/** The revision the last reload announced (undefined: no reload yet). */
export async function announcedRevision(sql: Sql): Promise<string | undefined> {
  const { rows } = await sql.query<{ revision: string }>('SELECT revision FROM catalog_state WHERE id = 1');
  return rows[0]?.revision;
}
