import { OncallFile, type Schedule } from '../../contract/oncall';
import { currentShift, onCallAt, primaryGaps, segments } from './schedule';

const schedule = (partial: Partial<Schedule> & Pick<Schedule, 'layers'>): Schedule => ({
  timezone: 'UTC',
  handoff: { time: '09:00' },
  overrides: [],
  ...partial,
});
const at = (iso: string) => new Date(iso);

describe('weekly rotations', () => {
  const weekly = schedule({
    timezone: 'Europe/London',
    layers: [
      { name: 'w', role: 'primary', users: ['a', 'b', 'c'], start: '2026-10-19T08:00:00Z', shift: '7d' },
      { name: 's', role: 'secondary', users: ['c', 'a', 'b'], start: '2026-10-19T08:00:00Z', shift: '7d' },
    ],
  });

  it('takes turns round-robin at the handoff instant', () => {
    expect(onCallAt(weekly, 'primary', at('2026-10-19T07:59:59Z'))).toBeNull();
    expect(onCallAt(weekly, 'primary', at('2026-10-19T08:00:00Z'))).toEqual({ user: 'a', source: 'rotation:w' });
    expect(onCallAt(weekly, 'secondary', at('2026-10-20T00:00:00Z'))?.user).toBe('c');
    // 2026-10-25 is the end of British Summer Time: 09:00 BST = 08:00Z before, 09:00 GMT = 09:00Z after.
    expect(onCallAt(weekly, 'primary', at('2026-10-26T08:30:00Z'))?.user).toBe('a');
    expect(onCallAt(weekly, 'primary', at('2026-10-26T09:00:00Z'))?.user).toBe('b');
    expect(onCallAt(weekly, 'primary', at('2026-11-02T09:00:00Z'))?.user).toBe('c');
    expect(onCallAt(weekly, 'primary', at('2026-11-09T09:00:00Z'))?.user).toBe('a');
  });

  it('answers the whole current shift, until the next handoff', () => {
    const shift = currentShift(weekly, 'primary', at('2026-11-04T12:00:00Z'));
    expect(shift).toMatchObject({ user: 'c', source: 'rotation:w' });
    expect(shift?.from.toISOString()).toBe('2026-11-02T09:00:00.000Z');
    expect(shift?.until.toISOString()).toBe('2026-11-09T09:00:00.000Z');
  });

  it('lets an override win for its time range only', () => {
    const overridden: Schedule = {
      ...weekly,
      overrides: [{ role: 'primary', user: 'z', from: '2026-11-04T12:00:00Z', to: '2026-11-04T18:00:00Z' }],
    };
    expect(onCallAt(overridden, 'primary', at('2026-11-04T13:00:00Z'))).toEqual({ user: 'z', source: 'override' });
    expect(onCallAt(overridden, 'primary', at('2026-11-04T18:00:00Z'))?.user).toBe('c');
    const parts = segments(overridden, 'primary', at('2026-11-04T00:00:00Z'), at('2026-11-05T00:00:00Z'));
    expect(parts.map((part) => [part.user, part.from.toISOString(), part.until.toISOString()])).toEqual([
      ['c', '2026-11-04T00:00:00.000Z', '2026-11-04T12:00:00.000Z'],
      ['z', '2026-11-04T12:00:00.000Z', '2026-11-04T18:00:00.000Z'],
      ['c', '2026-11-04T18:00:00.000Z', '2026-11-05T00:00:00.000Z'],
    ]);
  });
});

describe('follow the sun', () => {
  const sun = schedule({
    layers: [
      { name: 'apac', role: 'primary', users: ['k'], start: '2026-11-02T00:00:00Z', shift: '7d', window: { from: '00:00', to: '08:00' } },
      { name: 'emea', role: 'primary', users: ['e', 'f'], start: '2026-11-02T00:00:00Z', shift: '7d', window: { from: '08:00', to: '16:00' } },
      { name: 'amer', role: 'primary', users: ['a'], start: '2026-11-02T00:00:00Z', shift: '7d', window: { from: '16:00', to: '24:00' } },
    ],
  });

  it('hands the pager around the world every eight hours', () => {
    const day = segments(sun, 'primary', at('2026-11-03T00:00:00Z'), at('2026-11-04T00:00:00Z'));
    expect(day.map((part) => `${part.user}@${part.from.toISOString().slice(11, 16)}`)).toEqual(['k@00:00', 'e@08:00', 'a@16:00']);
    expect(onCallAt(sun, 'primary', at('2026-11-10T09:00:00Z'))?.user).toBe('f');
    expect(primaryGaps(sun, at('2026-11-02T00:00:00Z'), at('2026-11-16T00:00:00Z'))).toEqual([]);
  });

  it('finds the hole a missing region leaves', () => {
    const holes = primaryGaps({ ...sun, layers: sun.layers.slice(0, 2) }, at('2026-11-03T00:00:00Z'), at('2026-11-04T00:00:00Z'));
    expect(holes.map((gap) => [gap.from.toISOString(), gap.until.toISOString()])).toEqual([
      ['2026-11-03T16:00:00.000Z', '2026-11-04T00:00:00.000Z'],
    ]);
  });
});

describe('the repository catalog/oncall.yaml', () => {
  it('parses, and every team has someone primary on call', async () => {
    const { readFileSync } = await import('node:fs');
    const YAML = (await import('yaml')).default;
    const file = OncallFile.parse(YAML.parse(readFileSync(`${__dirname}/../../../catalog/oncall.yaml`, 'utf8')));
    for (const config of Object.values(file.teams)) {
      expect(onCallAt(config.schedule, 'primary', at('2026-12-05T17:00:00Z'))).not.toBeNull();
    }
  });
});
