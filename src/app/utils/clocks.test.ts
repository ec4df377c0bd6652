import type { IncidentResponse } from '../../contract/oncall';
import { clockBadges, isBreached } from './clocks';

const at = Date.parse('2026-11-23T10:02:00Z');
const base: IncidentResponse = {
  ack_due_at: '2026-11-23T10:05:00Z',
  ack_status: 'pending',
  acknowledged_at: null,
  acknowledged_by: null,
  response_due_at: '2026-11-23T10:15:00Z',
  response_status: 'pending',
  responded_at: null,
  responded_by: null,
  escalate_due_at: '2026-11-23T10:30:00Z',
  escalation_level: 1,
  next_escalation_at: '2026-11-23T10:14:00Z',
  next_escalation_level: 2,
  assignee: null,
  commander: null,
};

describe('clock badges', () => {
  it('says how long is left and when the next level is paged', () => {
    expect(clockBadges(base, at).map((badge) => badge.text)).toEqual(['ack due in 3m', 'escalates to level 2 in 12m']);
  });
  it('says how long ago a clock breached', () => {
    const late = clockBadges({ ...base, ack_status: 'breached' }, Date.parse('2026-11-23T10:07:30Z'));
    expect(late[0]).toEqual({ stage: 'ack', text: 'ack breached 2m ago', tone: 'breached' });
    expect(isBreached({ ...base, ack_status: 'breached' })).toBe(true);
    expect(isBreached(base)).toBe(false);
  });
  it('shows the response clock once acknowledged, and nothing for best effort', () => {
    const acked = clockBadges(
      { ...base, ack_status: 'met', acknowledged_at: '2026-11-23T10:01:00Z', next_escalation_at: null },
      at
    );
    expect(acked.map((badge) => badge.text)).toEqual(['ack met', 'response due in 13m']);
    expect(clockBadges({ ...base, ack_due_at: null, response_due_at: null, next_escalation_at: null }, at)).toEqual([]);
  });
});
