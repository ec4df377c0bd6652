/** Who is on call and who a chain level pages, from catalog/oncall.yaml and an instant. */
import { currentShift, onCallAt, segments } from '../../catalog/oncall/schedule';
import type { Catalog } from '../../catalog/model';
import {
  durationSeconds,
  type OncallFile,
  type OncallRole,
  type OnCallShift,
  type TeamOnCall,
  type TeamSchedule,
} from '../../contract/oncall';

const nameOf = (file: OncallFile, user: string) => file.users.find((candidate) => candidate.id === user)?.name ?? user;

function shiftOf(file: OncallFile, team: string, role: OncallRole, at: Date): OnCallShift | null {
  const shift = currentShift(file.teams[team].schedule, role, at);
  return shift?.user
    ? {
        user: shift.user,
        name: nameOf(file, shift.user),
        from: shift.from.toISOString(),
        until: shift.until.toISOString(),
        source: shift.source ?? '',
      }
    : null;
}

export function teamOnCall(file: OncallFile, team: string, at: Date): TeamOnCall {
  return { team, primary: shiftOf(file, team, 'primary', at), secondary: shiftOf(file, team, 'secondary', at) };
}

/** The users a chain level pages at `at`: `primary`/`secondary` resolved through the schedule, `user:x` as named. */
export function levelTargets(file: OncallFile, team: string, level: number, at: Date): string[] {
  const config = file.teams[team]?.escalation.find((candidate) => candidate.level === level);
  if (!config) {
    return [];
  }
  // onCallAt, not teamOnCall: only who, not since/until (the escalation burst calls this per incident).
  const schedule = file.teams[team].schedule;
  const users = config.notify.map((target) =>
    target.startsWith('user:')
      ? target.slice(5)
      : (onCallAt(schedule, target as 'primary' | 'secondary', at)?.user ?? null)
  );
  return [...new Set(users.filter((user): user is string => user !== null))];
}

/** Whether a channel's variables are set in `env` (an unset channel is skipped, not an error). */
export function channelConfigured(file: OncallFile, channel: string, env: NodeJS.ProcessEnv): boolean {
  const config = file.channels[channel];
  if (!config) {
    return false;
  }
  const names =
    config.type === 'pagerduty'
      ? [config.routing_key_env]
      : config.type === 'slack'
        ? [config.webhook_url_env]
        : [config.url_env, config.secret_env];
  return names.every((name) => Boolean(env[name]));
}

export function teamSchedule(
  catalog: Catalog,
  team: string,
  at: Date,
  days: number,
  env: NodeJS.ProcessEnv
): TeamSchedule {
  const file = catalog.oncall!;
  const config = file.teams[team];
  const until = new Date(at.getTime() + days * 86_400_000);
  const timeline = (['primary', 'secondary'] as const).flatMap((role) =>
    segments(config.schedule, role, at, until).map((segment) => ({
      role,
      user: segment.user,
      name: segment.user ? nameOf(file, segment.user) : null,
      from: segment.from.toISOString(),
      until: segment.until.toISOString(),
      source: segment.source,
    }))
  );
  const handoff = config.schedule.handoff;
  return {
    team,
    name: config.name ?? team,
    timezone: config.schedule.timezone,
    handoff: `${handoff.day ? `${handoff.day} ` : 'daily '}${handoff.time} ${config.schedule.timezone}`,
    now: teamOnCall(file, team, at),
    timeline,
    escalation: config.escalation.map((level) => ({
      level: level.level,
      notify: level.notify,
      resolved: levelTargets(file, team, level.level, at),
      channels: level.channels.map((id) => ({
        id,
        type: file.channels[id]?.type ?? 'unknown',
        configured: channelConfigured(file, id, env),
      })),
      wait_seconds: durationSeconds(level.wait),
    })),
  };
}
