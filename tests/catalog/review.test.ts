import { parseIsoDate, reviewOf } from '../../src/catalog/review';

describe('runbook review status', () => {
  it.each([
    ['2026-11-23', 0, 'ok'],
    ['2026-09-09', 75, 'due_soon'],
    ['2026-09-10', 74, 'ok'],
    ['2026-08-25', 90, 'due_soon'],
    ['2026-08-24', 91, 'overdue'],
  ])('reviewed %s is %i days old on 2026-11-23: %s', (reviewed, age, status) => {
    const review = reviewOf(reviewed, '2026-11-23');
    expect(review).toMatchObject({ ageDays: age, status, daysLeft: 90 - age });
  });

  it('gives the last day within the limit', () => {
    expect(reviewOf('2026-11-01', '2026-11-23')?.dueAt).toBe('2027-01-30');
    expect(reviewOf('2024-02-01', '2024-03-01')?.ageDays).toBe(29);
  });

  it('rejects dates that do not exist', () => {
    expect(parseIsoDate('2026-02-30')).toBeNull();
    expect(parseIsoDate('2026-11-23T00:00:00Z')).toBeNull();
    expect(parseIsoDate('2028-02-29')).not.toBeNull();
    expect(reviewOf('yesterday', '2026-11-23')).toBeNull();
  });
});
