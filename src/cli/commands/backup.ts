/**
 * `opsdeck backup` and `opsdeck restore` (issue 13.5; docs/operations-replicas.md).
 *
 * backup, embedded store only (PostgreSQL: pg_dump -Fc):
 *   --data-dir DIR --out FILE  the API is stopped: open the directory (its lock) and dump it;
 *   --api-url URL --out FILE   the API runs: GET /api/v1/admin/backup with OPSDECK_API_TOKEN, a consistent
 *                              copy taken between two of its queries.
 * restore:
 *   --from FILE --data-dir DIR  unpack an embedded backup into DIR (which must not hold a store yet);
 *   --database-url URL          after pg_restore into that database.
 * Either way it then migrates, moves every pending or running execution to needs_reconciliation (so the
 * restored copy does not repeat an action the source may already have run) and verifies the audit chain.
 *
 * Exit codes: 0 done, 1 restored but the audit chain is broken, 2 could not run.
 */
import type { Command } from 'commander';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

import { markRestoredInFlight } from '../../api/approvals/reconcile';
import { verifyAuditLog } from '../../api/audit/verify';
import { openStore, type Store } from '../../api/store';
import { openEmbeddedStore } from '../../api/store/pglite';
import { migrate } from '../../api/store/migrator';
import { describeVerify, EXIT_BROKEN, EXIT_CANNOT_CHECK, EXIT_OK } from './audit';

export interface BackupOptions {
  out: string;
  dataDir?: string;
  apiUrl?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export async function runBackup(options: BackupOptions): Promise<number> {
  const log = options.log ?? ((line: string) => console.error(line));
  const env = options.env ?? process.env;
  try {
    let tarball: Buffer;
    if (options.apiUrl) {
      const response = await fetch(`${options.apiUrl.replace(/\/+$/, '')}/api/v1/admin/backup`, {
        // The service token with a Grafana Admin identity: the same trust the plugin proxy has.
        headers: {
          authorization: `Bearer ${env.OPSDECK_API_TOKEN ?? ''}`,
          'x-grafana-user': 'opsdeck-cli',
          'x-opsdeck-capability': 'catalog:admin',
        },
      });
      if (!response.ok) {
        log(`opsdeck: backup failed: HTTP ${response.status}: ${await response.text()}`);
        return EXIT_CANNOT_CHECK;
      }
      tarball = Buffer.from(await response.arrayBuffer());
    } else {
      const dataDir = options.dataDir ?? env.OPSDECK_DATA_DIR ?? '.opsdeck/data';
      if (!existsSync(dataDir)) {
        log(`opsdeck: no embedded store at ${dataDir}`);
        return EXIT_CANNOT_CHECK;
      }
      const store = await openEmbeddedStore(dataDir);
      try {
        tarball = Buffer.from(await (await store.dump!()).arrayBuffer());
      } finally {
        await store.close();
      }
    }
    writeFileSync(options.out, tarball);
    log(`backup written to ${options.out} (${tarball.length} bytes)`);
    return EXIT_OK;
  } catch (error) {
    log(
      `opsdeck: backup failed: ${(error as Error).message}${/in use by PID/.test((error as Error).message) ? ' — back up a running API with --api-url' : ''}`
    );
    return EXIT_CANNOT_CHECK;
  }
}

export interface RestoreOptions {
  from?: string;
  dataDir?: string;
  databaseUrl?: string;
  now?: Date;
  log?: (line: string) => void;
}

async function openTarget(options: RestoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    return openStore({ store: { kind: 'postgres', url: options.databaseUrl } });
  }
  if (!options.from || !options.dataDir) {
    throw new Error('give --from FILE --data-dir DIR (embedded) or --database-url URL (after pg_restore)');
  }
  if (existsSync(options.dataDir) && readdirSync(options.dataDir).length > 0) {
    throw new Error(`${options.dataDir} is not empty: restore into a new directory, then point OPSDECK_DATA_DIR at it`);
  }
  return openEmbeddedStore(options.dataDir, { loadDataDir: new Blob([readFileSync(options.from)]) });
}

export async function runRestore(options: RestoreOptions): Promise<number> {
  const log = options.log ?? ((line: string) => console.log(line));
  let store: Store;
  try {
    store = await openTarget(options);
  } catch (error) {
    log(`opsdeck: restore failed: ${(error as Error).message}`);
    return EXIT_CANNOT_CHECK;
  }
  try {
    await migrate(store);
    const source = options.databaseUrl ? 'pg_restore' : `backup ${options.from}`;
    const context = {
      actor: 'opsdeck-cli',
      role: 'admin' as const,
      tenant: null,
      project: null,
      correlation_id: `restore-${Date.now()}`,
      source_ip: null,
    };
    const marked = await markRestoredInFlight(store, context, options.now ?? new Date(), source);
    log(
      marked.length === 0
        ? 'no execution was in flight in the backup'
        : `${marked.length} execution(s) were in flight in the backup and now wait in needs_reconciliation: ${marked.join(', ')}`
    );
    const verified = await verifyAuditLog(store);
    log(describeVerify(verified));
    return verified.ok ? EXIT_OK : EXIT_BROKEN;
  } catch (error) {
    log(`opsdeck: restore failed: ${(error as Error).message}`);
    return EXIT_CANNOT_CHECK;
  } finally {
    await store.close();
  }
}

export function registerBackupCommands(program: Command) {
  program
    .command('backup')
    .description('back up the embedded store to a gzip tarball (PostgreSQL: use pg_dump -Fc)')
    .requiredOption('--out <file>', 'where to write the tarball')
    .option('--data-dir <dir>', 'a stopped embedded store (default: OPSDECK_DATA_DIR)')
    .option('--api-url <url>', 'a running API on the embedded store (uses OPSDECK_API_TOKEN)')
    .action(async (opts: BackupOptions) => {
      process.exitCode = await runBackup(opts);
    });
  program
    .command('restore')
    .description('restore a backup, hold in-flight executions for reconciliation, and verify the audit chain')
    .option('--from <file>', 'an embedded store backup (opsdeck backup)')
    .option('--data-dir <dir>', 'a new, empty directory for the embedded store')
    .option('--database-url <url>', 'a PostgreSQL database just restored with pg_restore')
    .action(async (opts: RestoreOptions) => {
      process.exitCode = await runRestore(opts);
    });
}
