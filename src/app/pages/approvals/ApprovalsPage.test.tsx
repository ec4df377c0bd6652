import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { aMe, anApproval, minutesAfter } from '../../../../tests/fixtures/builders';
import type { Approval, DecisionBody } from '../../../contract/approvals';
import { apiError, fakeApi, grantRoles, resetFakes, setOrgRole } from '../../test/fakeRuntime';
import { isDisabled, renderApp, SLOW } from '../../test/render';
import { testIds } from '../../testIds';

jest.mock('@grafana/runtime', () => jest.requireActual('../../test/fakeRuntime').runtimeMock());

beforeEach(() => {
  resetFakes();
  // An Editor (Opsdeck Operator by default) whom a Grafana admin also granted Opsdeck Approver.
  setOrgRole('Editor');
  grantRoles('Approver');
  fakeApi.on('GET /api/v1/me', aMe({ global_role: 'approver' }));
});

describe('approvals list', () => {
  it('puts pending requests first, soonest to expire on top, with whether the user can decide', async () => {
    fakeApi.on('GET /api/v1/approvals', {
      items: [
        anApproval({ id: 'done', status: 'succeeded', requested_at: minutesAfter(1) }),
        anApproval({ id: 'later', expires_at: minutesAfter(90) }),
        anApproval({
          id: 'sooner',
          expires_at: minutesAfter(20),
          can_decide: { allowed: false, reason: 'You requested it' },
        }),
      ],
      next_cursor: null,
    });
    renderApp('approvals');
    const pending = await screen.findByTestId(testIds.approvals.pending, {}, SLOW);
    const rows = within(pending).getAllByTestId(testIds.approvals.row);
    expect(rows.map((row) => row.getAttribute('data-approval-id'))).toEqual(['sooner', 'later']);
    expect(rows[0]).toHaveTextContent('You requested it');
    expect(rows[1]).toHaveTextContent('can decide');
    expect(
      within(screen.getByTestId(testIds.approvals.history))
        .getAllByTestId(testIds.approvals.row)
        .map((row) => row.getAttribute('data-approval-id'))
    ).toEqual(['done']);
  });

  it('names each request’s incident by its title, not its ULID', async () => {
    fakeApi.on('GET /api/v1/approvals', { items: [anApproval()], next_cursor: null });
    renderApp('approvals');
    const [row] = within(await screen.findByTestId(testIds.approvals.pending, {}, SLOW)).getAllByTestId(
      testIds.approvals.row
    );
    expect(within(row).getByRole('link', { name: 'Outbox relay stalled for provisioning' })).toBeInTheDocument();
    expect(row).not.toHaveTextContent('01JH0000000000000000000001');
  });

  it('says so when nothing waits', async () => {
    fakeApi.on('GET /api/v1/approvals', { items: [], next_cursor: null });
    renderApp('approvals');
    expect(await screen.findByText('No request waits for a decision.', {}, SLOW)).toBeInTheDocument();
  });
});

describe('approval page', () => {
  function serve(initial: Approval) {
    let current = initial;
    fakeApi.on('GET /api/v1/approvals/:id', () => current);
    fakeApi.on('POST /api/v1/approvals/:id/decision', (call) => {
      const body = call.body as DecisionBody;
      current = {
        ...current,
        status: body.decision === 'approve' ? 'approved' : 'rejected',
        decisions: [{ by: 'alice', decision: body.decision, comment: body.comment, at: minutesAfter(30) }],
        can_decide: { allowed: false, reason: 'already decided' },
      };
      return current;
    });
  }

  it('lays out the evidence bundle for a decision', async () => {
    serve(anApproval());
    renderApp('approvals/01JH00000000000000000000A1');
    const evidence = await screen.findByTestId(testIds.approval.evidence, {}, SLOW);
    expect(evidence).toHaveTextContent('lost leader lease');
    expect(evidence).toHaveTextContent('80%');
    expect(evidence).toHaveTextContent('medium');
    expect(evidence).toHaveTextContent('Impact radius: 1 resource');
    expect(evidence).toHaveTextContent('core42:aicloud:uae-north:platform:platform:service:outbox-relay');
    expect(evidence).toHaveTextContent('a restart is idempotent');
    expect(evidence).toHaveTextContent('Runs3');
    expect(evidence).toHaveTextContent('Helped2');
    expect(evidence).toHaveTextContent('R2 in production needs one approval');
    // Issue 15: the action ID on one line with a copy button.
    expect(within(evidence).getByRole('button', { name: 'Copy action ID outbox.relay.restart' })).toBeInTheDocument();
  });

  it('opens evidence queries the API filled and names the variable of one it could not fill', async () => {
    serve(
      anApproval({
        saved_query_links: [
          { id: 'filled', title: 'Outbox relay lag', explore_url: '/explore?schemaVersion=1', missing_variables: [] },
          { id: 'unfilled', title: 'Error ratio by service', explore_url: null, missing_variables: ['service'] },
        ],
      })
    );
    renderApp('approvals/01JH00000000000000000000A1');
    expect(await screen.findByRole('link', { name: /Outbox relay lag/ }, SLOW)).toBeInTheDocument();
    const unfilled = screen.getByTestId(testIds.approval.evidenceQueries);
    expect(unfilled).toHaveTextContent('needs $service');
  });

  it('shows no expiry countdown on a decided request', async () => {
    serve(anApproval({ status: 'rejected', expires_at: minutesAfter(65) }));
    renderApp('approvals/01JH00000000000000000000A1');
    const evidence = await screen.findByTestId(testIds.approval.evidence, {}, SLOW);
    expect(evidence).not.toHaveTextContent('Expires');
    expect(evidence).toHaveTextContent('no longer applies: rejected');
  });

  it('shows the error budget the request met and the freeze with its reason', async () => {
    serve(
      anApproval({
        budget_at_request: {
          service: 'provisioning-dispatcher',
          source_mode: 'backend',
          degraded: false,
          slos: [
            {
              id: 'provisioning-dispatcher-requests-success',
              budget_policy_state: 'critical',
              error_budget_remaining: -1.25,
            },
          ],
          freeze: {
            state: 'critical',
            mode: 'refuse',
            slo_ids: ['provisioning-dispatcher-requests-success'],
            outcome: 'break_glass',
            reliability_reason: null,
            break_glass_reason: 'customer launch in 1 hour; capacity is the outage',
            admin_approvals_required: 1,
            explanation:
              'break-glass through the critical freeze of provisioning-dispatcher-requests-success: 2 approvers, 1 of them admin',
          },
          unknown: null,
        },
      })
    );
    renderApp('approvals/01JH00000000000000000000A1');
    const budget = await screen.findByTestId(testIds.approval.budget, {}, SLOW);
    expect(budget).toHaveTextContent('Error budget at request: provisioning-dispatcher');
    expect(budget).toHaveTextContent('Critical · emergency freeze');
    expect(budget).toHaveTextContent('-125% left');
    const freeze = screen.getByTestId(testIds.approval.freeze);
    expect(freeze).toHaveAttribute('data-outcome', 'break_glass');
    expect(freeze).toHaveTextContent('Break-glass reason: customer launch in 1 hour');
    expect(freeze).toHaveTextContent('Needs 1 admin approval.');
  });

  it('shows no budget panel for a request no error budget applies to', async () => {
    serve(anApproval());
    renderApp('approvals/01JH00000000000000000000A1');
    await screen.findByTestId(testIds.approval.evidence, {}, SLOW);
    expect(screen.queryByTestId(testIds.approval.budget)).toBeNull();
  });

  it('needs a comment, then approves with it', async () => {
    serve(anApproval());
    renderApp('approvals/01JH00000000000000000000A1');
    const approve = await screen.findByTestId(testIds.approval.approve, {}, SLOW);
    expect(isDisabled(approve)).toBe(true);
    expect(isDisabled(screen.getByTestId(testIds.approval.reject))).toBe(true);
    await userEvent.type(screen.getByTestId(testIds.approval.comment), '   ');
    expect(isDisabled(screen.getByTestId(testIds.approval.approve))).toBe(true);
    await userEvent.type(screen.getByTestId(testIds.approval.comment), 'Checked the lag query');
    await userEvent.click(screen.getByTestId(testIds.approval.approve));
    await waitFor(() => expect(screen.getByTestId(testIds.approval.status)).toHaveAttribute('data-status', 'approved'));
    expect(fakeApi.callsTo('POST', '/api/v1/approvals/01JH00000000000000000000A1/decision')[0].body).toEqual({
      decision: 'approve',
      comment: 'Checked the lag query',
    });
    expect(screen.getByTestId(testIds.approval.decisions)).toHaveTextContent('Checked the lag query');
    // Decided: the form gives way to a plain statement.
    expect(screen.queryByTestId(testIds.approval.comment)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.approval.blockedReason)).toHaveTextContent('approved');
  });

  it('rejects with a comment', async () => {
    serve(anApproval());
    renderApp('approvals/01JH00000000000000000000A1');
    await userEvent.type(
      await screen.findByTestId(testIds.approval.comment, {}, SLOW),
      'Not until the lease is understood'
    );
    await userEvent.click(screen.getByTestId(testIds.approval.reject));
    await waitFor(() => expect(screen.getByTestId(testIds.approval.status)).toHaveAttribute('data-status', 'rejected'));
  });

  it("disables the controls with the API's reason when the user is the requester", async () => {
    serve(
      anApproval({
        can_decide: {
          allowed: false,
          reason: 'bob requested this R2 action and cannot approve it (separation of duties)',
        },
      })
    );
    renderApp('approvals/01JH00000000000000000000A1');
    expect(await screen.findByTestId(testIds.approval.blockedReason, {}, SLOW)).toHaveTextContent(
      'separation of duties'
    );
    expect(screen.getByTestId(testIds.approval.comment)).toBeDisabled();
    expect(isDisabled(screen.getByTestId(testIds.approval.approve))).toBe(true);
  });

  it('disables the controls for an Editor without the Approver role, naming the permission and the role', async () => {
    setOrgRole('Editor');
    serve(anApproval());
    renderApp('approvals/01JH00000000000000000000A1');
    const reason = await screen.findByTestId(testIds.approval.blockedReason, {}, SLOW);
    expect(reason).toHaveTextContent('opsdeck-ops-app.approvals:decide');
    expect(reason).toHaveTextContent('Opsdeck Approver');
    expect(screen.getByTestId(testIds.approval.comment)).toBeDisabled();
    expect(isDisabled(screen.getByTestId(testIds.approval.approve))).toBe(true);
  });

  it('lets a Viewer granted the Approver role decide, through the decide route', async () => {
    setOrgRole('Viewer');
    grantRoles('Approver');
    serve(anApproval());
    renderApp('approvals/01JH00000000000000000000A1');
    await userEvent.type(await screen.findByTestId(testIds.approval.comment, {}, SLOW), 'Checked the lag query');
    await userEvent.click(screen.getByTestId(testIds.approval.approve));
    await waitFor(() => expect(screen.getByTestId(testIds.approval.status)).toHaveAttribute('data-status', 'approved'));
    const [decision] = fakeApi.callsTo('POST', '/api/v1/approvals/01JH00000000000000000000A1/decision');
    expect(decision.route).toBe('decide');
    expect(fakeApi.callsTo('GET', '/api/v1/approvals/01JH00000000000000000000A1')[0].route).toBe('read');
  });

  it('shows a refused decision with its envelope', async () => {
    serve(anApproval());
    fakeApi.on(
      'POST /api/v1/approvals/:id/decision',
      apiError(409, 'already_decided', 'carol decided first', 'req-race-0001')
    );
    renderApp('approvals/01JH00000000000000000000A1');
    await userEvent.type(await screen.findByTestId(testIds.approval.comment, {}, SLOW), 'go');
    await userEvent.click(screen.getByTestId(testIds.approval.approve));
    const error = await screen.findByTestId(testIds.state.error);
    expect(error).toHaveTextContent('carol decided first');
    expect(error).toHaveTextContent('req-race-0001');
  });
});
