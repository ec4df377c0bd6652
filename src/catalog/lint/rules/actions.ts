/**
 * Remediation actions, the approval policy and access bindings (catalog/actions.catalog.json,
 * approval-policy.yaml, access.yaml, the freezes of error-budget-policy.yaml): what their loaders check (src/catalog/actions.ts, access.ts) and
 * the cross-references only the linter looks at: every action's runbook exists, every R3 action has a
 * rollback, verification queries parse, R3 always waits for approvers.
 */
import { ACTIONS_FILE, PLACEHOLDER_PATTERN, POLICY_FILE } from '../../actions';
import type { Finding, LintContext, LintRule, LintRuleGroup, Severity } from '../types';

function loaderRule(id: string, description: string, severity: Severity = 'error'): LintRule {
  return {
    id,
    severity,
    description,
    check: (context: LintContext) =>
      context.violations.filter((violation) => violation.rule === id).map(({ path, line, message }) => ({ path, line, message })),
  };
}

/** File and line of an action's entry (its `"id": "…"` line), for messages. */
function actionLocation(context: LintContext, id: string): { path: string; line: number | null } {
  const file = context.catalogPath(ACTIONS_FILE);
  const lines = context.readText(file)?.split('\n') ?? [];
  const index = lines.findIndex((line) => line.includes(`"id": "${id}"`));
  return { path: file, line: index >= 0 ? index + 1 : null };
}

const runbookUnknown: LintRule = {
  id: 'action-runbook-unknown',
  severity: 'error',
  description: "every action's runbook_id is a runbook of the manifest",
  *check(context): Iterable<Finding> {
    for (const action of context.catalog.actions.values()) {
      if (!context.catalog.runbooks.has(action.runbook_id)) {
        yield {
          ...actionLocation(context, action.id),
          message: `action ${action.id}: runbook ${action.runbook_id} is not in runbooks.catalog.json; an action must say which runbook it carries out`,
        };
      }
    }
  },
};

const r3WithoutRollback: LintRule = {
  id: 'action-r3-rollback-missing',
  severity: 'error',
  description: 'every R3 action names a rollback_action_id (platform-wide changes need a way back)',
  *check(context): Iterable<Finding> {
    for (const action of context.catalog.actions.values()) {
      if (action.risk_class === 'R3' && !action.rollback_action_id) {
        yield {
          ...actionLocation(context, action.id),
          message: `action ${action.id} is R3 but has no rollback_action_id; add the action that undoes it`,
        };
      }
    }
  },
};

const verificationSyntax: LintRule = {
  id: 'action-verification-syntax',
  severity: 'error',
  description: "every action's verification query is valid PromQL once its {{parameters}} are filled",
  *check(context): Iterable<Finding> {
    for (const action of context.catalog.actions.values()) {
      if (!action.verification) {
        continue;
      }
      const expr = action.verification.promql.replace(PLACEHOLDER_PATTERN, 'placeholder');
      const problem = context.syntaxOf('prometheus', expr);
      if (problem) {
        yield {
          ...actionLocation(context, action.id),
          message: `action ${action.id}: verification.promql is not valid PromQL: syntax error at line ${problem.line}, column ${problem.column} near ${problem.near}`,
        };
      }
    }
  },
};

const r3NotAlways: LintRule = {
  id: 'policy-r3-not-always',
  severity: 'error',
  description: 'approval-policy.yaml makes R3 actions always wait for approvers (approval: always)',
  *check(context): Iterable<Finding> {
    const r3 = context.catalog.approvalPolicy.classes.R3;
    if (r3.approval !== 'always') {
      const file = context.catalogPath(POLICY_FILE);
      const lines = context.readText(file)?.split('\n') ?? [];
      const index = lines.findIndex((line) => /^\s*R3:/.test(line));
      yield {
        path: file,
        line: index >= 0 ? index + 1 : null,
        message: `R3 actions are platform-wide or user-impacting and must always need approval; the policy says approval: ${r3.approval}`,
      };
    }
  },
};

export const actionRules: LintRuleGroup = {
  name: 'actions',
  rules: [
    loaderRule('actions-unique-id', 'action ids are unique in actions.catalog.json'),
    loaderRule('actions-rollback-exists', "every rollback_action_id is an action of the catalog"),
    loaderRule('actions-parameters-schema', "every action's parameters is a JSON Schema (2020-12) that compiles"),
    loaderRule(
      'actions-url-template',
      'executor url_templates are paths (relative to OPSDECK_EXECUTOR_BASE_URL) or http(s) URLs with no {{placeholder}} in scheme, host or port'
    ),
    loaderRule(
      'actions-placeholder-declared',
      'every {{placeholder}} of a url_template or verification query, and an action\'s service.parameter, is a declared parameter'
    ),
    loaderRule('policy-business-hours', 'business_hours has a real time zone and start before end, and is set when a rule uses it'),
    loaderRule('access-references', 'access.yaml bindings name declared teams, and each tenant/project is listed once'),
    loaderRule(
      'budget-freeze-references',
      'error-budget-policy.yaml freezes are keyed by a freezing state (depleted, critical), except only actions of the catalog, and a refusing freeze has a break-glass path'
    ),
    runbookUnknown,
    r3WithoutRollback,
    verificationSyntax,
    r3NotAlways,
  ],
};
