/**
 * The linter's rule engine types. A rule has a stable kebab-case `id` (CI logs, fixtures and docs
 * refer to it), a fixed severity and a `check` that returns its findings for one repository.
 * Rules live in one module per group under ./rules/ and are registered in ./rules/index.ts.
 */
import type { CatalogViolation, QueryDatasource } from '../../contract/catalog';
import type { CatalogRead } from '../load';
import type { SyntaxProblem } from '../query-syntax';

export type Severity = CatalogViolation['severity'];

export interface Finding {
  /** Repo-relative path, forward slashes. */
  path: string;
  /** 1-based line; null when the finding is about a whole (possibly missing) file. */
  line: number | null;
  message: string;
}

export interface LintContext extends CatalogRead {
  /** Absolute repository root. */
  root: string;
  /** The calendar day reviews are measured against (`--today`), YYYY-MM-DD. */
  today: string;
  /** Repo-relative path of a file of the catalog directory, e.g. `catalog/runbooks.catalog.json`. */
  catalogPath(file: string): string;
  /** Text of a repo-relative file (read once), or null when absent. */
  readText(relative: string): string | null;
  /** First syntax error of a query or expression after variable substitution (precomputed by the worker when there is one). */
  syntaxOf(language: QueryDatasource, expr: string): SyntaxProblem | null;
}

export interface LintRule {
  /** Stable kebab-case identifier, e.g. `runbook-review-overdue`. */
  id: string;
  severity: Severity;
  /** One line: what the rule demands (listed by `opsdeck lint --list-rules` and in docs/catalog-and-lint.md). */
  description: string;
  check(context: LintContext): Iterable<Finding>;
}

export interface LintRuleGroup {
  /** e.g. `manifest`, `alerts`; one module under ./rules/ per group. */
  name: string;
  rules: readonly LintRule[];
}

export const RULE_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;
