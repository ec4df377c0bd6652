import { formatDuration, formatPercent, formatSignalValue, thresholdText } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59.9, '59s'],
    [60, '1m'],
    [3599, '59m'],
    [3600, '1h'],
    [3660, '1h 1m'],
    [86_400, '1d'],
    [90_000, '1d 1h'],
  ])('%s s → %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));

  it('reads unknown or negative durations as a dash', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('formatSignalValue', () => {
  it.each([
    [0.034, 'ratio', '3.4%'],
    [0.0042, 'ratio', '0.42%'],
    [0.25, 'seconds', '250 ms'],
    [4.5, 'seconds', '4.5 s'],
    [12, 'messages', '12 messages'],
    [12_345.6, 'requests', '12,346 requests'],
  ])('%s %s → %s', (value, unit, text) => expect(formatSignalValue(value, unit)).toBe(text));

  it('says "no data" without a value', () => {
    expect(formatSignalValue(null, 'ratio')).toBe('no data');
  });
});

describe('thresholdText', () => {
  it('names the warning and critical thresholds in the unit', () => {
    expect(thresholdText({ comparison: '>', threshold: 0.05, warn_threshold: 0.02, unit: 'ratio' })).toBe(
      'warn > 2% · crit > 5%'
    );
    expect(thresholdText({ comparison: '<', threshold: 10, warn_threshold: null, unit: 'hosts' })).toBe(
      'crit < 10 hosts'
    );
  });
});

describe('formatPercent', () => {
  it('formats fractions', () => {
    expect(formatPercent(0.8)).toBe('80%');
    expect(formatPercent(null)).toBe('—');
  });
});
