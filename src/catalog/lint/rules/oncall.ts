/**
 * On-call response (catalog/response-policy.yaml, catalog/oncall.yaml): what their loaders check
 * (src/catalog/oncall/) and the cross-references only the linter looks at: every owner team of the
 * runbook catalog has an escalation chain and a schedule, and that schedule has nobody-on-call gaps in
 * none of the next 14 days (counted from `--today`).
 */
import { primaryGaps } from '../../oncall/schedule';
import { ONCALL_FILE } from '../../oncall/oncall-file';
import type { Finding, LintContext, LintRule, LintRuleGroup, Severity } from '../types';

export const GAP_HORIZON_DAYS = 14;

function loaderRule(id: string, description: string, severity: Severity = 'error'): LintRule {
  return {
    id,
    severity,
    description,
    check: (context: LintContext) =>
      context.violations.filter((violation) => violation.rule === id).map(({ path, line, message }) => ({ path, line, message })),
  };
}

/** Line of `  <team>:` under teams in oncall.yaml, for messages. */
function teamLine(context: LintContext, team: string): number | null {
  const lines = context.readText(context.catalogPath(ONCALL_FILE))?.split('\n') ?? [];
  const index = lines.findIndex((line) => line.trimEnd() === `  ${team}:`);
  return index >= 0 ? index + 1 : null;
}

const teamCovered: LintRule = {
  id: 'oncall-team-missing',
  severity: 'error',
  description: 'once oncall.yaml exists, every owner_team of the runbook catalog has a schedule and an escalation chain there',
  *check(context): Iterable<Finding> {
    const oncall = context.catalog.oncall;
    if (!oncall) {
      return;
    }
    const owners = new Set([...context.catalog.runbooks.values()].map((runbook) => runbook.owner_team));
    for (const team of [...owners].sort()) {
      if (!oncall.teams[team]) {
        yield {
          path: context.catalogPath(ONCALL_FILE),
          line: null,
          message: `owner team ${team} (runbooks.catalog.json) has no schedule and escalation chain under teams: its incidents would page nobody`,
        };
      }
    }
  },
};

const noGaps: LintRule = {
  id: 'oncall-schedule-gap',
  severity: 'error',
  description: `every team's primary schedule has somebody on call at every moment of the next ${GAP_HORIZON_DAYS} days`,
  *check(context): Iterable<Finding> {
    const oncall = context.catalog.oncall;
    if (!oncall) {
      return;
    }
    const from = new Date(`${context.today}T00:00:00Z`);
    const to = new Date(from.getTime() + GAP_HORIZON_DAYS * 86_400_000);
    for (const [team, config] of Object.entries(oncall.teams)) {
      const gaps = primaryGaps(config.schedule, from, to);
      if (gaps.length > 0) {
        const shown = gaps.slice(0, 3).map((gap) => `${gap.from.toISOString()} → ${gap.until.toISOString()}`);
        yield {
          path: context.catalogPath(ONCALL_FILE),
          line: teamLine(context, team),
          message: `team ${team}: nobody is primary on call ${shown.join(', ')}${gaps.length > 3 ? ` and ${gaps.length - 3} more` : ''}; add a layer or an override`,
        };
      }
    }
  },
};

export const oncallRules: LintRuleGroup = {
  name: 'oncall',
  rules: [
    loaderRule('response-policy-business-hours', 'response-policy.yaml business_hours has an IANA time zone and start before end'),
    loaderRule('response-policy-clock-order', 'per severity, acknowledge ≤ initial_response ≤ escalate_unresolved'),
    loaderRule('oncall-user-unknown', 'every user oncall.yaml refers to (members, layers, overrides, escalation) is declared once under users'),
    loaderRule('oncall-channel-unknown', 'every channel an escalation level uses is declared under channels'),
    loaderRule('oncall-escalation-order', 'escalation levels are numbered 1, 2, 3… in order'),
    loaderRule('oncall-time-zone', "every schedule's timezone is an IANA time zone"),
    loaderRule('oncall-override-range', 'every override ends after it starts'),
    teamCovered,
    noGaps,
  ],
};
