/**
 * `opsdeck lint`: reads the repository once (src/catalog/load.ts), runs every registered rule over it
 * and returns the findings sorted by file and line. Pure apart from reading files; the CLI formats.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { CatalogViolation } from '../../contract/catalog';
import { readAlertIndex } from '../alert-rules';
import { relativePath } from '../files';
import { readCatalog, type CatalogRead } from '../load';
import { checkQuerySyntax, type SyntaxProblem } from '../query-syntax';
import { isoDateOf } from '../review';
import { startLintWorker, syntaxKey } from './parallel';
import { RULE_GROUPS } from './rules';
import { RULE_ID_PATTERN, type LintContext, type LintRule, type LintRuleGroup } from './types';

export interface LintOptions {
  /** Repository root (default: the current directory). */
  root?: string;
  /** Catalog directory, relative to the root or absolute (default `catalog`). */
  catalogDir?: string;
  /** Calendar day reviews are measured against, YYYY-MM-DD (default: today in UTC). */
  today?: string;
  groups?: readonly LintRuleGroup[];
  /**
   * The worker script (build/lint-worker.cjs): when given, alert rule files and query syntax are handled
   * by a worker thread (see ./parallel.ts). Without it everything runs in this thread.
   */
  workerScript?: string;
}

export interface LintStats {
  runbooks: number;
  signals: number;
  queries: number;
  alert_rules: number;
  alert_files: number;
}

export interface LintResult {
  findings: CatalogViolation[];
  errors: number;
  warnings: number;
  stats: LintStats;
  /** The rules that ran. */
  rules: LintRule[];
  /** Whether the worker thread did its part (false: everything ran in this thread). */
  parallel: boolean;
}

export function allRules(groups: readonly LintRuleGroup[] = RULE_GROUPS): LintRule[] {
  const rules = groups.flatMap((group) => group.rules);
  const seen = new Set<string>();
  for (const rule of rules) {
    if (!RULE_ID_PATTERN.test(rule.id)) {
      throw new Error(`lint rule id ${rule.id} is not kebab-case`);
    }
    if (seen.has(rule.id)) {
      throw new Error(`lint rule id ${rule.id} is registered twice`);
    }
    seen.add(rule.id);
  }
  return rules;
}

const compareFindings = (a: CatalogViolation, b: CatalogViolation) =>
  a.path.localeCompare(b.path) ||
  (a.line ?? 0) - (b.line ?? 0) ||
  a.rule.localeCompare(b.rule) ||
  a.message.localeCompare(b.message);

/** Runs the rules over an already read repository (the API's reload uses this). */
export function lintRead(
  read: CatalogRead,
  options: {
    today: string;
    groups?: readonly LintRuleGroup[];
    syntax?: ReadonlyMap<string, SyntaxProblem | null> | null;
  }
): LintResult {
  const root = read.catalog.root;
  const texts = new Map<string, string | null>();
  const context: LintContext = {
    ...read,
    root,
    today: options.today,
    catalogPath: (file) => relativePath(root, path.join(read.catalog.dir, file)),
    syntaxOf(language, expr) {
      const known = options.syntax?.get(syntaxKey(language, expr));
      return known !== undefined ? known : checkQuerySyntax(language, expr);
    },
    readText(relative) {
      if (!texts.has(relative)) {
        let text: string | null = null;
        try {
          text = readFileSync(path.join(root, relative), 'utf8');
        } catch {
          text = null;
        }
        texts.set(relative, text);
      }
      return texts.get(relative) ?? null;
    },
  };
  const rules = allRules(options.groups);
  const findings: CatalogViolation[] = [];
  for (const rule of rules) {
    for (const finding of rule.check(context)) {
      findings.push({ ...finding, rule: rule.id, severity: rule.severity });
    }
  }
  // Loaders of other catalog files (actions, policy, access) may report rule IDs no group declares
  // yet: they still fail the lint rather than vanish.
  const registered = new Set(rules.map((rule) => rule.id));
  findings.push(...read.violations.filter((violation) => !registered.has(violation.rule)));
  findings.sort(compareFindings);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return {
    parallel: Boolean(options.syntax),
    findings,
    errors,
    warnings: findings.length - errors,
    rules,
    stats: {
      runbooks: read.catalog.runbooks.size,
      signals: read.catalog.signals.size,
      queries: read.catalog.queries.size,
      alert_rules: read.catalog.alerts.rules.length,
      alert_files: read.catalog.alerts.files.length,
    },
  };
}

export async function lintRepository(options: LintOptions = {}): Promise<LintResult> {
  const root = path.resolve(options.root ?? process.cwd());
  const catalogDir = path.resolve(root, options.catalogDir ?? 'catalog');
  const worker = options.workerScript ? startLintWorker(options.workerScript, { root }) : null;
  try {
    const alerts = worker?.alerts.then((index) => index ?? readAlertIndex(root));
    const read = await readCatalog(catalogDir, {
      root,
      revision: false,
      alerts,
      onExpressions: worker?.sendExpressions,
    });
    const syntax = worker ? await worker.syntax : null;
    return lintRead(read, { today: options.today ?? isoDateOf(new Date()), groups: options.groups, syntax });
  } finally {
    worker?.stop();
  }
}
