import { DEFAULT_RESPONSE_POLICY as policy } from '../../catalog/oncall/response-policy';
import { clocksOf, clockStatus, escalationAt, nextBusinessDay, type ResponseFacts } from './clocks';

const opened = new Date('2026-12-04T10:00:00Z'); // a Friday
const minutes = (n: number) => new Date(opened.getTime() + n * 60_000);
/** platform chain: 5m, 10m, 15m, 30m */
const waits = [300, 600, 900, 1800];
const facts = (over: Partial<ResponseFacts> = {}): ResponseFacts => ({
  severity: 'sev1',
  opened_at: opened,
  is_open: true,
  acknowledged_at: null,
  responded_at: null,
  escalation_level: 1,
  signals: [],
  ...over,
});

describe('response clocks', () => {
  it('ships the issue defaults per severity', () => {
    expect(clocksOf(policy, 'sev1', opened)).toEqual({
      ack_due_at: minutes(5),
      response_due_at: minutes(15),
      escalate_due_at: minutes(30),
    });
    expect(clocksOf(policy, 'sev2', opened)).toEqual({
      ack_due_at: minutes(15),
      response_due_at: minutes(30),
      escalate_due_at: minutes(120),
    });
    expect(clocksOf(policy, 'sev4', opened)).toEqual({
      ack_due_at: null,
      response_due_at: null,
      escalate_due_at: null,
    });
  });

  it('counts next business day in the policy time zone, skipping the weekend', () => {
    const friday = { ...policy.business_hours, timezone: 'America/New_York' };
    expect(nextBusinessDay(friday, opened).toISOString()).toBe('2026-12-07T14:00:00.000Z'); // Mon 09:00 EST
    expect(clocksOf(policy, 'sev3', opened).escalate_due_at?.toISOString()).toBe('2026-12-07T09:00:00.000Z');
  });

  it('is pending, met or breached', () => {
    expect(clockStatus(minutes(5), null, minutes(4))).toBe('pending');
    expect(clockStatus(minutes(5), null, minutes(6))).toBe('breached');
    expect(clockStatus(minutes(5), minutes(3), minutes(60))).toBe('met');
    expect(clockStatus(minutes(5), minutes(7), minutes(60))).toBe('breached');
    expect(clockStatus(null, null, minutes(600))).toBe('pending');
  });
});

describe('escalation', () => {
  it('climbs the chain while nobody acknowledges', () => {
    expect(escalationAt(policy, waits, facts(), minutes(4))).toMatchObject({
      level: 1,
      next_at: minutes(5),
      next_level: 2,
    });
    expect(escalationAt(policy, waits, facts(), minutes(5)).level).toBe(2);
    expect(escalationAt(policy, waits, facts(), minutes(14))).toMatchObject({
      level: 2,
      next_at: minutes(15),
      next_level: 3,
    });
    expect(escalationAt(policy, waits, facts(), minutes(30)).level).toBe(4);
  });

  it('stops climbing at the acknowledgement but still escalates an unresolved incident', () => {
    const acked = facts({ acknowledged_at: minutes(3) });
    expect(escalationAt(policy, waits, acked, minutes(20))).toMatchObject({
      level: 1,
      next_at: minutes(30),
      next_level: 2,
    });
    expect(escalationAt(policy, waits, acked, minutes(30)).level).toBe(2);
    expect(escalationAt(policy, waits, acked, minutes(119))).toMatchObject({
      level: 2,
      next_at: minutes(120),
      next_level: 3,
    });
    expect(escalationAt(policy, waits, acked, minutes(120)).reasons.map((r) => r.reason)).toContain(
      'open longer than 2h'
    );
  });

  it('waits for the longer of the acknowledge clock and level 1 wait', () => {
    expect(escalationAt(policy, waits, facts({ severity: 'sev2' }), minutes(10)).level).toBe(1);
    expect(escalationAt(policy, waits, facts({ severity: 'sev2' }), minutes(15)).level).toBe(2);
  });

  it('goes straight to level 3 for security labels and stated impact', () => {
    const secure = facts({ severity: 'sev4', signals: [{ security: 'true' }] });
    expect(escalationAt(policy, waits, secure, opened)).toMatchObject({ level: 3 });
    expect(escalationAt(policy, waits, facts({ signals: [{ customer_impact_users: '1,500' }] }), opened).level).toBe(3);
    expect(escalationAt(policy, waits, facts({ signals: [{ customer_impact_users: '900' }] }), opened).level).toBe(1);
    expect(escalationAt(policy, waits, facts({ signals: [{ revenue_impact: '25000' }] }), opened).level).toBe(3);
    expect(escalationAt(policy, waits, facts({ signals: [{ security: 'false' }] }), opened).level).toBe(1);
  });

  it('never lowers the level, never passes the chain, and stops once resolved', () => {
    expect(escalationAt(policy, waits, facts({ escalation_level: 3 }), opened).level).toBe(3);
    expect(escalationAt(policy, [300, 600], facts(), minutes(600)).level).toBe(2);
    expect(escalationAt(policy, waits, facts({ is_open: false }), minutes(600))).toMatchObject({
      level: 1,
      next_at: null,
    });
  });

  it('best effort severities only escalate on triggers', () => {
    expect(escalationAt(policy, waits, facts({ severity: 'sev4' }), minutes(60))).toMatchObject({
      level: 1,
      next_at: minutes(120),
    });
  });
});
