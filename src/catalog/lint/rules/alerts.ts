/**
 * Every actionable alert rule (Prometheus rule files under alerts/, Grafana alerting provisioning
 * under provisioning/alerting/) names an existing runbook by ID, so pages never point at rotting URLs.
 * A rule is actionable unless it is labelled `severity: info|none` or `opsdeck_actionable: "false"`.
 */
import type { RunbookEntry } from '../../../contract/catalog';
import type { AlertRule } from '../../model';
import type { Finding, LintContext, LintRule, LintRuleGroup } from '../types';

const where = (rule: AlertRule) => ({ path: rule.file, line: rule.line });
const describe = (rule: AlertRule) => `${rule.kind === 'grafana' ? 'Grafana alert rule' : 'alert'} ${rule.name}`;

/** A runbook_url matches a runbook when it is its repo path (or a link ending in it), or an Opsdeck runbook link. */
export function runbookUrlMatches(url: string, runbook: RunbookEntry): boolean {
  const trimmed = url.trim().replace(/[?#].*$/, '');
  const target = runbook.url.replace(/^\.\//, '');
  return (
    trimmed === runbook.url ||
    trimmed.replace(/^\.\//, '') === target ||
    trimmed.endsWith(`/${target}`) ||
    trimmed.endsWith(`/runbooks/${runbook.id}`) ||
    trimmed.endsWith(`/runbooks/${encodeURIComponent(runbook.id)}`)
  );
}

function* actionable(context: LintContext) {
  for (const rule of context.catalog.alerts.rules) {
    if (rule.actionable) {
      yield rule;
    }
  }
}

const fileSyntax: LintRule = {
  id: 'alert-file-syntax',
  severity: 'error',
  description: 'every file under alerts/ and provisioning/alerting/ is valid YAML or JSON',
  check: (context) =>
    context.catalog.alerts.problems.map((problem) => ({
      ...problem,
      message: `cannot read alert rules: ${problem.message}`,
    })),
};

const runbookIdMissing: LintRule = {
  id: 'alert-runbook-id-missing',
  severity: 'error',
  description: 'every actionable alert rule has a runbook_id annotation',
  *check(context): Iterable<Finding> {
    for (const rule of actionable(context)) {
      if (!rule.runbookId) {
        const hint = rule.runbookUrl ? ` (it has runbook_url ${rule.runbookUrl}; URLs rot, IDs do not)` : '';
        yield {
          ...where(rule),
          message: `${describe(rule)} has no runbook_id annotation${hint}; add the ID of the runbook on-call should open`,
        };
      }
    }
  },
};

const runbookIdUnknown: LintRule = {
  id: 'alert-runbook-id-unknown',
  severity: 'error',
  description:
    "every alert rule's runbook_id exists in runbooks.catalog.json (so an ID an alert uses can never disappear)",
  *check(context): Iterable<Finding> {
    if (!context.declared.filesRead.has('runbooks')) {
      return;
    }
    for (const rule of context.catalog.alerts.rules) {
      if (rule.runbookId && !context.declared.runbookIds.has(rule.runbookId)) {
        yield {
          ...where(rule),
          message: `${describe(rule)} references runbook ${rule.runbookId}, which is not in runbooks.catalog.json; runbook IDs that alerts use must stay (rename the file, keep the ID)`,
        };
      }
    }
  },
};

const runbookUrlMismatch: LintRule = {
  id: 'alert-runbook-url-mismatch',
  severity: 'error',
  description: "an alert's runbook_url, when present, points at the runbook its runbook_id names",
  *check(context): Iterable<Finding> {
    for (const rule of context.catalog.alerts.rules) {
      const runbook = rule.runbookId ? context.catalog.runbooks.get(rule.runbookId) : undefined;
      if (runbook && rule.runbookUrl && !runbookUrlMatches(rule.runbookUrl, runbook)) {
        yield {
          ...where(rule),
          message: `${describe(rule)}: runbook_url ${rule.runbookUrl} does not point at runbook ${runbook.id} (${runbook.url}); use ${runbook.url} or drop runbook_url`,
        };
      }
    }
  },
};

const signalUnknown: LintRule = {
  id: 'alert-signal-unknown',
  severity: 'error',
  description: "an alert's signal_key label names a signal of the manifest (incidents attach to it)",
  *check(context): Iterable<Finding> {
    if (!context.declared.filesRead.has('runbooks')) {
      return;
    }
    for (const rule of context.catalog.alerts.rules) {
      if (rule.signal_key && !context.declared.signalKeys.has(rule.signal_key)) {
        yield {
          ...where(rule),
          message: `${describe(rule)} has signal_key ${rule.signal_key}, which is not a signal in runbooks.catalog.json`,
        };
      }
    }
  },
};

export const alertRules: LintRuleGroup = {
  name: 'alerts',
  rules: [fileSyntax, runbookIdMissing, runbookIdUnknown, runbookUrlMismatch, signalUnknown],
};
