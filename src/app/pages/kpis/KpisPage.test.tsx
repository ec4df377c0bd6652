import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { aMe } from '../../../../tests/fixtures/builders';
import type { Kpis } from '../../../contract/kpis';
import { fakeApi, resetFakes } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const stat = (median: number | null, count: number) => ({ count, median_seconds: median, p90_seconds: median });
const ratio = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  value: denominator ? numerator / denominator : null,
});
const SEV = { sev1: 300, sev2: 900, sev3: 3600, sev4: 14400 };

function someKpis(overrides: Partial<Kpis> = {}): Kpis {
  return {
    window: '30d',
    from: '2026-10-31T12:00:00.000Z',
    to: '2026-11-30T12:00:00.000Z',
    team: null,
    incidents: 12,
    mtta: (['sev1', 'sev2', 'sev3', 'sev4'] as const).map((severity) => ({ severity, stat: stat(120, 3) })),
    mttr: (['sev1', 'sev2', 'sev3', 'sev4'] as const).map((severity) => ({
      severity,
      assisted: stat(3600, 1),
      manual: stat(18000, 2),
    })),
    mttr_all: { assisted: stat(3600, 4), manual: stat(18000, 8) },
    ack_sla: { ...ratio(9, 10), target_seconds: SEV },
    response_sla: { ...ratio(5, 10), target_seconds: SEV },
    change_failure_rate: ratio(1, 4),
    automation_coverage: ratio(2, 4),
    override_rate: ratio(1, 5),
    false_classification_rate: { ...ratio(3, 10), note: 'incidents whose severity or signal a person corrected' },
    escalations: { value: null, note: 'not measurable yet: on-call' },
    alert_noise: [{ alertname: 'DiskAlmostFull', untouched_incidents: 3 }],
    targets: [
      {
        kpi: 'mttr_manual',
        description: 'Median MTTR without an executed action',
        value: 18000,
        target: 14400,
        comparison: '<=',
        met: false,
      },
      {
        kpi: 'mttr_assisted',
        description: 'Median MTTR with an executed action',
        value: 3600,
        target: 7200,
        comparison: '<=',
        met: true,
      },
      {
        kpi: 'false_classification_rate',
        description: 'Corrected',
        value: 0.3,
        target: 0.15,
        comparison: '<=',
        met: false,
      },
      { kpi: 'override_rate', description: 'Overrides', value: 0.2, target: 0.4, comparison: '<=', met: true },
    ],
    ...overrides,
  };
}

beforeEach(() => {
  resetFakes();
  fakeApi.on('GET /api/v1/me', aMe());
});

describe('KPI page', () => {
  it('shows each target with met or missed, the figures and the noisy rules, and keeps the window in the URL', async () => {
    fakeApi.on('GET /api/v1/kpis', (call) => someKpis({ window: (call.params.window as Kpis['window']) ?? '30d' }));
    renderApp('kpis');
    await screen.findByTestId(testIds.kpis.page, {}, SLOW);
    const rows = await screen.findAllByTestId(testIds.kpis.target, {}, SLOW);
    expect(rows.map((row) => [row.getAttribute('data-kpi'), row.getAttribute('data-met')])).toEqual([
      ['mttr_manual', 'false'],
      ['mttr_assisted', 'true'],
      ['false_classification_rate', 'false'],
      ['override_rate', 'true'],
    ]);
    expect(rows[0]).toHaveTextContent('missed');
    expect(rows[3]).toHaveTextContent('20.0 %');
    expect(rows[2]).toHaveTextContent('30.0 %');
    expect(
      screen.getAllByTestId(testIds.kpis.figure).find((f) => f.textContent?.startsWith('False classification'))
    ).toHaveTextContent('30.0 %');
    expect(screen.getByText('DiskAlmostFull: 3 untouched incidents')).toBeInTheDocument();
    expect(fakeApi.callsTo('GET', '/api/v1/kpis')[0].params).toMatchObject({ window: '30d' });
    await userEvent.click(screen.getByLabelText('90d'));
    await waitFor(() => expect(fakeApi.callsTo('GET', '/api/v1/kpis').at(-1)!.params).toMatchObject({ window: '90d' }));
  });
});
