/**
 * jest runs the longest files first when its cache knows their durations, and otherwise the largest
 * files first. The longest node suites are some of the smallest files (each fuzz-*.test.ts is four
 * lines; the process-level fault suites are short), so on a clean clone (CI) they ran last and kept
 * one worker busy alone at the end. Files known to be long go first when there is no timing.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** Longest first (measured: each fuzz file a few minutes of CPU, each crash suite one or two). */
const LONG = [
  /tests\/hostile\/fuzz-/,
  /tests\/faults\/\w+-crash/,
  /tests\/(faults|soak)\//,
  /tests\/(intake\/replicas-burst|api\/shutdown)/,
];
const rank = (test) => LONG.findIndex((pattern) => pattern.test(test.path));

class LongFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const unknownLong = sorted
      .filter((test) => test.duration == null && rank(test) >= 0)
      .sort((a, b) => rank(a) - rank(b));
    return [...unknownLong, ...sorted.filter((test) => !unknownLong.includes(test))];
  }
}

module.exports = LongFirstSequencer;
