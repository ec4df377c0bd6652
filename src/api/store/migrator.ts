import { createHash } from 'node:crypto';

import { MIGRATIONS, type Migration } from './migrations';
import type { Sql, Store } from './types';

/** Advisory lock key shared by every migrator of this schema ("opsd" in ASCII). */
const MIGRATION_LOCK_KEY = 0x6f707364;

export interface MigrationReport {
  applied: number[];
  version: number;
}

const checksum = (migration: Migration) => createHash('sha256').update(migration.sql).digest('hex');

/**
 * Applies pending migrations in one transaction under an advisory lock, so two processes starting
 * together apply each migration exactly once (the second waits, then finds nothing to do).
 * Running it again is a no-op. A shipped migration whose text changed is an error, not a silent skip.
 */
export async function migrate(store: Store, migrations: Migration[] = MIGRATIONS): Promise<MigrationReport> {
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      checksum   TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version'
    );
    const applied = new Map(rows.map((row) => [row.version, row]));
    for (const migration of migrations) {
      const existing = applied.get(migration.version);
      if (existing && existing.checksum !== checksum(migration)) {
        throw new Error(
          `migration ${migration.version} (${migration.name}) changed after it was applied; add a new migration instead`
        );
      }
    }
    const newlyApplied: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) {
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        checksum(migration),
      ]);
      newlyApplied.push(migration.version);
    }
    return { applied: newlyApplied, version: await schemaVersion(tx) };
  });
}

/** The highest applied migration, or 0 on an empty database. */
export async function schemaVersion(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ exists: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS exists"
  );
  if (!rows[0]?.exists) {
    return 0;
  }
  const result = await sql.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return result.rows[0]?.version ?? 0;
}

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
