import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { ID_LOCK_FILE, parseIdLock, writeIdLock } from '../../catalog/id-lock';
import { allRules, lintRepository } from '../../catalog/lint/engine';
import { formatFinding, jsonReport, summaryLine } from '../../catalog/lint/format';
import { readCatalog } from '../../catalog/load';
import { isoDateOf, parseIsoDate } from '../../catalog/review';

/**
 * build/lint-worker.cjs next to the CLI bundle (build/opsdeck.cjs), where a worker thread takes the
 * alert files and the query grammars; absent when running from sources (tests), then one thread lints.
 */
function lintWorkerScript(): string | undefined {
  const script = path.join(path.dirname(__filename), 'lint-worker.cjs');
  return __filename.endsWith('.cjs') && existsSync(script) ? script : undefined;
}

export interface LintCommandOptions {
  root?: string;
  catalogDir?: string;
  today?: string;
  format?: string;
  listRules?: boolean;
  writeLock?: boolean;
}

export interface LintCommandOutput {
  /** 0: no errors (warnings allowed); 1: at least one error; 2: usage error. */
  exitCode: 0 | 1 | 2;
  stdout: string[];
  stderr: string[];
}

/**
 * `opsdeck lint` without touching the process: findings go to stdout (`path:line: rule-id: message`
 * or one JSON document), the summary to stderr. Tests call this; the command prints it.
 */
export async function runLint(options: LintCommandOptions): Promise<LintCommandOutput> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  if (options.listRules) {
    for (const rule of allRules()) {
      stdout.push(`${rule.id}\t${rule.severity}\t${rule.description}`);
    }
    return { exitCode: 0, stdout, stderr };
  }
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    return { exitCode: 2, stdout, stderr: [`opsdeck lint: --format must be text or json, got ${format}`] };
  }
  if (options.today !== undefined && parseIsoDate(options.today) === null) {
    return {
      exitCode: 2,
      stdout,
      stderr: [`opsdeck lint: --today must be a date like 2026-11-23, got ${options.today}`],
    };
  }
  const root = path.resolve(options.root ?? process.cwd());
  const catalogDir = options.catalogDir ?? 'catalog';
  if (options.writeLock) {
    const absoluteCatalog = path.resolve(root, catalogDir);
    const lockFile = path.join(absoluteCatalog, ID_LOCK_FILE);
    const existing = parseIdLock(await readFile(lockFile, 'utf8').catch(() => '')).ids.keys();
    const { declared } = await readCatalog(absoluteCatalog, { root });
    await writeIdLock(lockFile, existing, declared.runbookIds);
  }
  const today = options.today ?? isoDateOf(new Date());
  const started = performance.now();
  const result = await lintRepository({ root, catalogDir, today, workerScript: lintWorkerScript() });
  const seconds = (performance.now() - started) / 1000;
  if (format === 'json') {
    stdout.push(JSON.stringify(jsonReport(result, today, seconds), null, 2));
  } else {
    stdout.push(...result.findings.map(formatFinding));
    stderr.push(summaryLine(result, seconds));
  }
  return { exitCode: result.errors > 0 ? 1 : 0, stdout, stderr };
}

/** `opsdeck lint`: governance of the GitOps catalog; exit 1 on any error, 0 with only warnings, 2 on a usage error. */
export function registerLintCommand(program: Command) {
  program
    .command('lint')
    .description('check that alerts, signals, saved queries and runbooks agree (exit 1 on any error)')
    .option('--root <dir>', 'repository root to lint (default: the current directory)')
    .option('--catalog-dir <dir>', 'catalog directory, relative to the root', 'catalog')
    .option('--today <YYYY-MM-DD>', 'the day runbook reviews are measured against (default: today, UTC)')
    .option('--format <format>', 'text or json', 'text')
    .option('--list-rules', 'print every rule id with its severity and what it checks')
    .option('--write-lock', `add the manifest's runbook IDs to catalog/${ID_LOCK_FILE} (never removes one), then lint`)
    .action(async (options: LintCommandOptions) => {
      const output = await runLint(options);
      for (const line of output.stdout) {
        console.log(line);
      }
      for (const line of output.stderr) {
        console.error(line);
      }
      process.exitCode = output.exitCode;
    });
}
