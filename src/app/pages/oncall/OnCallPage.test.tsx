import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { aMe, anIncidentDetail } from '../../../../tests/fixtures/builders';
import type { HandoffSummary, IncidentResponse, TeamScheduleList } from '../../../contract/oncall';
import { fakeApi, resetFakes, setOrgRole } from '../../test/fakeRuntime';
import { isDisabled, renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const schedules: TeamScheduleList = {
  at: '2026-11-24T13:00:00.000Z',
  days: 7,
  teams: [
    {
      team: 'core-api',
      name: 'Core API',
      timezone: 'Europe/London',
      handoff: 'mon 09:00 Europe/London',
      now: {
        team: 'core-api',
        primary: {
          user: 'api-b',
          name: 'API B',
          from: '2026-11-23T09:00:00.000Z',
          until: '2026-11-30T09:00:00.000Z',
          source: 'rotation:weekly',
        },
        secondary: null,
      },
      timeline: [
        {
          role: 'primary',
          user: 'api-b',
          name: 'API B',
          from: '2026-11-24T13:00:00.000Z',
          until: '2026-11-30T09:00:00.000Z',
          source: 'rotation:weekly',
        },
        {
          role: 'primary',
          user: 'api-a',
          name: 'API A',
          from: '2026-11-30T09:00:00.000Z',
          until: '2026-12-01T13:00:00.000Z',
          source: 'rotation:weekly',
        },
        {
          role: 'secondary',
          user: null,
          name: null,
          from: '2026-11-24T13:00:00.000Z',
          until: '2026-12-01T13:00:00.000Z',
          source: null,
        },
      ],
      escalation: [
        {
          level: 1,
          notify: ['primary'],
          resolved: ['api-b'],
          channels: [{ id: 'pagerduty', type: 'pagerduty', configured: true }],
          wait_seconds: 300,
        },
        {
          level: 2,
          notify: ['user:lead'],
          resolved: ['lead'],
          channels: [{ id: 'slack', type: 'slack', configured: false }],
          wait_seconds: 600,
        },
      ],
    },
  ],
};

const handoff: HandoffSummary = {
  team: 'core-api',
  shift: { from: '2026-11-23T09:00:00.000Z', until: '2026-11-30T09:00:00.000Z', primary: 'API B' },
  generated_at: '2026-11-24T13:00:00.000Z',
  sections: {
    active_incidents: [{ incident_id: 'inc-1', title: '[sev1] Checkout 5xx', detail: 'mitigating, assignee ana' }],
    ongoing_investigations: [],
    upcoming_changes: [],
    known_issues: [],
  },
  text: '## Handoff — core-api\n### Active incidents (1)\n- [sev1] Checkout 5xx: mitigating, assignee ana',
  posted: null,
};

beforeEach(() => {
  resetFakes();
  setOrgRole('Editor');
  fakeApi.on('GET /api/v1/me', aMe({ global_role: 'operator' }));
  fakeApi.on('GET /api/v1/oncall/handoff/:team', handoff);
});

describe('on-call page', () => {
  it('shows who is on call, the week as a timeline with gaps, and the chain', async () => {
    fakeApi.on('GET /api/v1/oncall/schedules', schedules);
    renderApp('oncall');
    const team = await screen.findByTestId(testIds.oncall.team, {}, SLOW);
    expect(within(team).getByTestId(testIds.oncall.now)).toHaveTextContent('Primary: API B until');
    expect(within(team).getByTestId(testIds.oncall.now)).toHaveTextContent('Secondary: nobody (gap)');
    const segments = within(team).getAllByTestId(testIds.oncall.segment);
    expect(segments.map((segment) => segment.getAttribute('data-user'))).toEqual(['api-b', 'api-a', '']);
    expect(segments[0]).toHaveAttribute('data-now', 'true');
    const chain = within(team).getByTestId(testIds.oncall.chain);
    expect(chain).toHaveTextContent('slack (not configured)');
    expect(chain).toHaveTextContent('10 min');
    expect(fakeApi.callsTo('GET', '/api/v1/oncall/schedules')[0].params).toEqual({ days: 7 });
  });
});

describe('shift handoff on the on-call page', () => {
  it('shows the generated summary, lets it be edited and posts it for the shift', async () => {
    fakeApi.on('GET /api/v1/oncall/schedules', schedules);
    fakeApi.on('POST /api/v1/oncall/handoff/:team', {});
    renderApp('oncall');
    const panel = await screen.findByTestId(testIds.oncall.handoff, {}, SLOW);
    const text = within(panel).getByTestId(testIds.oncall.handoffText);
    expect(text).toHaveValue(handoff.text);
    await userEvent.type(text, ' — watch the 10:30 deploy');
    await userEvent.click(within(panel).getByTestId(testIds.oncall.handoffPost));
    expect(fakeApi.callsTo('POST', '/api/v1/oncall/handoff/core-api')[0].body).toEqual({
      text: `${handoff.text} — watch the 10:30 deploy`,
      shift_from: handoff.shift.from,
    });
  });

  it('shows a posted handoff and disables posting for viewers', async () => {
    setOrgRole('Viewer');
    fakeApi.on('GET /api/v1/me', aMe({ global_role: 'viewer' }));
    fakeApi.on('GET /api/v1/oncall/schedules', schedules);
    const posted = {
      id: 'h1',
      team: 'core-api',
      shift_from: handoff.shift.from,
      shift_until: handoff.shift.until,
      text: 'All quiet.',
      posted_by: 'api-b',
      posted_at: '2026-11-24T12:00:00.000Z',
      incident_ids: ['inc-1'],
    };
    fakeApi.on('GET /api/v1/oncall/handoff/:team', { ...handoff, posted });
    renderApp('oncall');
    const panel = await screen.findByTestId(testIds.oncall.handoff, {}, SLOW);
    expect(within(panel).getByTestId(testIds.oncall.handoffPosted)).toHaveTextContent('by api-b');
    expect(within(panel).getByTestId(testIds.oncall.handoffText)).toHaveValue('All quiet.');
    expect(isDisabled(within(panel).getByTestId(testIds.oncall.handoffPost))).toBe(true);
  });
});

const pending: IncidentResponse = {
  ack_due_at: new Date(Date.now() + 3.5 * 60_000).toISOString(),
  ack_status: 'pending',
  acknowledged_at: null,
  acknowledged_by: null,
  response_due_at: new Date(Date.now() + 13 * 60_000).toISOString(),
  response_status: 'pending',
  responded_at: null,
  responded_by: null,
  escalate_due_at: null,
  escalation_level: 1,
  next_escalation_at: new Date(Date.now() + 3.5 * 60_000).toISOString(),
  next_escalation_level: 2,
  assignee: null,
  commander: null,
};

describe('response controls on the incident page', () => {
  it('shows the clocks and acknowledges', async () => {
    const incident = anIncidentDetail({ response: pending });
    fakeApi.on('GET /api/v1/incidents/:id', incident);
    fakeApi.on('POST /api/v1/incidents/:id/acknowledge', { ...incident, response: { ...pending, ack_status: 'met' } });
    renderApp(`incidents/${incident.id}`);
    const panel = await screen.findByTestId(testIds.response.panel, {}, SLOW);
    expect(within(panel).getByTestId(testIds.response.clock('ack'))).toHaveTextContent('ack due in 3m');
    expect(within(panel).getByTestId(testIds.response.clock('escalation'))).toHaveTextContent(
      'escalates to level 2 in 3m'
    );
    await userEvent.click(within(panel).getByTestId(testIds.response.acknowledge));
    expect(fakeApi.callsTo('POST', `/api/v1/incidents/${incident.id}/acknowledge`)).toHaveLength(1);
  });

  it('disables Acknowledge and Take it for viewers', async () => {
    setOrgRole('Viewer');
    fakeApi.on('GET /api/v1/me', aMe({ global_role: 'viewer' }));
    fakeApi.on('GET /api/v1/incidents/:id', anIncidentDetail({ response: pending }));
    renderApp(`incidents/${anIncidentDetail().id}`);
    const panel = await screen.findByTestId(testIds.response.panel, {}, SLOW);
    expect(isDisabled(within(panel).getByTestId(testIds.response.acknowledge))).toBe(true);
    expect(isDisabled(within(panel).getByTestId(testIds.response.takeIt))).toBe(true);
  });
});
