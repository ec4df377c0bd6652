/**
 * Writes tests/lint/fixtures/: `valid/` (a small repository that passes every rule) and one
 * repository per rule, `<rule-id>/`, that is `valid/` with exactly one thing broken. The fixtures are
 * committed so that `opsdeck lint --root tests/lint/fixtures/<rule-id> --today 2026-11-23` shows a
 * rule at work; regenerate them after changing this file (fixtures.test.ts writes a fresh copy into a
 * temp dir and fails when the committed one differs):
 *
 *   npx tsx tests/lint/make-fixtures.ts
 *
 * A new rule needs a mutation here (tests/lint/fixtures.test.ts fails for a rule without a fixture).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { QueriesCatalogFile, RunbooksCatalogFile, SymptomsCatalogFile } from '../../src/contract/catalog';
import { ACTION_MUTATIONS } from './actions-mutations';
import { ONCALL_MUTATIONS } from './oncall-mutations';

/** The day every fixture is linted on (`--today`). */
export const FIXTURE_TODAY = '2026-11-23';
export const FIXTURES_DIR = path.join(__dirname, 'fixtures');

interface Repo {
  manifest: RunbooksCatalogFile;
  queries: QueriesCatalogFile;
  symptoms: SymptomsCatalogFile;
  /** Every other file, by repo-relative path; `null` deletes it. */
  files: Record<string, string | null>;
}

const runbookMarkdown = (id: string, title: string, signals: string, cites: string[]) => `# ${title}

> Runbook ID: \`${id}\` · Owner: \`core-api\` · Severity hint: \`sev2\` · Signals: \`${signals}\`

## Meaning

The gateway answers more 5xx than its objective allows.

## Impact

Tenants see failed API calls.

## Diagnosis

Open Domain signals › API error rate high (panel 101) on \`opsdeck-domain-signals\`.

${cites.map((query) => `- [ ] Run saved query \`${query}\` and note the failing route.`).join('\n')}
- [ ] Check the pods:

\`\`\`bash
kubectl -n core-api get pods -l app=api-gateway
curl -s -H "Authorization: Bearer $TOKEN" -H "X-Correlation-ID: $CORRELATION_ID" https://api.example/v1/health
\`\`\`

## Mitigation

- [ ] 1. Roll back the last release (R2, one approver).

## Rollback / Recovery

Roll forward once the fix is merged.

## Escalation

Not mitigated in 15 minutes: page \`core-api\` secondary.

## Verification

- [ ] The error ratio stays below 0.02 for 15 minutes.
`;

function baseRepo(): Repo {
  return {
    manifest: {
      version: 1,
      signal_groups: [
        { key: 'api_edge', title: 'API and edge', order: 1 },
        { key: 'messaging', title: 'Messaging', order: 2 },
      ],
      signals: [
        {
          key: 'api_error_rate_high',
          group: 'api_edge',
          title: 'API error rate high',
          description: 'Share of api-gateway responses that are 5xx.',
          default_severity: 'sev2',
          owner_service: 'api-gateway',
          expr: 'sum(rate(http_requests_total{service="api-gateway",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="api-gateway"}[5m]))',
          comparison: '>',
          threshold: 0.05,
          warn_threshold: 0.02,
          unit: 'ratio',
          dashboard: { uid: 'opsdeck-domain-signals', panel_id: 101 },
          query_id: 'error_rate_by_service',
        },
        {
          key: 'api_latency_p95_high',
          group: 'api_edge',
          title: 'API latency p95 high',
          description: 'p95 latency of the slowest route.',
          default_severity: 'sev3',
          owner_service: 'api-gateway',
          expr: 'max(histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{service="api-gateway"}[5m]))))',
          comparison: '>',
          threshold: 1,
          unit: 'seconds',
          dashboard: { uid: 'opsdeck-domain-signals', panel_id: 102 },
          query_id: 'error_rate_by_service',
        },
        {
          key: 'outbox_relay_degraded',
          group: 'messaging',
          title: 'Outbox relay degraded',
          description: 'The outbox relay stopped draining events.',
          default_severity: 'sev1',
          owner_service: 'outbox-relay',
          expr: 'max by (service) (outbox_oldest_pending_age_seconds)',
          comparison: '>',
          threshold: 300,
          unit: 'seconds',
          dashboard: { uid: 'opsdeck-domain-signals', panel_id: 201 },
          query_id: 'error_rate_by_service',
        },
      ],
      runbooks: [
        {
          id: 'ops.outbox.relay',
          title: 'Outbox relay degraded',
          severity_hint: 'sev1',
          owner_team: 'platform-messaging',
          last_reviewed_at: '2026-11-01',
          url: 'catalog/runbooks/outbox-relay.md',
          signals: ['outbox_relay_degraded'],
          queries: ['api_error_by_correlation_id'],
          tags: [],
        },
        {
          id: 'ops.api.error_rate',
          title: 'API error rate high',
          severity_hint: 'sev2',
          owner_team: 'core-api',
          last_reviewed_at: '2026-10-15',
          url: 'catalog/runbooks/api-error-rate.md',
          signals: ['api_error_rate_high', 'api_latency_p95_high'],
          queries: ['error_rate_by_service', 'trace_by_id'],
          tags: [],
        },
      ],
    },
    queries: {
      version: 1,
      queries: [
        {
          id: 'api_error_by_correlation_id',
          title: 'API errors by correlation ID',
          datasource: 'loki',
          expr: '{service="$service"} | json | correlation_id="$correlation_id" | line_format "{{.status}} {{.msg}}"',
          owner_service: 'api-gateway',
          description: 'Log lines of one request.',
          default_range: 'now-6h',
        },
        {
          id: 'trace_by_id',
          title: 'Trace by ID',
          datasource: 'tempo',
          expr: '{ trace:id = "$trace_id" }',
          owner_service: 'api-gateway',
          description: 'One trace.',
          default_range: 'now-1h',
        },
        {
          id: 'error_rate_by_service',
          title: 'Error rate by service',
          datasource: 'prometheus',
          expr: 'sum by (service) (rate(http_requests_total{service="$service",code=~"5.."}[$window]))',
          owner_service: 'api-gateway',
          description: '5xx rate of a service.',
          default_range: 'now-1h',
        },
      ],
    },
    symptoms: {
      version: 1,
      symptoms: [
        {
          id: 'api_error_spike',
          symptom: 'API error spike',
          description: 'Users report failing API calls.',
          panel: { uid: 'opsdeck-domain-signals', panel_id: 101, title: 'API error rate high' },
          query_id: 'error_rate_by_service',
          owning_service: 'api-gateway',
          owner_team: 'core-api',
          runbook_id: 'ops.api.error_rate',
          signals: ['api_error_rate_high'],
        },
      ],
    },
    files: {
      'catalog/grouping.yaml': 'version: 1\nkey_labels: [signal_key, alertname]\nscope_labels: [tenant, project]\n',
      'catalog/runbooks/outbox-relay.md': runbookMarkdown(
        'ops.outbox.relay',
        'Outbox relay degraded',
        'outbox_relay_degraded',
        ['api_error_by_correlation_id']
      ),
      'catalog/runbooks/api-error-rate.md': runbookMarkdown(
        'ops.api.error_rate',
        'API error rate high',
        'api_error_rate_high',
        ['error_rate_by_service', 'trace_by_id']
      ),
      'catalog/runbook-ids.lock': '# Runbook IDs ever published.\nops.api.error_rate\nops.outbox.relay\n',
      'alerts/prometheus/api.yaml': `groups:
  - name: api
    rules:
      - record: service:http_errors:rate5m
        expr: sum by (service) (rate(http_requests_total{code=~"5.."}[5m]))
      - alert: ApiErrorRateHigh
        expr: sum(rate(http_requests_total{service="api-gateway",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="api-gateway"}[5m])) > 0.05
        for: 5m
        labels:
          severity: sev2
          signal_key: api_error_rate_high
        annotations:
          summary: API error rate above 5 %
          runbook_id: ops.api.error_rate
          runbook_url: catalog/runbooks/api-error-rate.md
      - alert: Watchdog
        expr: vector(1)
        labels:
          severity: none
`,
      'provisioning/alerting/outbox.yaml': `apiVersion: 1
groups:
  - orgId: 1
    name: outbox
    folder: Opsdeck
    interval: 1m
    rules:
      - uid: outbox-relay-degraded
        title: Outbox relay degraded
        condition: C
        data: []
        labels:
          signal_key: outbox_relay_degraded
        annotations:
          runbook_id: ops.outbox.relay
`,
      'dashboards/domain-signals.json': `${JSON.stringify(
        {
          uid: 'opsdeck-domain-signals',
          title: 'Domain signals',
          panels: [
            { id: 1, type: 'row', title: 'API and edge', panels: [] },
            { id: 101, type: 'stat', title: 'API error rate high' },
            { id: 102, type: 'stat', title: 'API latency p95 high' },
            { id: 201, type: 'stat', title: 'Outbox relay degraded' },
          ],
        },
        null,
        2
      )}\n`,
    },
  };
}

type Mutation = (repo: Repo) => void;

const runbook = (repo: Repo, id: string) => {
  const found = repo.manifest.runbooks.find((entry) => entry.id === id);
  if (!found) {
    throw new Error(`fixture base has no runbook ${id}`);
  }
  return found;
};
const edit = (repo: Repo, file: string, change: (text: string) => string) => {
  const text = repo.files[file];
  if (typeof text !== 'string') {
    throw new Error(`fixture base has no ${file}`);
  }
  const next = change(text);
  if (next === text) {
    throw new Error(`mutation of ${file} changed nothing`);
  }
  repo.files[file] = next;
};
const API_MD = 'catalog/runbooks/api-error-rate.md';
const OUTBOX_MD = 'catalog/runbooks/outbox-relay.md';
const PROM_RULES = 'alerts/prometheus/api.yaml';

/** One mutation per rule id: the smallest change that breaks exactly that rule. */
export const MUTATIONS: Record<string, Mutation> = {
  // manifest
  'catalog-file-missing': (repo) => {
    repo.files['catalog/symptoms.catalog.json'] = null;
  },
  'catalog-file-syntax': (repo) => {
    repo.files['catalog/queries.catalog.json'] =
      `${JSON.stringify(repo.queries, null, 2).replace(/\}\n\s*\]\n\}$/, '},\n  ]\n}')}`;
  },
  'catalog-schema': (repo) => {
    (repo.queries.queries[2] as { datasource: string }).datasource = 'elasticsearch';
  },
  'catalog-duplicate-key': (repo) => {
    repo.queries.queries.push({ ...repo.queries.queries[1] });
  },
  'runbook-id-format': (repo) => {
    repo.manifest.runbooks.push({ ...runbook(repo, 'ops.api.error_rate'), id: 'API.ErrorRate' });
    edit(repo, 'catalog/runbook-ids.lock', (text) => `${text}API.ErrorRate\n`);
  },
  'runbook-id-duplicate': (repo) => {
    repo.manifest.runbooks.push({ ...runbook(repo, 'ops.api.error_rate') });
  },
  'runbook-required-field': (repo) => {
    delete (runbook(repo, 'ops.api.error_rate') as { owner_team?: string }).owner_team;
  },
  'runbook-date-invalid': (repo) => {
    runbook(repo, 'ops.api.error_rate').last_reviewed_at = '2026-02-30';
  },
  'runbook-url-unresolved': (repo) => {
    runbook(repo, 'ops.api.error_rate').url = 'catalog/runbooks/api-errors.md';
    edit(repo, PROM_RULES, (text) =>
      text.replace('runbook_url: catalog/runbooks/api-error-rate.md', 'runbook_url: catalog/runbooks/api-errors.md')
    );
  },
  'runbook-signal-unknown': (repo) => {
    runbook(repo, 'ops.api.error_rate').signals.push('api_error_budget_burn');
  },
  'runbook-query-unknown': (repo) => {
    runbook(repo, 'ops.api.error_rate').queries.push('error_rate_by_route');
  },
  'signal-group-unknown': (repo) => {
    repo.manifest.signals[2].group = 'queues';
  },
  'signal-query-unknown': (repo) => {
    repo.manifest.signals[0].query_id = 'api_error_ratio';
  },
  'symptom-reference-unknown': (repo) => {
    repo.symptoms.symptoms[0].runbook_id = 'ops.api.errors';
  },
  // review
  'runbook-review-overdue': (repo) => {
    runbook(repo, 'ops.api.error_rate').last_reviewed_at = '2026-08-01';
  },
  'runbook-review-due-soon': (repo) => {
    runbook(repo, 'ops.api.error_rate').last_reviewed_at = '2026-09-05';
  },
  'runbook-review-date-future': (repo) => {
    runbook(repo, 'ops.api.error_rate').last_reviewed_at = '2026-12-01';
  },
  // signals
  'signal-without-runbook': (repo) => {
    repo.manifest.signals.splice(2, 0, {
      ...repo.manifest.signals[1],
      key: 'api_saturation_high',
      title: 'API saturation high',
      dashboard: { uid: 'opsdeck-domain-signals', panel_id: 103 },
    });
    edit(repo, 'dashboards/domain-signals.json', (text) =>
      text.replace('"id": 201', '"id": 103, "type": "stat" }, { "id": 201')
    );
  },
  'sev1-signal-without-runbook': (repo) => {
    runbook(repo, 'ops.outbox.relay').url = 'https://wiki.example.com/runbooks/outbox-relay';
    repo.files[OUTBOX_MD] = null;
  },
  'signal-expr-syntax': (repo) => {
    repo.manifest.signals[2].expr = 'max by (service) (outbox_oldest_pending_age_seconds';
  },
  'signal-panel-id': (repo) => {
    repo.manifest.signals[0].dashboard.panel_id = 102;
    repo.manifest.signals[1].dashboard.panel_id = 101;
  },
  // runbooks
  'runbook-header-missing': (repo) => edit(repo, API_MD, (text) => text.replace(/^> Runbook ID:.*\n\n/m, '')),
  'runbook-section-missing': (repo) =>
    edit(repo, API_MD, (text) => text.replace('## Impact\n\nTenants see failed API calls.\n\n', '')),
  'runbook-checklist-missing': (repo) => edit(repo, API_MD, (text) => text.replace(/- \[ \] /g, '- ')),
  'runbook-id-mismatch': (repo) =>
    edit(repo, API_MD, (text) => text.replace('Runbook ID: `ops.api.error_rate`', 'Runbook ID: `ops.api.errors`')),
  'runbook-cited-query-unknown': (repo) =>
    edit(repo, API_MD, (text) =>
      text.replace('- [ ] Check the pods:', '- [ ] Run saved query `gateway_5xx_by_route`.\n- [ ] Check the pods:')
    ),
  'runbook-queries-unlisted': (repo) =>
    edit(repo, API_MD, (text) =>
      text.replace(
        '- [ ] Check the pods:',
        '- [ ] Read one failing request with saved query `api_error_by_correlation_id`.\n- [ ] Check the pods:'
      )
    ),
  'runbook-file-orphaned': (repo) => {
    repo.files['catalog/runbooks/api-errors-old.md'] = '# API errors (old copy)\n';
  },
  // secrets
  'runbook-secret': (repo) =>
    edit(repo, API_MD, (text) =>
      text.replace('kubectl -n core-api get pods', 'export PGPASSWORD=Xk9-prod-db-2026\nkubectl -n core-api get pods')
    ),
  // alerts
  'alert-file-syntax': (repo) => {
    repo.files['alerts/prometheus/broken.yaml'] = 'groups:\n  - name: broken\n    rules: [\n      - alert: Broken\n';
  },
  'alert-runbook-id-missing': (repo) =>
    edit(repo, PROM_RULES, (text) => text.replace('          runbook_id: ops.api.error_rate\n', '')),
  'alert-runbook-id-unknown': (repo) =>
    edit(repo, 'provisioning/alerting/outbox.yaml', (text) =>
      text.replace('runbook_id: ops.outbox.relay', 'runbook_id: ops.outbox.relay_lag')
    ),
  'alert-runbook-url-mismatch': (repo) =>
    edit(repo, PROM_RULES, (text) =>
      text.replace('runbook_url: catalog/runbooks/api-error-rate.md', 'runbook_url: catalog/runbooks/outbox-relay.md')
    ),
  'alert-signal-unknown': (repo) =>
    edit(repo, PROM_RULES, (text) => text.replace('signal_key: api_error_rate_high', 'signal_key: api_errors_high')),
  // queries
  'query-variable-unknown': (repo) => {
    repo.queries.queries[0].expr = '{service="$service", tenant="$tenant"} | json';
  },
  'query-syntax': (repo) => {
    repo.queries.queries[0].expr = '{service="$service" | json | correlation_id="$correlation_id"';
  },
  // ids
  'runbook-id-lock-missing': (repo) => {
    repo.files['catalog/runbook-ids.lock'] = null;
  },
  'runbook-id-removed': (repo) => edit(repo, 'catalog/runbook-ids.lock', (text) => `${text}ops.api.errors\n`),
  'runbook-id-unlocked': (repo) =>
    edit(repo, 'catalog/runbook-ids.lock', (text) => text.replace('ops.api.error_rate\n', '')),
  // dashboards
  'dashboard-panel-unknown': (repo) => {
    repo.symptoms.symptoms[0].panel.panel_id = 110;
  },
  // actions, approval policy and access (issue 5)
  ...ACTION_MUTATIONS,
  // response policy and on-call schedules (issue 11)
  ...ONCALL_MUTATIONS,
};

function write(dir: string, repo: Repo) {
  const files: Record<string, string | null> = {
    'catalog/runbooks.catalog.json': `${JSON.stringify(repo.manifest, null, 2)}\n`,
    'catalog/queries.catalog.json': `${JSON.stringify(repo.queries, null, 2)}\n`,
    'catalog/symptoms.catalog.json': `${JSON.stringify(repo.symptoms, null, 2)}\n`,
    ...repo.files,
  };
  rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(files)) {
    if (text !== null) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
  }
}

/**
 * Builds `valid/` and one directory per mutation under `dir` (the committed fixtures by default; the
 * freshness test in fixtures.test.ts writes a temp copy and compares); returns the rule ids written.
 */
export function makeFixtures(dir: string = FIXTURES_DIR): string[] {
  rmSync(dir, { recursive: true, force: true });
  write(path.join(dir, 'valid'), baseRepo());
  for (const [ruleId, mutate] of Object.entries(MUTATIONS)) {
    const repo = baseRepo();
    mutate(repo);
    // The serialised catalog files may be overridden by a mutation that writes raw text.
    write(path.join(dir, ruleId), repo);
  }
  return Object.keys(MUTATIONS);
}

if (require.main === module) {
  const written = makeFixtures();
  console.log(`wrote ${written.length + 1} fixture repositories under ${path.relative(process.cwd(), FIXTURES_DIR)}`);
}
