/** Output of `opsdeck lint`: `path:line: rule-id: message` lines, or one JSON document. */
import type { CatalogViolation, LintReport } from '../../contract/catalog';
import type { LintResult } from './engine';

/** `catalog/runbooks.catalog.json:42: runbook-review-overdue: …`; warnings say so before the message. */
export function formatFinding(finding: CatalogViolation): string {
  const where = finding.line === null ? finding.path : `${finding.path}:${finding.line}`;
  return `${where}: ${finding.rule}: ${finding.severity === 'warning' ? 'warning: ' : ''}${finding.message}`;
}

export function summaryLine(result: LintResult, seconds: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const { stats } = result;
  return (
    `opsdeck lint: ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')} — ` +
    `${plural(stats.runbooks, 'runbook')}, ${plural(stats.signals, 'signal')}, ${plural(stats.queries, 'saved query').replace('querys', 'queries')}, ` +
    `${plural(stats.alert_rules, 'alert rule')} in ${plural(stats.alert_files, 'file')}, ${plural(result.rules.length, 'rule')} (${seconds.toFixed(2)} s)`
  );
}

export function jsonReport(result: LintResult, today: string, seconds: number): LintReport {
  return {
    ok: result.errors === 0,
    today,
    errors: result.errors,
    warnings: result.warnings,
    stats: result.stats,
    duration_ms: Math.round(seconds * 1000),
    parallel: result.parallel,
    findings: result.findings,
  };
}
