// The hostile-input property suite (issue 17) for these endpoints; the suite and its case counts: ./fuzz/suite.ts.
import { fuzzSuite } from './fuzz/suite';

fuzzSuite('hostile input property suite (webhooks)', ['POST /alerts/alertmanager', 'POST /alerts/grafana']);
