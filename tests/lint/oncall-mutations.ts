/**
 * Lint fixture mutations for the `oncall` rule group (src/catalog/lint/rules/oncall.ts). Each adds a
 * valid response policy and on-call file to the fixture repository (owner teams core-api and
 * platform-messaging) and then breaks exactly one thing; make-fixtures.ts writes one repository each.
 */
interface FixtureFiles {
  files: Record<string, string | null>;
}

const POLICY = 'catalog/response-policy.yaml';
const ONCALL = 'catalog/oncall.yaml';

export const VALID_RESPONSE_POLICY = `version: 1
business_hours: { timezone: Europe/London, days: [mon, tue, wed, thu, fri], start: '09:00', end: '17:00' }
severities:
  sev1: { acknowledge: 5m, initial_response: 15m, escalate_unresolved: 30m }
  sev2: { acknowledge: 15m, initial_response: 30m, escalate_unresolved: 2h }
  sev3: { acknowledge: 1h, initial_response: 4h, escalate_unresolved: next_business_day }
  sev4: best_effort
`;

const team = (name: string) => `  ${name}:
    members: [${name}-a, ${name}-b]
    schedule:
      timezone: Europe/London
      handoff: { day: mon, time: '09:00' }
      layers:
        - name: weekly
          role: primary
          users: [${name}-a, ${name}-b]
          start: '2026-11-02T09:00:00Z'
          shift: 7d
        - name: weekly-secondary
          role: secondary
          users: [${name}-b, ${name}-a]
          start: '2026-11-02T09:00:00Z'
          shift: 7d
      overrides:
        - { role: primary, user: ${name}-b, from: '2026-11-24T12:00:00Z', to: '2026-11-24T18:00:00Z' }
    escalation:
      - { level: 1, notify: [primary], channels: [pagerduty], wait: 5m }
      - { level: 2, notify: [secondary], channels: [pagerduty, slack], wait: 10m }
      - { level: 3, notify: ['user:lead'], channels: [slack], wait: 15m }
`;

export const VALID_ONCALL = `version: 1
channels:
  pagerduty: { type: pagerduty, routing_key_env: OPSDECK_PAGERDUTY_ROUTING_KEY }
  slack: { type: slack, webhook_url_env: OPSDECK_SLACK_WEBHOOK_URL }
users:
  - { id: core-api-a, name: A }
  - { id: core-api-b, name: B }
  - { id: platform-messaging-a, name: C }
  - { id: platform-messaging-b, name: D }
  - { id: lead, name: Lead }
teams:
${team('core-api')}${team('platform-messaging')}`;

function withOncall(
  repo: FixtureFiles,
  change: { policy?: (text: string) => string; oncall?: (text: string) => string }
) {
  repo.files[POLICY] = (change.policy ?? ((text) => text))(VALID_RESPONSE_POLICY);
  repo.files[ONCALL] = (change.oncall ?? ((text) => text))(VALID_ONCALL);
}

export const ONCALL_MUTATIONS: Record<string, (repo: FixtureFiles) => void> = {
  'response-policy-business-hours': (repo) =>
    withOncall(repo, { policy: (text) => text.replace('Europe/London', 'Europe/Atlantis') }),
  'response-policy-clock-order': (repo) =>
    withOncall(repo, {
      policy: (text) =>
        text.replace('acknowledge: 15m, initial_response: 30m', 'acknowledge: 45m, initial_response: 30m'),
    }),
  'oncall-user-unknown': (repo) =>
    withOncall(repo, { oncall: (text) => text.replace("notify: ['user:lead']", "notify: ['user:leed']") }),
  'oncall-channel-unknown': (repo) =>
    withOncall(repo, {
      oncall: (text) => text.replace('channels: [pagerduty, slack]', 'channels: [pagerduty, teams]'),
    }),
  'oncall-escalation-order': (repo) =>
    withOncall(repo, { oncall: (text) => text.replace('{ level: 3,', '{ level: 4,') }),
  'oncall-time-zone': (repo) =>
    withOncall(repo, { oncall: (text) => text.replace('timezone: Europe/London', 'timezone: Europe/Londres') }),
  'oncall-override-range': (repo) =>
    withOncall(repo, { oncall: (text) => text.replace("to: '2026-11-24T18:00:00Z'", "to: '2026-11-24T06:00:00Z'") }),
  'oncall-team-missing': (repo) =>
    withOncall(repo, { oncall: (text) => text.slice(0, text.indexOf('  platform-messaging:')) }),
  // The primary layer starts only on 2026-11-30: a week without anybody on call from --today.
  'oncall-schedule-gap': (repo) =>
    withOncall(repo, {
      oncall: (text) =>
        text.replace(
          "          users: [core-api-a, core-api-b]\n          start: '2026-11-02T09:00:00Z'",
          "          users: [core-api-a, core-api-b]\n          start: '2026-11-30T09:00:00Z'"
        ),
    }),
};
