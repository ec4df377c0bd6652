import { FieldType, getDisplayProcessor, createTheme, type DataFrame } from '@grafana/data';

import {
  anApproval,
  anAuditRow,
  anIncidentSummary,
  aHealthBlock,
  aRunbookListItem,
  aSloStatus,
  T0,
} from '../../tests/fixtures/builders';
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

const field = (frame: DataFrame, name: string) => {
  const found = frame.fields.find((f) => f.name === name);
  if (!found) {
    throw new Error(`no field ${name}`);
  }
  return found;
};

describe('frames', () => {
  it('kpis: one row per KPI, targets judged met / missed / no data, the others unjudged', () => {
    const ratio = (value: number | null) => ({ numerator: 0, denominator: 0, value });
    const stat = (median: number | null) => ({ count: 1, median_seconds: median, p90_seconds: median });
    const target = (kpi: string, goal: number, met: boolean | null) => ({
      kpi,
      description: kpi,
      value: null,
      target: goal,
      comparison: '<=' as const,
      met,
    });
    const frame = kpisFrame('K', {
      window: '7d',
      from: T0,
      to: T0,
      team: null,
      incidents: 12,
      mtta: [],
      mttr: [],
      mttr_all: { assisted: stat(3600), manual: stat(20000) },
      ack_sla: { ...ratio(0.9), target_seconds: { sev1: 1, sev2: 1, sev3: 1, sev4: 1 } },
      response_sla: { ...ratio(null), target_seconds: { sev1: 1, sev2: 1, sev3: 1, sev4: 1 } },
      change_failure_rate: ratio(0.25),
      automation_coverage: ratio(0.5),
      override_rate: ratio(0.2),
      false_classification_rate: { ...ratio(0.3), note: 'n' },
      escalations: { value: null, note: 'n' },
      alert_noise: [],
      targets: [
        target('mttr_manual', 14400, false),
        target('mttr_assisted', 7200, true),
        target('false_classification_rate', 0.15, false),
        target('override_rate', 0.4, null),
      ],
    });
    expect(frame.name).toBe('kpis');
    expect(field(frame, 'met').values).toEqual(['missed', 'met', 'missed', 'no_data', '', '', '', '', '']);
    expect(field(frame, 'value').values.slice(0, 3)).toEqual([20000, 3600, 0.3]);
    expect(field(frame, 'value').values[8]).toBe(12);
    expect(field(frame, 'target').values[4]).toBeNull();
    expect(field(frame, 'unit').values.slice(0, 3)).toEqual(['seconds', 'seconds', 'ratio']);
  });

  it('oncall: one row per team and role, a gap as an empty user; incidents carry the response clocks', () => {
    const frame = oncallFrame('O', {
      at: '2026-11-24T13:00:00.000Z',
      teams: [
        {
          team: 'core-api',
          primary: {
            user: 'api-b',
            name: 'API B',
            from: '2026-11-23T09:00:00.000Z',
            until: '2026-11-30T09:00:00.000Z',
            source: 'override',
          },
          secondary: null,
        },
      ],
    });
    expect(frame.name).toBe('oncall');
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['team', FieldType.string],
      ['role', FieldType.string],
      ['user', FieldType.string],
      ['name', FieldType.string],
      ['from', FieldType.time],
      ['until', FieldType.time],
      ['source', FieldType.string],
    ]);
    expect(field(frame, 'user').values).toEqual(['api-b', '']);
    expect(field(frame, 'until').values).toEqual([Date.parse('2026-11-30T09:00:00.000Z'), null]);
    const incidents = incidentsFrame('A', [
      anIncidentSummary({
        response: {
          ack_due_at: '2026-11-24T13:05:00.000Z',
          ack_status: 'breached',
          acknowledged_at: null,
          acknowledged_by: null,
          response_due_at: null,
          response_status: 'pending',
          responded_at: null,
          responded_by: null,
          escalate_due_at: null,
          escalation_level: 2,
          next_escalation_at: null,
          next_escalation_level: null,
          assignee: 'sam',
          commander: null,
        },
      }),
    ]);
    expect(field(incidents, 'ack_status').values).toEqual(['breached']);
    expect(field(incidents, 'escalation_level').values).toEqual([2]);
    expect(field(incidents, 'assignee').values).toEqual(['sam']);
  });

  it('incidents: times as time fields, severities as strings with value mappings, durations in seconds', () => {
    const frame = incidentsFrame('A', [
      anIncidentSummary({ severity: 'sev2', mtta_seconds: 120, resolved_at: '2025-01-15T11:00:00.000Z' }),
    ]);
    expect(frame.refId).toBe('A');
    expect(frame.length).toBe(1);
    expect(field(frame, 'opened_at').type).toBe(FieldType.time);
    expect(field(frame, 'opened_at').values).toEqual([Date.parse(T0)]);
    expect(field(frame, 'resolved_at').values).toEqual([Date.parse('2025-01-15T11:00:00.000Z')]);
    const severity = field(frame, 'severity');
    expect(severity.type).toBe(FieldType.string);
    expect(severity.values).toEqual(['sev2']);
    const display = getDisplayProcessor({ field: severity, theme: createTheme() })('sev2');
    expect(display.text).toBe('SEV2');
    expect(display.color).toBeDefined();
    expect(field(frame, 'mtta').config.unit).toBe('s');
    expect(field(frame, 'mtta').values).toEqual([120]);
    expect(field(frame, 'title').config.links?.[0].url).toBe('/a/opsdeck-ops-app/incidents/${__data.fields.id}');
  });

  it('runbooks, approvals, audit and health keep their types', () => {
    expect(field(runbooksFrame('A', [aRunbookListItem()]), 'last_reviewed_at').type).toBe(FieldType.time);
    expect(field(runbooksFrame('A', [aRunbookListItem()]), 'review_status').config.mappings).toHaveLength(1);
    const approvals = approvalsFrame('B', [anApproval()]);
    expect(field(approvals, 'confidence').values).toEqual([0.8]);
    expect(field(approvals, 'requested_at').type).toBe(FieldType.time);
    expect(field(auditFrame('C', [anAuditRow()]), 'occurred_at').type).toBe(FieldType.time);
    const health = healthFrame('D', [aHealthBlock({ value: null, status: 'unknown' })], T0);
    expect(field(health, 'value').values).toEqual([null]);
    expect(field(health, 'time').values).toEqual([Date.parse(T0)]);
  });

  it('slo status: one burn-rate column per window, shortest first; objective in percent, budget as a fraction', () => {
    const frame = sloFrame('E', [aSloStatus(), aSloStatus({ id: 'b', burn_rates: { '3d': 0.5, '30m': 2 } })]);
    expect(frame.fields.filter((f) => f.name.startsWith('burn_rate_')).map((f) => f.name)).toEqual([
      'burn_rate_5m',
      'burn_rate_30m',
      'burn_rate_1h',
      'burn_rate_6h',
      'burn_rate_3d',
    ]);
    expect(field(frame, 'burn_rate_5m').values).toEqual([14.4, null]);
    expect(field(frame, 'objective').values).toEqual([99.9, 99.9]);
    expect(field(frame, 'objective').config.unit).toBe('percent');
    expect(field(frame, 'error_budget_remaining').config.unit).toBe('percentunit');
  });

  // The recorded contract answers fire no policy alert and know no obligation; pkg/plugin
  // TestSloFramePolicyFields checks the Go frame against these same values.
  it('slo status: policy alerts joined by ", ", owner and obligation after runbook_id, empty when unknown', () => {
    const frame = sloFrame('F', [
      aSloStatus({ policy_alerts: ['fast_burn', 'depleted'], obligation: 'Freeze risky changes.' }),
      aSloStatus({ id: 'b', owner: null, policy_alerts: [], obligation: null }),
    ]);
    expect(frame.fields.slice(-4).map((f) => f.name)).toEqual(['runbook_id', 'policy_alerts', 'owner', 'obligation']);
    expect(field(frame, 'policy_alerts').values).toEqual(['fast_burn, depleted', '']);
    expect(field(frame, 'owner').values).toEqual(['core-api', '']);
    expect(field(frame, 'obligation').values).toEqual(['Freeze risky changes.', '']);
  });

  it('builds empty frames with all fields when nothing matches', () => {
    const frame = incidentsFrame('A', []);
    expect(frame.length).toBe(0);
    expect(frame.fields.length).toBeGreaterThan(5);
  });
});
