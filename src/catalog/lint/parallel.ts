/**
 * The linter's second thread. On a large repository the two heaviest jobs that need nothing from the
 * rest of the lint are parsing the alert rule files (YAML) and parsing every signal expression and
 * saved query with the Lezer grammars; a worker thread does them while the main thread reads the
 * manifest and the markdown and runs the other rules (measurements: README, Performance).
 *
 * The worker runs build/lint-worker.cjs (./worker.ts, bundled next to the CLI by scripts/build-api.mjs;
 * it loads only js-yaml and the grammars). Where there is no bundle (tests, tsx) or the worker fails,
 * the lint runs in one thread with the same result.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';

import type { QueryDatasource } from '../../contract/catalog';
import { indexAlertRules, readAlertIndexSync } from '../alert-rules';
import { CATALOG_FILES } from '../files';
import type { AlertIndex, AlertRule } from '../model';
import { checkQuerySyntax, unknownVariables, type SyntaxProblem } from '../query-syntax';

export interface LintWorkerInput {
  root: string;
  catalogDir: string;
}

export interface LintWorkerOutput {
  alerts: { rules: AlertRule[]; problems: AlertIndex['problems']; files: string[] };
  /** syntaxKey(language, expr) → the first syntax error, or null. */
  syntax: Array<[string, SyntaxProblem | null]>;
}

export const syntaxKey = (language: QueryDatasource, expr: string) => `${language}\u0000${expr}`;

const LANGUAGES = new Set<string>(['loki', 'tempo', 'prometheus']);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function arrayOf(file: string, key: string): unknown[] {
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isRecord(data) && Array.isArray(data[key]) ? data[key] : [];
  } catch {
    // The main thread reports unreadable files; expressions it still finds are checked there.
    return [];
  }
}

/** The worker's whole job, also callable in-process. Reads the raw files: validation is the main thread's. */
export function lintWorkerJob(input: LintWorkerInput): LintWorkerOutput {
  const alerts = readAlertIndexSync(input.root);
  const syntax: Array<[string, SyntaxProblem | null]> = [];
  for (const signal of arrayOf(path.join(input.catalogDir, CATALOG_FILES.runbooks), 'signals')) {
    if (isRecord(signal) && typeof signal.expr === 'string') {
      syntax.push([syntaxKey('prometheus', signal.expr), checkQuerySyntax('prometheus', signal.expr)]);
    }
  }
  for (const query of arrayOf(path.join(input.catalogDir, CATALOG_FILES.queries), 'queries')) {
    if (
      isRecord(query) &&
      typeof query.expr === 'string' &&
      typeof query.datasource === 'string' &&
      LANGUAGES.has(query.datasource)
    ) {
      if (unknownVariables(query.expr).length === 0) {
        const language = query.datasource as QueryDatasource;
        syntax.push([syntaxKey(language, query.expr), checkQuerySyntax(language, query.expr)]);
      }
    }
  }
  return { alerts: { rules: [...alerts.rules], problems: [...alerts.problems], files: [...alerts.files] }, syntax };
}

/** Entry point inside the worker thread (./worker.ts). */
export function serveLintWorker(): void {
  if (parentPort) {
    parentPort.postMessage(lintWorkerJob(workerData as LintWorkerInput));
  }
}

export interface LintWorkerResults {
  alerts: Promise<AlertIndex | null>;
  syntax: Promise<Map<string, SyntaxProblem | null> | null>;
}

/** Starts the worker script; both results resolve to null when the worker fails (never reject). */
export function startLintWorker(script: string, input: LintWorkerInput): LintWorkerResults {
  const output = new Promise<LintWorkerOutput | null>((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: input });
    } catch {
      resolve(null);
      return;
    }
    worker.once('message', (message: LintWorkerOutput) => resolve(message));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  return {
    alerts: output.then((result) =>
      result ? indexAlertRules(result.alerts.rules, result.alerts.problems, result.alerts.files) : null
    ),
    syntax: output.then((result) => (result ? new Map(result.syntax) : null)),
  };
}
