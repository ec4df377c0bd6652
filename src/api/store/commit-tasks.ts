import type { Sql, Store } from './types';

/**
 * The after-commit tasks of one transaction (Sql.afterCommit): collected while it runs, run once after
 * COMMIT by the store that ran it. Tasks are deduplicated by identity, so a transaction that appends
 * ten audit rows asks the sequencer once.
 */
export function commitTasks() {
  const tasks = new Set<(store: Store) => Promise<unknown>>();
  return {
    attach<T extends Sql>(sql: T): T {
      sql.afterCommit = (task) => {
        tasks.add(task);
      };
      return sql;
    },
    async run(store: Store): Promise<void> {
      for (const task of tasks) {
        await task(store).catch(() => undefined);
      }
    },
  };
}
