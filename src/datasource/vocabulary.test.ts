// The datasource's state columns map values with the contract's vocabulary, the table the app's badges
// use: same words, same colours, same order. (Before, SEV3 was yellow here and blue in the app.)
import type { DataFrame, ValueMapping } from '@grafana/data';

import { VOCABULARIES, type Vocabulary } from '../contract/vocabulary';
import {
  anApproval,
  anIncidentSummary,
  aHealthBlock,
  aRunbookListItem,
  aSloStatus,
  T0,
} from '../../tests/fixtures/builders';
import { approvalsFrame, healthFrame, incidentsFrame, runbooksFrame, sloFrame } from './frames';

const mappingOf = (frame: DataFrame, name: string): ValueMapping[] | undefined =>
  frame.fields.find((field) => field.name === name)?.config.mappings;

const expected = (vocabulary: Vocabulary<string>) => [
  {
    type: 'value',
    options: Object.fromEntries(
      Object.entries(vocabulary).map(([value, term], index) => [value, { text: term.label, color: term.color, index }])
    ),
  },
];

describe('value mappings', () => {
  const incidents = incidentsFrame('A', [anIncidentSummary()]);
  const runbooks = runbooksFrame('A', [aRunbookListItem()]);
  const approvals = approvalsFrame('A', [anApproval()]);
  const columns: Array<[string, string, keyof typeof VOCABULARIES, DataFrame]> = [
    ['incidents', 'severity', 'severity', incidents],
    ['incidents', 'status', 'incident_status', incidents],
    ['incidents', 'ack_status', 'clock_status', incidents],
    ['incidents', 'response_status', 'clock_status', incidents],
    ['runbooks', 'severity_hint', 'severity', runbooks],
    ['runbooks', 'review_status', 'review_status', runbooks],
    ['approvals', 'risk_class', 'risk_class', approvals],
    ['approvals', 'status', 'approval_status', approvals],
    ['overview_health', 'status', 'health', healthFrame('A', [aHealthBlock()], T0)],
    ['slo_status', 'alert_state', 'slo_alert_state', sloFrame('A', [aSloStatus()])],
  ];

  it.each(columns)('%s.%s is the %s vocabulary', (_frame, column, vocabulary, frame) => {
    expect(mappingOf(frame, column)).toEqual(expected(VOCABULARIES[vocabulary]));
  });

  it('gives SEV3 and an expired approval the colours the app shows', () => {
    const severity = mappingOf(incidents, 'severity')?.[0].options as Record<string, { color: string }>;
    const approval = mappingOf(approvals, 'status')?.[0].options as Record<string, { color: string }>;
    expect([severity.sev3.color, approval.expired.color]).toEqual(['blue', 'darkgrey']);
  });
});
