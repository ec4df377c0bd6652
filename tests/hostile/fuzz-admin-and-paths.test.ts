// The hostile-input property suite (issue 17) for these endpoints; the suite and its case counts: ./fuzz/suite.ts.
import { fuzzSuite } from './fuzz/suite';

fuzzSuite('hostile input property suite (admin-and-paths)', [
  'POST /admin/catalog/reload',
  'path parameters and filters',
]);
