import React, { useState } from 'react';
import { Alert, Button, Field, Stack, Text, TextArea } from '@grafana/ui';

import type { Approval } from '../../../contract/approvals';
import { toOpsApiError, type OpsApiError } from '../../api/errors';
import { Panel } from '../../components/Panel';
import { ErrorState } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { testIds } from '../../testIds';
import { decisionState } from '../../utils/forms';

/** Approve or reject, always with a comment; disabled with the reason when the user may not decide. */
export function DecisionForm({ approval, onDecided }: { approval: Approval; onDecided: () => Promise<void> }) {
  const { api, granted } = useOps();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [error, setError] = useState<OpsApiError | null>(null);
  const state = decisionState(approval, granted, comment);
  const blocked = state.kind === 'blocked';

  const decide = async (decision: 'approve' | 'reject') => {
    if (state.kind !== 'ready') {
      return;
    }
    setBusy(decision);
    setError(null);
    try {
      await api.decide(approval.id, { decision, comment: comment.trim() });
      setComment('');
      await onDecided();
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(null);
    }
  };

  if (approval.status !== 'pending') {
    // Decided: the form would only be noise; the decisions and execution panels say what happened.
    return (
      <Panel title="Decision">
        <Text color="secondary" data-testid={testIds.approval.blockedReason}>
          This request is {approval.status}; no further decision is possible.
        </Text>
      </Panel>
    );
  }
  return (
    <Panel title="Decision">
      <Stack direction="column" gap={1.5}>
        {blocked && (
          <Alert
            severity="info"
            title="You cannot decide this request"
            bottomSpacing={0}
            data-testid={testIds.approval.blockedReason}
          >
            {state.reason}
          </Alert>
        )}
        <Field
          label="Comment"
          description="Required. What you checked and why you decide this way; it goes on the incident timeline and the audit log."
          invalid={state.kind === 'needs_comment' && comment.length > 0}
          noMargin
        >
          <TextArea
            id="approval-comment"
            rows={4}
            value={comment}
            disabled={blocked}
            onChange={(event) => setComment(event.currentTarget.value)}
            data-testid={testIds.approval.comment}
            placeholder={
              blocked
                ? ''
                : 'e.g. Checked the DLQ query: backlog is from one poisoned message; rollback is a single replay.'
            }
          />
        </Field>
        <DecisionButtons
          busy={busy}
          blockedReason={state.kind === 'ready' ? undefined : state.reason}
          onDecide={decide}
        />
        {error && <ErrorState title="The decision was not recorded" error={error} />}
      </Stack>
    </Panel>
  );
}

const DECISIONS = [
  { decision: 'approve', label: 'Approve', variant: 'primary', icon: 'check', testId: testIds.approval.approve },
  { decision: 'reject', label: 'Reject', variant: 'destructive', icon: 'times', testId: testIds.approval.reject },
] as const;

/** Approve and Reject: both disabled, with the reason as tooltip, until the decision may be sent. */
function DecisionButtons({
  busy,
  blockedReason,
  onDecide,
}: {
  busy: 'approve' | 'reject' | null;
  blockedReason: string | undefined;
  onDecide: (decision: 'approve' | 'reject') => void;
}) {
  return (
    <Stack direction="row" gap={1}>
      {DECISIONS.map(({ decision, label, variant, icon, testId }) => (
        <Button
          key={decision}
          variant={variant}
          icon={busy === decision ? 'spinner' : icon}
          disabled={blockedReason !== undefined || busy !== null}
          tooltip={blockedReason}
          onClick={() => onDecide(decision)}
          data-testid={testId}
        >
          {label}
        </Button>
      ))}
    </Stack>
  );
}
