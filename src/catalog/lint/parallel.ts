/**
 * The linter's second thread. On a large repository the two heaviest jobs that need nothing from the
 * rest of the lint are parsing the alert rule files (YAML) and parsing every signal expression and
 * saved query with the Lezer grammars; a worker thread does them while the main thread validates the
 * manifest, reads the markdown and runs the other rules. The main thread sends the expressions as soon
 * as it has parsed the files, so nothing is read twice (measurements: bench/RESULTS.md).
 *
 * The worker runs build/lint-worker.cjs (./worker.ts, bundled next to the CLI by scripts/build-api.mjs;
 * it loads only js-yaml and the grammars). Where there is no bundle (tests, tsx) or the worker fails,
 * the lint runs in one thread with the same result.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';

import type { QueryDatasource } from '../../contract/catalog';
import { indexAlertRules, readAlertIndexSync } from '../alert-rules';
import type { AlertIndex, AlertRule } from '../model';
import { checkQuerySyntax, unknownVariables, type SyntaxProblem } from '../query-syntax';

export interface LintWorkerInput {
  root: string;
}

type ToWorker = { kind: 'expressions'; items: Array<[QueryDatasource, string]> };
type FromWorker =
  | { kind: 'alerts'; rules: AlertRule[]; problems: AlertIndex['problems']; files: string[] }
  | { kind: 'syntax'; syntax: Array<[string, SyntaxProblem | null]> };

export const syntaxKey = (language: QueryDatasource, expr: string) => `${language}\u0000${expr}`;

/** Syntax of each expression, keyed by syntaxKey; queries with unknown variables are not parsed (see query-variable-unknown). */
export function syntaxOfExpressions(items: Array<[QueryDatasource, string]>): Array<[string, SyntaxProblem | null]> {
  const out: Array<[string, SyntaxProblem | null]> = [];
  for (const [language, expr] of items) {
    if (unknownVariables(expr).length === 0) {
      out.push([syntaxKey(language, expr), checkQuerySyntax(language, expr)]);
    }
  }
  return out;
}

/** Entry point inside the worker thread (./worker.ts): alert rules first, then the expressions it is sent. */
export function serveLintWorker(): void {
  const port = parentPort;
  if (!port) {
    return;
  }
  const { root } = workerData as LintWorkerInput;
  const alerts = readAlertIndexSync(root);
  const message: FromWorker = {
    kind: 'alerts',
    rules: [...alerts.rules],
    problems: [...alerts.problems],
    files: [...alerts.files],
  };
  port.postMessage(message);
  port.once('message', (request: ToWorker) => {
    const reply: FromWorker = { kind: 'syntax', syntax: syntaxOfExpressions(request.items) };
    port.postMessage(reply);
    port.close();
  });
}

export interface LintWorker {
  alerts: Promise<AlertIndex | null>;
  syntax: Promise<Map<string, SyntaxProblem | null> | null>;
  /** Hands the worker the expressions to parse (once). */
  sendExpressions(items: Array<[QueryDatasource, string]>): void;
  /** Stops the worker if it is still running (always call it when the lint is done). */
  stop(): void;
}

/** Starts the worker script; each result resolves to null when the worker fails before sending it (never rejects). */
export function startLintWorker(script: string, input: LintWorkerInput): LintWorker {
  let resolveAlerts: (value: AlertIndex | null) => void = () => undefined;
  let resolveSyntax: (value: Map<string, SyntaxProblem | null> | null) => void = () => undefined;
  const alerts = new Promise<AlertIndex | null>((resolve) => (resolveAlerts = resolve));
  const syntax = new Promise<Map<string, SyntaxProblem | null> | null>((resolve) => (resolveSyntax = resolve));
  const fail = () => {
    // Resolving a settled promise is a no-op: only the parts not received yet become null.
    resolveAlerts(null);
    resolveSyntax(null);
  };
  let worker: Worker | null = null;
  try {
    worker = new Worker(script, { workerData: input });
    worker.on('message', (message: FromWorker) => {
      if (message.kind === 'alerts') {
        resolveAlerts(indexAlertRules(message.rules, message.problems, message.files));
      } else {
        resolveSyntax(new Map(message.syntax));
      }
    });
    worker.once('error', fail);
    worker.once('exit', fail);
  } catch {
    fail();
  }
  return {
    alerts,
    syntax,
    sendExpressions(items) {
      const request: ToWorker = { kind: 'expressions', items };
      worker?.postMessage(request);
    },
    stop() {
      void worker?.terminate();
    },
  };
}
