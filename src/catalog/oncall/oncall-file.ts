/**
 * catalog/oncall.yaml: users, notification channels (secrets by environment variable name only), and
 * per team a schedule and an escalation chain. Optional: without it nobody is paged and the on-call
 * endpoints answer with no teams. A present file must be valid and every reference must resolve.
 */
import type { CatalogViolation } from '../../contract/catalog';
import { OncallFile } from '../../contract/oncall';
import { isTimeZone, readYamlFile } from './read-yaml';

export const ONCALL_FILE = 'oncall.yaml';

type Problem = { rule: string; message: string };

/** Users, channels and time zones every team refers to exist; chain levels are 1, 2, 3… in order. */
export function checkOncall(file: OncallFile): Problem[] {
  const problems: Problem[] = [];
  const users = new Set(file.users.map((user) => user.id));
  const seen = new Set<string>();
  for (const user of file.users) {
    if (seen.has(user.id)) {
      problems.push({ rule: 'oncall-user-unknown', message: `user ${user.id} is declared twice` });
    }
    seen.add(user.id);
  }
  for (const [team, config] of Object.entries(file.teams)) {
    const referenced = [
      ...config.members.map((user) => ({ user, where: 'members' })),
      ...config.schedule.layers.flatMap((layer) => layer.users.map((user) => ({ user, where: `layer ${layer.name}` }))),
      ...config.schedule.overrides.map((override) => ({ user: override.user, where: 'overrides' })),
      ...config.escalation.flatMap((level) =>
        level.notify
          .filter((target) => target.startsWith('user:'))
          .map((target) => ({ user: target.slice(5), where: `escalation level ${level.level}` }))
      ),
    ];
    for (const { user, where } of referenced) {
      if (!users.has(user)) {
        problems.push({ rule: 'oncall-user-unknown', message: `team ${team}: ${where} names user ${user}, who is not under users` });
      }
    }
    for (const level of config.escalation) {
      for (const channel of level.channels) {
        if (!file.channels[channel]) {
          problems.push({
            rule: 'oncall-channel-unknown',
            message: `team ${team}: escalation level ${level.level} uses channel ${channel}, which is not under channels`,
          });
        }
      }
    }
    config.escalation.forEach((level, index) => {
      if (level.level !== index + 1) {
        problems.push({
          rule: 'oncall-escalation-order',
          message: `team ${team}: escalation levels must be 1, 2, 3… in order; entry ${index + 1} says level ${level.level}`,
        });
      }
    });
    if (!isTimeZone(config.schedule.timezone)) {
      problems.push({ rule: 'oncall-time-zone', message: `team ${team}: schedule.timezone ${config.schedule.timezone} is not an IANA time zone` });
    }
    for (const override of config.schedule.overrides) {
      if (Date.parse(override.from) >= Date.parse(override.to)) {
        problems.push({ rule: 'oncall-override-range', message: `team ${team}: override for ${override.user} ends before it starts` });
      }
    }
  }
  return problems;
}

export async function loadOncall(dir: string, violations: CatalogViolation[]): Promise<OncallFile | null> {
  const { value } = await readYamlFile(dir, ONCALL_FILE, OncallFile, violations);
  if (!value) {
    return null;
  }
  const problems = checkOncall(value);
  for (const { rule, message } of problems) {
    violations.push({ path: ONCALL_FILE, line: null, rule, severity: 'error', message });
  }
  return problems.length > 0 ? null : value;
}
