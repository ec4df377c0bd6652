/**
 * Lint fixture mutations for the `actions` rule group (src/catalog/lint/rules/actions.ts). Each adds
 * a valid actions catalog, approval policy and access file to the fixture repository and then breaks
 * exactly one thing; make-fixtures.ts writes one repository per entry.
 */
import type { AccessFile } from '../../src/contract/access';
import type { ActionsCatalogFile } from '../../src/contract/approvals';

interface FixtureFiles {
  files: Record<string, string | null>;
}

const ACTIONS = 'catalog/actions.catalog.json';
const POLICY = 'catalog/approval-policy.yaml';
const BUDGET_POLICY = 'catalog/error-budget-policy.yaml';
const ACCESS = 'catalog/access.yaml';

function validActions(): ActionsCatalogFile {
  return {
    version: 1,
    actions: [
      {
        id: 'outbox.relay.restart',
        title: 'Restart the outbox relay',
        description: 'Rolling restart of the relay.',
        risk_class: 'R1',
        runbook_id: 'ops.outbox.relay',
        parameters: { type: 'object', properties: {}, additionalProperties: false },
        executor: { type: 'http', method: 'POST', url_template: '/v1/relay/restart', timeout_ms: 10_000, headers: {} },
        rollback_action_id: null,
        verification: { promql: 'max(outbox_oldest_pending_age_seconds) < 300', hold_minutes: 10 },
      },
      {
        id: 'deploy.rollout.undo',
        title: 'Roll back a deployment',
        description: 'Returns the service to its previous revision.',
        risk_class: 'R3',
        runbook_id: 'ops.api.error_rate',
        parameters: {
          type: 'object',
          properties: { service: { type: 'string', pattern: '^[a-z0-9-]+$' } },
          required: ['service'],
          additionalProperties: false,
        },
        executor: {
          type: 'http',
          method: 'POST',
          url_template: '/v1/deployments/{{service}}/rollback',
          timeout_ms: 30_000,
          headers: {},
        },
        rollback_action_id: 'deploy.rollout.promote',
        change: true,
        service: { parameter: 'service' },
        verification: {
          promql: 'sum(rate(http_requests_total{service="{{service}}",code=~"5.."}[5m])) < 1',
          hold_minutes: 15,
        },
      },
      {
        id: 'deploy.rollout.promote',
        title: 'Promote a deployment',
        description: 'Promotes the paused rollout again.',
        risk_class: 'R3',
        runbook_id: 'ops.api.error_rate',
        parameters: { type: 'object', properties: { service: { type: 'string' } }, required: ['service'] },
        executor: { type: 'dry_run' },
        rollback_action_id: 'deploy.rollout.undo',
      },
    ],
  };
}

const VALID_POLICY = `version: 1
request_ttl_minutes: 60
business_hours:
  timezone: Europe/London
  days: [mon, tue, wed, thu, fri]
  start: '08:00'
  end: '18:00'
classes:
  R1:
    approval: auto
    min_approvals: 0
  R2:
    approval: policy
    min_approvals: 1
    rules:
      - when: { environment: [production] }
        reason: R2 in production needs one approver
      - when: { outside_business_hours: true }
        reason: R2 outside business hours needs one approver
  R3:
    approval: always
    min_approvals: 2
`;

export const VALID_BUDGET_POLICY = `version: 2
period_days: 30
thresholds: { depleted_at: 0, critical_at: -1 }
alerts:
  fast_burn: { alert: ErrorBudgetFastBurn, budget_spent_percent: 2, window: 1h, severity: critical }
  slow_burn: { alert: ErrorBudgetSlowBurn, budget_spent_percent: 5, window: 1d, severity: warning }
  consumed: { alert: ErrorBudgetMostlyConsumed, consumed_percent: 80, severity: warning }
  depleted: { alert: ErrorBudgetDepleted, severity: critical }
actions:
  remaining: Ship as usual.
  depleted: Feature freeze.
  critical: Emergency freeze.
freezes:
  depleted:
    mode: extra_approval
    except_actions: [deploy.rollout.undo]
  critical:
    mode: refuse
    except_actions: [deploy.rollout.undo]
    break_glass: { approvers: 2, admins: 1 }
`;

const validAccess = (): AccessFile => ({
  version: 1,
  teams: { sre: ['sam'] },
  global: [{ role: 'operator', users: [], teams: ['sre'] }],
  projects: [{ tenant: 't-acme', project: 'p-vision', bindings: [{ role: 'approver', users: ['ana'], teams: [] }] }],
});

function withRemediation(
  repo: FixtureFiles,
  change: {
    actions?: (file: ActionsCatalogFile) => void;
    policy?: string;
    access?: (file: AccessFile) => void;
    budgetPolicy?: string;
  }
) {
  const actions = validActions();
  change.actions?.(actions);
  const access = validAccess();
  change.access?.(access);
  repo.files[ACTIONS] = `${JSON.stringify(actions, null, 2)}\n`;
  repo.files[POLICY] = change.policy ?? VALID_POLICY;
  repo.files[ACCESS] = `${JSON.stringify(access, null, 2)}\n`;
  repo.files[BUDGET_POLICY] = change.budgetPolicy ?? VALID_BUDGET_POLICY;
}

const byId = (file: ActionsCatalogFile, id: string) => file.actions.find((action) => action.id === id)!;

export const ACTION_MUTATIONS: Record<string, (repo: FixtureFiles) => void> = {
  'actions-unique-id': (repo) =>
    withRemediation(repo, { actions: (file) => file.actions.push({ ...file.actions[0] }) }),
  'actions-rollback-exists': (repo) =>
    withRemediation(repo, {
      actions: (file) => void (byId(file, 'deploy.rollout.promote').rollback_action_id = 'deploy.rollout.redo'),
    }),
  'actions-parameters-schema': (repo) =>
    withRemediation(repo, {
      actions: (file) =>
        void (byId(file, 'outbox.relay.restart').parameters = {
          type: 'object',
          properties: { n: { type: 'number', minimum: 'zero' } },
        }),
    }),
  'actions-url-template': (repo) =>
    withRemediation(repo, {
      actions: (file) => {
        const executor = byId(file, 'deploy.rollout.undo').executor;
        if (executor.type === 'http') {
          executor.url_template = 'https://{{service}}.internal/rollback';
        }
      },
    }),
  'actions-placeholder-declared': (repo) =>
    withRemediation(repo, {
      actions: (file) => {
        const executor = byId(file, 'outbox.relay.restart').executor;
        if (executor.type === 'http') {
          executor.url_template = '/v1/relay/{{namespace}}/restart';
        }
      },
    }),
  'policy-business-hours': (repo) =>
    withRemediation(repo, { policy: VALID_POLICY.replace('Europe/London', 'Europe/Atlantis') }),
  'access-references': (repo) =>
    withRemediation(repo, {
      access: (file) => file.global.push({ role: 'approver', users: [], teams: ['commanders'] }),
    }),
  'action-runbook-unknown': (repo) =>
    withRemediation(repo, {
      actions: (file) => void (byId(file, 'outbox.relay.restart').runbook_id = 'ops.outbox.relayy'),
    }),
  'action-r3-rollback-missing': (repo) =>
    withRemediation(repo, { actions: (file) => void (byId(file, 'deploy.rollout.promote').rollback_action_id = null) }),
  'action-verification-syntax': (repo) =>
    withRemediation(repo, {
      actions: (file) =>
        void (byId(file, 'outbox.relay.restart').verification = {
          promql: 'max(outbox_oldest_pending_age_seconds < 300',
          hold_minutes: 10,
        }),
    }),
  // A freeze keyed by a state that does not exist and one excepting an action the catalog lacks.
  'budget-freeze-references': (repo) =>
    withRemediation(repo, {
      budgetPolicy: VALID_BUDGET_POLICY.replace(
        '  critical:\n    mode: refuse\n    except_actions: [deploy.rollout.undo]',
        '  critical:\n    mode: refuse\n    except_actions: [deploy.rollout.undoo]'
      ).replace('  depleted:\n    mode: extra_approval', '  exhausted:\n    mode: extra_approval'),
    }),
  'policy-r3-not-always': (repo) =>
    withRemediation(repo, {
      policy: VALID_POLICY.replace('  R3:\n    approval: always', '  R3:\n    approval: policy'),
    }),
};
