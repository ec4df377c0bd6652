/**
 * Structure of the catalog files: what the loader checks while it reads them (src/catalog/load.ts).
 * These are also the problems that stop the API from serving a catalog (reload answers 422).
 */
import type { LintContext, LintRule, LintRuleGroup, Severity } from '../types';

function loaderRule(id: string, description: string, severity: Severity = 'error'): LintRule {
  return {
    id,
    severity,
    description,
    check: (context: LintContext) =>
      context.violations
        .filter((violation) => violation.rule === id)
        .map(({ path, line, message }) => ({ path, line, message })),
  };
}

export const manifestRules: LintRuleGroup = {
  name: 'manifest',
  rules: [
    loaderRule(
      'catalog-file-missing',
      'runbooks.catalog.json, queries.catalog.json and symptoms.catalog.json exist in the catalog directory'
    ),
    loaderRule('catalog-file-syntax', 'every catalog file is valid JSON (or YAML for grouping.yaml)'),
    loaderRule('catalog-schema', 'every catalog entry matches its schema in src/contract/catalog.ts'),
    loaderRule('catalog-duplicate-key', 'signal group keys, signal keys, saved query IDs and symptom IDs are unique'),
    loaderRule(
      'runbook-id-format',
      'runbook IDs are dotted lower-case, e.g. ops.outbox.relay (never derived from a file path)'
    ),
    loaderRule('runbook-id-duplicate', 'runbook IDs are unique'),
    loaderRule(
      'runbook-required-field',
      'every runbook has id, title, severity_hint, owner_team, last_reviewed_at, url and signals'
    ),
    loaderRule('runbook-date-invalid', 'last_reviewed_at is a real calendar date (YYYY-MM-DD)'),
    loaderRule('runbook-signal-unknown', 'every signal a runbook lists is defined in the manifest'),
    loaderRule('runbook-query-unknown', 'every saved query a runbook lists exists in queries.catalog.json'),
    loaderRule('signal-group-unknown', "every signal's group is one of signal_groups"),
    loaderRule('signal-query-unknown', "every signal's query_id exists in queries.catalog.json"),
    loaderRule('symptom-reference-unknown', "every symptom's saved query, runbook and signals exist"),
  ],
};
