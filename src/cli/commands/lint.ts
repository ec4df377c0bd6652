import type { Command } from 'commander';
import path from 'node:path';

import { ID_LOCK_FILE, parseIdLock, writeIdLock } from '../../catalog/id-lock';
import { allRules, lintRepository } from '../../catalog/lint/engine';
import { formatFinding, jsonReport, summaryLine } from '../../catalog/lint/format';
import { readCatalog } from '../../catalog/load';
import { isoDateOf, parseIsoDate } from '../../catalog/review';
import { readFile } from 'node:fs/promises';

interface LintCommandOptions {
  root: string;
  catalogDir: string;
  today?: string;
  format: string;
  listRules?: boolean;
  writeLock?: boolean;
}

/**
 * `opsdeck lint`: governance of the GitOps catalog. Prints `path:line: rule-id: message` per finding
 * (or JSON with --format json); exits 1 on any error, 0 with only warnings, 2 on a usage error.
 */
export function registerLintCommand(program: Command) {
  program
    .command('lint')
    .description('check that alerts, signals, saved queries and runbooks agree (exit 1 on any error)')
    .option('--root <dir>', 'repository root to lint', process.cwd())
    .option('--catalog-dir <dir>', 'catalog directory, relative to the root', 'catalog')
    .option('--today <YYYY-MM-DD>', 'the day runbook reviews are measured against (default: today, UTC)')
    .option('--format <format>', 'text or json', 'text')
    .option('--list-rules', 'print every rule id with its severity and what it checks')
    .option('--write-lock', `add the manifest's runbook IDs to catalog/${ID_LOCK_FILE} (never removes one), then lint`)
    .action(async (options: LintCommandOptions) => {
      if (options.listRules) {
        for (const rule of allRules()) {
          console.log(`${rule.id}\t${rule.severity}\t${rule.description}`);
        }
        return;
      }
      if (options.format !== 'text' && options.format !== 'json') {
        console.error(`opsdeck lint: --format must be text or json, got ${options.format}`);
        process.exit(2);
      }
      if (options.today !== undefined && parseIsoDate(options.today) === null) {
        console.error(`opsdeck lint: --today must be a date like 2026-11-23, got ${options.today}`);
        process.exit(2);
      }
      const root = path.resolve(options.root);
      if (options.writeLock) {
        const catalogDir = path.resolve(root, options.catalogDir);
        const lockFile = path.join(catalogDir, ID_LOCK_FILE);
        const existing = parseIdLock(await readFile(lockFile, 'utf8').catch(() => '')).ids.keys();
        const { declared } = await readCatalog(catalogDir, { root });
        await writeIdLock(lockFile, existing, declared.runbookIds);
      }
      const today = options.today ?? isoDateOf(new Date());
      const started = performance.now();
      const result = await lintRepository({ root, catalogDir: options.catalogDir, today });
      const seconds = (performance.now() - started) / 1000;
      if (options.format === 'json') {
        console.log(JSON.stringify(jsonReport(result, today, seconds), null, 2));
      } else {
        for (const finding of result.findings) {
          console.log(formatFinding(finding));
        }
        console.error(summaryLine(result, seconds));
      }
      process.exitCode = result.errors > 0 ? 1 : 0;
    });
}
