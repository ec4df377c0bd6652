/**
 * The response clocks as people read them on a card: `ack due in 3m`, `ack breached 2m ago`,
 * `escalates to level 2 in 12m`. Pure, so the badges, the sort and the tests agree.
 */
import type { IncidentResponse } from '../../contract/oncall';

export type ClockTone = 'ok' | 'warn' | 'breached' | 'done';
export interface ClockBadge {
  stage: 'ack' | 'response' | 'escalation';
  text: string;
  tone: ClockTone;
}

/** Whole minutes (hours past 90 min), rounded towards the breach. */
export function shortSpan(seconds: number): string {
  const minutes = Math.floor(Math.abs(seconds) / 60);
  return minutes >= 90 ? `${Math.floor(minutes / 60)}h${minutes % 60 ? `${minutes % 60}m` : ''}` : `${minutes}m`;
}

function clock(
  stage: 'ack' | 'response',
  label: string,
  due: string | null,
  status: IncidentResponse['ack_status'],
  now: number
): ClockBadge | null {
  if (due === null) {
    return null;
  }
  const left = (Date.parse(due) - now) / 1000;
  if (status === 'met') {
    return { stage, text: `${label} met`, tone: 'done' };
  }
  if (status === 'breached' || left < 0) {
    return { stage, text: `${label} breached ${shortSpan(left)} ago`, tone: 'breached' };
  }
  // The last fifth of a clock (at least a minute) is a warning.
  return { stage, text: `${label} due in ${shortSpan(left)}`, tone: left < 60 ? 'warn' : 'ok' };
}

export function clockBadges(response: IncidentResponse, now: number): ClockBadge[] {
  const badges = [
    clock('ack', 'ack', response.ack_due_at, response.ack_status, now),
    response.ack_status === 'met'
      ? clock('response', 'response', response.response_due_at, response.response_status, now)
      : null,
  ].filter((badge): badge is ClockBadge => badge !== null);
  if (response.next_escalation_at && response.next_escalation_level) {
    const left = (Date.parse(response.next_escalation_at) - now) / 1000;
    badges.push({
      stage: 'escalation',
      text:
        left > 0
          ? `escalates to level ${response.next_escalation_level} in ${shortSpan(left)}`
          : `escalating to level ${response.next_escalation_level}`,
      tone: left > 0 ? 'ok' : 'warn',
    });
  }
  return badges;
}

/** Whether any clock of the incident is breached and still open: such cards sort first inside a severity. */
export function isBreached(response: IncidentResponse | undefined): boolean {
  return Boolean(
    response &&
    (response.ack_status === 'breached' || (response.response_status === 'breached' && !response.responded_at))
  );
}
