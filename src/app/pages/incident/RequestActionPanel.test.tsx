import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { aMe, anApproval, anIncidentDetail, aRunbookDetail } from '../../../../tests/fixtures/builders';
import type { ActionDefinition, ApprovalRequestBody } from '../../../contract/approvals';
import type { RecommendationList } from '../../../contract/recommendations';
import { fakeApi, resetFakes, setOrgRole } from '../../test/fakeRuntime';
import { renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

const ID = '01JH0000000000000000000001';
const ACTIONS: ActionDefinition[] = [
  {
    id: 'relay.restart',
    title: 'Restart the relay',
    description: 'Rolling restart',
    risk_class: 'R1',
    runbook_id: 'ops.outbox.relay',
    parameters: { type: 'object', properties: { reset_lease: { type: 'boolean', default: false } } },
    executor: { type: 'dry_run' },
    rollback_action_id: null,
  },
  {
    id: 'relay.scale',
    title: 'Scale the relay',
    description: 'More replicas',
    risk_class: 'R2',
    runbook_id: 'ops.outbox.relay',
    parameters: {
      type: 'object',
      properties: { replicas: { type: 'integer' }, service: { type: 'string' } },
      required: ['replicas', 'service'],
    },
    executor: { type: 'dry_run' },
    rollback_action_id: 'relay.restart',
  },
];
const counts = { runs: 0, succeeded: 0, failed: 0, helped: 0, did_not_help: 0, made_worse: 0 };
const RECOMMENDATIONS: RecommendationList = {
  incident_id: ID,
  top_action_id: 'relay.restart',
  no_history: true,
  items: [
    {
      rank: 1,
      action_id: 'relay.restart',
      title: 'Restart the relay',
      description: 'Rolling restart',
      risk_class: 'R1',
      runbook_id: 'ops.outbox.relay',
      source: 'runbook',
      parameters: { reset_lease: false },
      missing_parameters: [],
      confidence: null,
      basis: 'none',
      history: counts,
      explanation: 'no history: this action has not run on a similar incident in this project',
      rollback_action_id: null,
    },
    {
      rank: 2,
      action_id: 'relay.scale',
      title: 'Scale the relay',
      description: 'More replicas',
      risk_class: 'R2',
      runbook_id: 'ops.outbox.relay',
      source: 'runbook',
      parameters: { service: 'outbox-relay' },
      missing_parameters: ['replicas'],
      confidence: null,
      basis: 'none',
      history: counts,
      explanation: 'no history: this action has not run on a similar incident in this project',
      rollback_action_id: 'relay.restart',
    },
  ],
};

beforeEach(() => {
  resetFakes();
  setOrgRole('Editor');
  fakeApi.on('GET /api/v1/me', aMe({ global_role: 'operator' }));
  fakeApi.on('GET /api/v1/admin/runbooks/:id', aRunbookDetail());
  fakeApi.on('GET /api/v1/approvals', { items: [], next_cursor: null });
  fakeApi.on('GET /api/v1/incidents/:id/updates', { items: [], templates: [] });
  fakeApi.on('GET /api/v1/incidents/:id', anIncidentDetail({ id: ID, status: 'triaging' }));
  fakeApi.on('GET /api/v1/incidents/:id/recommendations', RECOMMENDATIONS);
  fakeApi.on('GET /api/v1/actions', { items: ACTIONS });
});

describe('request action panel', () => {
  it('requests a non-top R2 action with its schema form, the evidence bundle and the override reason', async () => {
    fakeApi.on('POST /api/v1/approvals', (call) =>
      anApproval({
        id: 'ap-9',
        action_id: (call.body as ApprovalRequestBody).action_id,
        action_title: 'Scale the relay',
        status: 'pending',
        requires_approval: true,
      })
    );
    fakeApi.on('POST /api/v1/incidents/:id/recommendations/overrides', (call) => ({
      id: 'o1',
      incident_id: ID,
      top_action_id: 'relay.restart',
      chosen_action_id: 'relay.scale',
      kind: 'chose_other',
      reason: (call.body as { reason: string }).reason,
      approval_id: 'ap-9',
      recorded_by: 'alice',
      recorded_at: '2026-11-23T10:10:00.000Z',
    }));
    renderApp(`incidents/${ID}`);
    const panel = await screen.findByTestId(testIds.requestAction.panel, {}, SLOW);
    expect(within(panel).getByText(/No history on similar incidents/)).toBeInTheDocument();
    expect(within(panel).getByTestId(testIds.requestAction.submit)).toHaveTextContent('Run now');

    await userEvent.click(within(panel).getByLabelText(/#2 Scale the relay \(R2\)/));
    expect((within(panel).getByLabelText('service') as HTMLInputElement).value).toBe('outbox-relay');
    await userEvent.type(within(panel).getByLabelText('replicas'), '6');
    await userEvent.type(within(panel).getByTestId(testIds.requestAction.confidence), '0.6');
    const submit = within(panel).getByTestId(testIds.requestAction.submit);
    expect(submit).toHaveTextContent('Request approval');
    expect(submit).toBeDisabled();
    await userEvent.type(within(panel).getByTestId(testIds.requestAction.overrideReason), 'restart did not hold');
    await userEvent.click(submit);

    await waitFor(() => expect(fakeApi.callsTo('POST', '/api/v1/approvals')).toHaveLength(1));
    const body = fakeApi.callsTo('POST', '/api/v1/approvals')[0].body as ApprovalRequestBody;
    expect(body).toMatchObject({
      incident_id: ID,
      action_id: 'relay.scale',
      parameters: { service: 'outbox-relay', replicas: 6 },
      evidence: { confidence: 0.6, risk_level: 'medium' },
    });
    expect(body.evidence?.rollback_strategy).toContain('relay.restart');
    await waitFor(() =>
      expect(fakeApi.callsTo('POST', `/api/v1/incidents/${ID}/recommendations/overrides`)[0]?.body).toEqual({
        kind: 'chose_other',
        chosen_action_id: 'relay.scale',
        approval_id: 'ap-9',
        reason: 'restart did not hold',
      })
    );
    expect(await within(panel).findByTestId(testIds.requestAction.result)).toHaveTextContent(
      'Scale the relay: pending — waits for another person to approve'
    );
  });
});

describe('rejecting the top recommendation', () => {
  it('needs a reason and records it as a rejected override, without requesting anything', async () => {
    fakeApi.on('POST /api/v1/incidents/:id/recommendations/overrides', (call) => ({
      id: 'o2',
      incident_id: ID,
      top_action_id: 'relay.restart',
      chosen_action_id: null,
      kind: 'rejected',
      reason: (call.body as { reason: string }).reason,
      approval_id: null,
      recorded_by: 'alice',
      recorded_at: '2026-11-23T10:10:00.000Z',
    }));
    renderApp(`incidents/${ID}`);
    const panel = await screen.findByTestId(testIds.requestAction.panel, {}, SLOW);
    const reject = within(panel).getByTestId(testIds.requestAction.reject);
    expect(reject).toHaveTextContent('Reject #1 Restart the relay');
    expect(reject).toBeDisabled();
    await userEvent.type(
      within(panel).getByTestId(testIds.requestAction.rejectReason),
      'a restart loses the lease again'
    );
    await userEvent.click(reject);
    await waitFor(() =>
      expect(fakeApi.callsTo('POST', `/api/v1/incidents/${ID}/recommendations/overrides`)[0]?.body).toEqual({
        kind: 'rejected',
        reason: 'a restart loses the lease again',
      })
    );
    expect(await within(panel).findByTestId(testIds.requestAction.rejected)).toHaveTextContent(
      'Rejected Restart the relay: a restart loses the lease again'
    );
    expect(fakeApi.callsTo('POST', '/api/v1/approvals')).toHaveLength(0);
  });
});

describe('feedback after the run', () => {
  it('asks whether an executed action helped and records the answer', async () => {
    let feedback: { outcome: string } | null = null;
    fakeApi.on('GET /api/v1/approvals', () => ({
      items: [
        anApproval({
          id: 'ap-1',
          status: 'succeeded',
          feedback: feedback ? { outcome: 'helped', comment: null, by: 'alice', at: '2026-11-23T10:30:00.000Z' } : null,
        }),
      ],
      next_cursor: null,
    }));
    fakeApi.on('POST /api/v1/approvals/:id/feedback', (call) => {
      feedback = call.body as { outcome: string };
      return anApproval({ id: 'ap-1', status: 'succeeded' });
    });
    renderApp(`incidents/${ID}`);
    const helped = await screen.findByTestId(testIds.requestAction.feedback('helped'), {}, SLOW);
    await userEvent.click(helped);
    expect(fakeApi.callsTo('POST', '/api/v1/approvals/ap-1/feedback')[0].body).toEqual({ outcome: 'helped' });
    expect(await screen.findByTestId(testIds.requestAction.feedbackGiven)).toHaveTextContent(
      'Feedback: helped (alice)'
    );
  });
});
