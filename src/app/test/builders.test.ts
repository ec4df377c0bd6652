// The fixture builders must stay valid against the contract the API enforces, or the UI tests lie.
import * as builders from '../../../tests/fixtures/builders';
import { Me } from '../../contract/access';
import { Approval } from '../../contract/approvals';
import { AuditRow } from '../../contract/audit';
import { RunbookDetail, RunbookList } from '../../contract/catalog';
import { CorrelationLookup } from '../../contract/correlation';
import { IncidentDetail } from '../../contract/incidents';
import { OpsOverview } from '../../contract/overview';
import { SloStatus } from '../../contract/slo';

describe('fixture builders', () => {
  it.each([
    ['overview', OpsOverview, builders.anOverview()],
    ['incident detail', IncidentDetail, builders.anIncidentDetail()],
    ['runbook list', RunbookList, builders.aRunbookList()],
    ['runbook detail', RunbookDetail, builders.aRunbookDetail()],
    ['approval', Approval, builders.anApproval()],
    ['me', Me, builders.aMe()],
    ['audit row', AuditRow, builders.anAuditRow()],
    ['correlation lookup', CorrelationLookup, builders.aCorrelationLookup()],
    ['slo status', SloStatus, builders.aSloStatus()],
  ])('%s parses with its contract schema', (_name, schema, value) => {
    const result = schema.safeParse(value);
    expect(result.error?.issues ?? []).toEqual([]);
  });
});
