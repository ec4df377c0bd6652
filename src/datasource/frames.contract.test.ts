// The frame contract, TypeScript side: the frames the frontend built before the Go backend (frames.ts)
// from the recorded API answers must equal tests/fixtures/datasource/frames/*.json. The Go backend is
// held to the same files (pkg/plugin/contract_test.go, pkg/protocol/protocol_test.go), so a frame
// changed in one language and not the other fails one of them.
// OPSDECK_WRITE_FRAME_CONTRACT=1 rewrites the expected files from frames.ts (review the diff).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DataFrame } from '@grafana/data';

import type { ApprovalPage } from '../contract/approvals';
import type { AuditPage } from '../contract/audit';
import type { RunbookList } from '../contract/catalog';
import type { IncidentPage } from '../contract/incidents';
import type { Kpis } from '../contract/kpis';
import type { OnCallNow } from '../contract/oncall';
import type { OpsOverview } from '../contract/overview';
import type { SloStatusList } from '../contract/slo';
import { describeFrame } from '../../tests/fixtures/datasource/describe';
import {
  approvalsFrame,
  auditFrame,
  healthFrame,
  incidentsFrame,
  kpisFrame,
  oncallFrame,
  runbooksFrame,
  sloFrame,
} from './frames';

const dir = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'datasource');
const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;

interface Case {
  name: string;
  query: { refId: string; queryType: string };
  answer: string;
  frame: string;
}

const builders: Record<string, (refId: string, answer: unknown) => DataFrame> = {
  incidents: (refId, answer) => incidentsFrame(refId, (answer as IncidentPage).items),
  runbooks: (refId, answer) => runbooksFrame(refId, (answer as RunbookList).items),
  approvals: (refId, answer) => approvalsFrame(refId, (answer as ApprovalPage).items),
  audit: (refId, answer) => auditFrame(refId, (answer as AuditPage).items),
  overview_health: (refId, answer) =>
    healthFrame(
      refId,
      (answer as OpsOverview).health_summary.blocks,
      (answer as OpsOverview).decision_header.generated_at
    ),
  slo_status: (refId, answer) => sloFrame(refId, (answer as SloStatusList).items),
  oncall: (refId, answer) => oncallFrame(refId, answer as OnCallNow),
  kpis: (refId, answer) => kpisFrame(refId, answer as Kpis),
};

const { cases } = read<{ cases: Case[] }>('cases.json');

describe('frame contract (TypeScript reference)', () => {
  it('covers every query type the frontend built frames for', () => {
    expect(cases.map((c) => c.query.queryType).sort()).toEqual(Object.keys(builders).sort());
  });

  it.each(cases)('$name: frames.ts on the recorded answer gives the committed frame', (testCase) => {
    const frame = describeFrame(builders[testCase.query.queryType](testCase.query.refId, read(testCase.answer)));
    const expectedFile = path.join(dir, testCase.frame);
    if (process.env.OPSDECK_WRITE_FRAME_CONTRACT === '1') {
      writeFileSync(expectedFile, `${JSON.stringify(frame, null, 2)}\n`);
    }
    expect(frame.length).toBeGreaterThan(0);
    expect(frame).toEqual(read(testCase.frame));
  });
});
