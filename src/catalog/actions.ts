/**
 * catalog/actions.catalog.json (remediation actions by risk class) and catalog/approval-policy.yaml
 * (when an action needs a human). Loaded with the rest of the catalog; checked here for what the API
 * cannot work without (unique ids, known rollbacks, compilable parameter schemas, executor URL
 * templates that only fill path and query), and by the `actions` lint rules for the rest. Also
 * catalog/error-budget-policy.yaml's freezes, which approvals enforce and which name actions.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';

import {
  ActionsCatalogFile,
  ApprovalPolicyFile,
  type ActionDefinition,
} from '../contract/approvals';
import type { CatalogViolation } from '../contract/catalog';
import { BudgetPolicyState, ErrorBudgetPolicyFile } from '../contract/slo';

export const ACTIONS_FILE = 'actions.catalog.json';
export const POLICY_FILE = 'approval-policy.yaml';
export const BUDGET_POLICY_FILE = 'error-budget-policy.yaml';

/** What applies when the catalog has no approval-policy.yaml: the strictest reasonable reading of the issue. */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicyFile = ApprovalPolicyFile.parse({
  version: 1,
  request_ttl_minutes: 60,
  classes: {
    R1: { approval: 'auto', min_approvals: 0 },
    R2: { approval: 'always', min_approvals: 1 },
    R3: { approval: 'always', min_approvals: 2 },
  },
});

/** `{{name}}` placeholders of an executor URL template or a verification query. */
export const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER_PATTERN)].map((match) => match[1]))];
}

/** One Ajv for every parameter schema (JSON Schema 2020-12); `useDefaults` fills declared defaults. */
export function createParameterAjv() {
  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false });
  addFormats(ajv);
  return ajv;
}

type Violation = Omit<CatalogViolation, 'path' | 'line' | 'severity'> & { severity?: CatalogViolation['severity'] };

/**
 * Checks an executor URL template: relative templates start with `/` (resolved against
 * OPSDECK_EXECUTOR_BASE_URL); in absolute ones no placeholder may sit in the scheme, host or port,
 * so a request's parameters can never redirect the call to another server.
 */
export function urlTemplateProblem(template: string): string | null {
  if (template.startsWith('/')) {
    return null;
  }
  const match = /^(https?:\/\/[^/?#]*)/.exec(template);
  if (!match) {
    return 'url_template must be an absolute http(s) URL or a path starting with / (relative to OPSDECK_EXECUTOR_BASE_URL)';
  }
  if (match[1].includes('{{')) {
    return 'url_template may fill only the path and query: no {{placeholder}} in the scheme, host or port';
  }
  if (!URL.canParse(template.replace(PLACEHOLDER_PATTERN, 'x'))) {
    return 'url_template is not a valid URL';
  }
  return null;
}

/** The checks the API relies on; every problem is returned (none thrown). */
export function checkActions(actions: ActionDefinition[]): Violation[] {
  const problems: Violation[] = [];
  const ids = new Set<string>();
  const ajv = createParameterAjv();
  for (const action of actions) {
    if (ids.has(action.id)) {
      problems.push({ rule: 'actions-unique-id', message: `${action.id}: duplicate action id` });
    }
    ids.add(action.id);
  }
  for (const action of actions) {
    if (action.rollback_action_id && !ids.has(action.rollback_action_id)) {
      problems.push({ rule: 'actions-rollback-exists', message: `${action.id}: rollback_action_id ${action.rollback_action_id} is not an action` });
    }
    let declared: string[] = [];
    try {
      ajv.compile(action.parameters);
      const properties = (action.parameters as { properties?: Record<string, unknown> }).properties;
      declared = properties ? Object.keys(properties) : [];
    } catch (error) {
      problems.push({ rule: 'actions-parameters-schema', message: `${action.id}: parameters is not a valid JSON Schema: ${(error as Error).message}` });
    }
    const templates: Array<[string, string]> = [];
    if (action.executor.type === 'http') {
      templates.push(['executor.url_template', action.executor.url_template]);
      const problem = urlTemplateProblem(action.executor.url_template);
      if (problem) {
        problems.push({ rule: 'actions-url-template', message: `${action.id}: ${problem}` });
      }
    }
    if (action.verification) {
      templates.push(['verification.promql', action.verification.promql]);
    }
    if (action.service && 'parameter' in action.service && !declared.includes(action.service.parameter)) {
      problems.push({
        rule: 'actions-placeholder-declared',
        message: `${action.id}: service.parameter ${action.service.parameter} is not a declared parameter`,
      });
    }
    for (const [where, template] of templates) {
      for (const name of placeholdersOf(template)) {
        if (!declared.includes(name)) {
          problems.push({
            rule: 'actions-placeholder-declared',
            message: `${action.id}: ${where} uses {{${name}}}, which is not a declared parameter`,
          });
        }
      }
    }
  }
  return problems;
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
}

function schemaViolations(file: string, issues: Array<{ path: PropertyKey[]; message: string }>): CatalogViolation[] {
  return issues.map((issue) => ({
    path: file,
    line: null,
    rule: 'catalog-schema',
    severity: 'error' as const,
    message: `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
  }));
}

export interface LoadedActions {
  actions: Map<string, ActionDefinition>;
  approvalPolicy: ApprovalPolicyFile;
  /** error-budget-policy.yaml; null when absent (no freezes) or invalid (reported). */
  errorBudgetPolicy: ErrorBudgetPolicyFile | null;
}

/**
 * Reads the actions catalog and the approval policy. Both files are optional (no actions; the
 * default policy); a present file must be valid. Problems are pushed onto `violations`.
 */
export async function loadActions(dir: string, violations: CatalogViolation[]): Promise<LoadedActions> {
  const result: LoadedActions = { actions: new Map(), approvalPolicy: DEFAULT_APPROVAL_POLICY, errorBudgetPolicy: null };

  const actionsText = await readOptional(path.join(dir, ACTIONS_FILE));
  if (actionsText !== null) {
    let data: unknown;
    try {
      data = JSON.parse(actionsText);
    } catch (error) {
      violations.push({ path: ACTIONS_FILE, line: null, rule: 'catalog-file-syntax', severity: 'error', message: (error as Error).message });
    }
    if (data !== undefined) {
      const parsed = ActionsCatalogFile.safeParse(data);
      if (!parsed.success) {
        violations.push(...schemaViolations(ACTIONS_FILE, parsed.error.issues));
      } else {
        for (const problem of checkActions(parsed.data.actions)) {
          violations.push({ path: ACTIONS_FILE, line: null, severity: 'error', ...problem });
        }
        result.actions = new Map(parsed.data.actions.map((action) => [action.id, action]));
      }
    }
  }

  const policyText = await readOptional(path.join(dir, POLICY_FILE));
  if (policyText !== null) {
    let data: unknown;
    try {
      data = YAML.parse(policyText);
    } catch (error) {
      violations.push({ path: POLICY_FILE, line: null, rule: 'catalog-file-syntax', severity: 'error', message: (error as Error).message });
    }
    if (data !== undefined) {
      const parsed = ApprovalPolicyFile.safeParse(data);
      if (!parsed.success) {
        violations.push(...schemaViolations(POLICY_FILE, parsed.error.issues));
      } else {
        const problem = businessHoursProblem(parsed.data);
        if (problem) {
          violations.push({ path: POLICY_FILE, line: null, rule: 'policy-business-hours', severity: 'error', message: problem });
        }
        result.approvalPolicy = parsed.data;
      }
    }
  }
  result.errorBudgetPolicy = await loadErrorBudgetPolicy(dir, result.actions, violations);
  return result;
}

/**
 * error-budget-policy.yaml as approvals read it (its freezes). `opsdeck generate` reads the same file
 * for the rules; here it is checked against the actions: a freeze keyed by something that is not a
 * state, or excepting an action the catalog does not have, is `budget-freeze-references`.
 */
async function loadErrorBudgetPolicy(
  dir: string,
  actions: ReadonlyMap<string, ActionDefinition>,
  violations: CatalogViolation[]
): Promise<ErrorBudgetPolicyFile | null> {
  const text = await readOptional(path.join(dir, BUDGET_POLICY_FILE));
  if (text === null) {
    return null;
  }
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (error) {
    violations.push({ path: BUDGET_POLICY_FILE, line: null, rule: 'catalog-file-syntax', severity: 'error', message: (error as Error).message });
    return null;
  }
  const parsed = ErrorBudgetPolicyFile.safeParse(data);
  if (!parsed.success) {
    violations.push(...schemaViolations(BUDGET_POLICY_FILE, parsed.error.issues));
    return null;
  }
  const lines = text.split('\n');
  const freezesAt = lines.findIndex((line) => /^freezes:/.test(line));
  // The line a problem points at: the state's key under `freezes:`, or the line naming the action.
  const lineOf = (needle: RegExp) => {
    const index = lines.findIndex((line, i) => i > freezesAt && needle.test(line));
    return index >= 0 ? index + 1 : null;
  };
  for (const problem of freezeReferenceProblems(parsed.data, actions)) {
    const escaped = problem.subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    violations.push({
      path: BUDGET_POLICY_FILE,
      line: freezesAt < 0 ? null : lineOf(problem.kind === 'state' ? new RegExp(`^\\s+${escaped}:`) : new RegExp(escaped)),
      rule: 'budget-freeze-references',
      severity: 'error',
      message: problem.message,
    });
  }
  return parsed.data;
}

export interface FreezeReferenceProblem {
  kind: 'state' | 'action';
  /** The state key or action id the problem is about. */
  subject: string;
  message: string;
}

export function freezeReferenceProblems(
  policy: ErrorBudgetPolicyFile,
  actions: ReadonlyMap<string, ActionDefinition>
): FreezeReferenceProblem[] {
  const problems: FreezeReferenceProblem[] = [];
  const states: readonly string[] = BudgetPolicyState.options;
  for (const [state, freeze] of Object.entries(policy.freezes)) {
    if (!states.includes(state) || state === 'remaining') {
      const message = `freezes.${state}: not a state that can freeze (use ${states.filter((s) => s !== 'remaining').join(' or ')})`;
      problems.push({ kind: 'state', subject: state, message });
    }
    for (const id of freeze.except_actions) {
      if (!actions.has(id)) {
        const message = `freezes.${state}.except_actions: ${id} is not an action of actions.catalog.json`;
        problems.push({ kind: 'action', subject: id, message });
      }
    }
    if (freeze.mode === 'refuse' && !freeze.break_glass) {
      const message = `freezes.${state}: a refusing freeze needs break_glass (approvers and admins), or nobody can act in an emergency`;
      problems.push({ kind: 'state', subject: state, message });
    }
  }
  return problems;
}

function businessHoursProblem(policy: ApprovalPolicyFile): string | null {
  const hours = policy.business_hours;
  if (!hours) {
    const usesHours = Object.values(policy.classes).some((c) => c.rules.some((rule) => rule.when.outside_business_hours !== undefined));
    return usesHours ? 'a rule uses outside_business_hours but business_hours is not set' : null;
  }
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: hours.timezone });
  } catch {
    return `business_hours.timezone ${hours.timezone} is not an IANA time zone`;
  }
  if (hours.start >= hours.end) {
    return `business_hours.start (${hours.start}) must be before end (${hours.end})`;
  }
  return null;
}
