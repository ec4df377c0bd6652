// The hostile-input property suite (issue 17) for these endpoints; the suite and its case counts: ./fuzz/suite.ts.
import { fuzzSuite } from './fuzz/suite';

fuzzSuite('hostile input property suite (approvals)', [
  'POST /approvals',
  'POST /approvals/:id/decision',
  'POST /approvals/:id/feedback',
]);
