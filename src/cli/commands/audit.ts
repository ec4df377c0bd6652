/**
 * `opsdeck audit verify` walks the audit hash chain and names the first broken row;
 * `opsdeck audit purge` applies the retention period behind a checkpoint row.
 * Both read OPSDECK_DATABASE_URL (PostgreSQL) or OPSDECK_DATA_DIR (embedded store) and need no API
 * token. The embedded store belongs to one process at a time (its data dir lock): while the API
 * runs on it they refuse with "in use by PID …" and exit 2; use GET /api/v1/audit/verify then.
 *
 * Exit codes: 0 clean, 1 the chain is broken, 2 the check could not run (configuration, store).
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { ulid } from 'ulid';

import type { AuditVerifyResult } from '../../contract/audit';
import { ConfigError, loadStoreConfig, type Config } from '../../api/config';
import { purgeAudit } from '../../api/audit/purge';
import { verifyAuditLog } from '../../api/audit/verify';
import { openStore, type Store } from '../../api/store';

export const EXIT_OK = 0;
export const EXIT_BROKEN = 1;
export const EXIT_CANNOT_CHECK = 2;

export interface AuditCommandOptions {
  databaseUrl?: string;
  dataDir?: string;
  json?: boolean;
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

function storeConfigOf(options: AuditCommandOptions): Pick<Config, 'store' | 'auditRetentionDays'> {
  const env = { ...(options.env ?? process.env) };
  if (options.databaseUrl) {
    env.OPSDECK_DATABASE_URL = options.databaseUrl;
  }
  if (options.dataDir) {
    env.OPSDECK_DATABASE_URL = '';
    env.OPSDECK_DATA_DIR = options.dataDir;
  }
  return loadStoreConfig(env);
}

/** Opens the store without creating or migrating anything; null (with a message) when it cannot. */
async function openExisting(options: AuditCommandOptions, err: (line: string) => void): Promise<Store | null> {
  let config: Pick<Config, 'store' | 'auditRetentionDays'>;
  try {
    config = storeConfigOf(options);
  } catch (error) {
    err(`opsdeck: invalid configuration: ${error instanceof ConfigError ? error.message : (error as Error).message}`);
    return null;
  }
  if (config.store.kind === 'embedded' && !existsSync(config.store.dataDir)) {
    err(`opsdeck: no embedded store at ${config.store.dataDir} (set OPSDECK_DATA_DIR or OPSDECK_DATABASE_URL)`);
    return null;
  }
  let store: Store;
  try {
    store = await openStore(config);
    const { rows } = await store.query<{ present: boolean }>("SELECT to_regclass('audit_log') IS NOT NULL AS present");
    if (!rows[0]?.present) {
      await store.close();
      err('opsdeck: this database has no audit_log table (not an Opsdeck store, or never started)');
      return null;
    }
  } catch (error) {
    err(`opsdeck: cannot open the store: ${(error as Error).message}`);
    return null;
  }
  return store;
}

export function describeVerify(result: AuditVerifyResult): string {
  const from = result.checkpoint_id !== null ? ` from retention checkpoint ${result.checkpoint_id}` : '';
  if (result.ok) {
    return result.checked === 0
      ? 'audit log OK: empty'
      : `audit log OK: ${result.checked} rows checked${from}; head hash ${result.head_hash}`;
  }
  return `audit log BROKEN at row ${result.first_broken_id}: ${result.reason} (${result.checked} rows before it are intact${from})`;
}

export async function runAuditVerify(options: AuditCommandOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => console.log(line));
  const err = options.err ?? ((line: string) => console.error(line));
  const store = await openExisting(options, err);
  if (!store) {
    return EXIT_CANNOT_CHECK;
  }
  try {
    const result = await verifyAuditLog(store);
    out(options.json ? JSON.stringify(result) : describeVerify(result));
    return result.ok ? EXIT_OK : EXIT_BROKEN;
  } catch (error) {
    err(`opsdeck: audit verify failed: ${(error as Error).message}`);
    return EXIT_CANNOT_CHECK;
  } finally {
    await store.close();
  }
}

export async function runAuditPurge(
  options: AuditCommandOptions & { retentionDays?: number; now?: Date } = {}
): Promise<number> {
  const out = options.out ?? ((line: string) => console.log(line));
  const err = options.err ?? ((line: string) => console.error(line));
  const store = await openExisting(options, err);
  if (!store) {
    return EXIT_CANNOT_CHECK;
  }
  try {
    const retentionDays = options.retentionDays ?? storeConfigOf(options).auditRetentionDays;
    const result = await purgeAudit(store, {
      retentionDays,
      now: options.now ?? new Date(),
      correlationId: `cli-purge-${ulid()}`,
      actor: 'opsdeck-cli',
    });
    out(
      options.json
        ? JSON.stringify(result)
        : result.purged === 0
          ? `nothing older than ${result.cutoff} to purge`
          : `purged ${result.purged} audit rows older than ${result.cutoff}; checkpoint row ${result.checkpoint_id}`
    );
    return EXIT_OK;
  } catch (error) {
    err(`opsdeck: audit purge failed: ${(error as Error).message}`);
    return (error as Error).name === 'AuditChainBrokenError' ? EXIT_BROKEN : EXIT_CANNOT_CHECK;
  } finally {
    await store.close();
  }
}

export function registerAuditCommand(program: Command) {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('walk the hash chain and name the first broken row (exit 0 clean, 1 broken, 2 could not check)')
    .option('--database-url <url>', 'PostgreSQL URL (default: OPSDECK_DATABASE_URL)')
    .option('--data-dir <dir>', 'embedded store directory (default: OPSDECK_DATA_DIR, else .opsdeck/data)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { databaseUrl?: string; dataDir?: string; json?: boolean }) => {
      process.exitCode = await runAuditVerify(opts);
    });
  audit
    .command('purge')
    .description(
      'delete audit rows older than the retention period, leaving a checkpoint that keeps the chain verifiable'
    )
    .option('--database-url <url>', 'PostgreSQL URL (default: OPSDECK_DATABASE_URL)')
    .option('--data-dir <dir>', 'embedded store directory (default: OPSDECK_DATA_DIR, else .opsdeck/data)')
    .option(
      '--retention-days <days>',
      'keep this many days (default: OPSDECK_AUDIT_RETENTION_DAYS, else 730)',
      (value) => {
        const days = Number(value);
        if (!Number.isInteger(days) || days < 1) {
          throw new Error('--retention-days must be a whole number of days, at least 1');
        }
        return days;
      }
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { databaseUrl?: string; dataDir?: string; json?: boolean; retentionDays?: number }) => {
      process.exitCode = await runAuditPurge(opts);
    });
}
