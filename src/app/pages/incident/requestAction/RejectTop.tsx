import React, { useState } from 'react';
import { Button, Field, Stack, Text, TextArea } from '@grafana/ui';

import { toOpsApiError, type OpsApiError } from '../../../api/errors';
import type { Recommendation, RecommendationOverride } from '../../../../contract/recommendations';
import { ErrorState } from '../../../components/states';
import { useOps } from '../../../context/OpsContext';
import { testIds } from '../../../testIds';

/**
 * Refuse the top recommendation without requesting anything else (yet): the reason is recorded as a
 * `rejected` override, which the override-rate KPI counts and later readers of the timeline see.
 */
export function RejectTop({
  incidentId,
  top,
  blocker,
}: {
  incidentId: string;
  top: Recommendation;
  blocker: string | null;
}) {
  const { api } = useOps();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OpsApiError | null>(null);
  const [done, setDone] = useState<RecommendationOverride | null>(null);

  if (done) {
    return <Text data-testid={testIds.requestAction.rejected}>{`Rejected ${top.title}: ${done.reason}`}</Text>;
  }
  const reject = async () => {
    setBusy(true);
    setError(null);
    try {
      setDone(await api.recordOverride(incidentId, { kind: 'rejected', reason: reason.trim() }));
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack direction="column" gap={1}>
      <Field label="Reject the top recommendation (reason recorded as an override)" noMargin>
        <TextArea
          aria-label="Rejection reason"
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-testid={testIds.requestAction.rejectReason}
        />
      </Field>
      <div>
        <Button
          size="sm"
          variant="destructive"
          fill="outline"
          icon="times"
          disabled={Boolean(blocker) || busy || !reason.trim()}
          data-testid={testIds.requestAction.reject}
          onClick={reject}
        >
          {`Reject #${top.rank} ${top.title}`}
        </Button>
      </div>
      {error && <ErrorState title="The rejection was not recorded" error={error} />}
    </Stack>
  );
}
