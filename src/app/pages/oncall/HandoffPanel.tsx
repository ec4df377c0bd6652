import React, { useState } from 'react';
import { Alert, Button, Field, Stack, Text, TextArea } from '@grafana/ui';

import type { HandoffSummary } from '../../../contract/oncall';
import { toOpsApiError, type OpsApiError } from '../../api/errors';
import { ErrorState, LoadingState } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { incidentWriteBlocker } from '../../utils/access';
import { formatDateTime } from '../../utils/format';

/**
 * The handoff of the team's running shift: the generated summary as an editable draft (or the text
 * posted for this shift), posted to the timeline of every active incident it lists.
 */
export function HandoffPanel({ team }: { team: string }) {
  const { api } = useOps();
  const summary = useAsync(() => api.handoff(team), `oncall-handoff-${team}`);
  if (summary.loading && !summary.data) {
    return <LoadingState text="Preparing the handoff…" />;
  }
  if (summary.error) {
    return <ErrorState title="Could not prepare the handoff" error={summary.error} onRetry={summary.reload} />;
  }
  if (!summary.data) {
    return null;
  }
  // Keyed by what was posted: a new post (or a new shift) starts the editor from the new text.
  const key = `${summary.data.shift.from}:${summary.data.posted?.id ?? 'draft'}`;
  return <HandoffEditor key={key} summary={summary.data} reload={summary.reload} />;
}

function HandoffEditor({ summary, reload }: { summary: HandoffSummary; reload: () => Promise<void> }) {
  const { api, role, granted } = useOps();
  const blocker = incidentWriteBlocker(granted, role);
  const [text, setText] = useState(summary.posted?.text ?? summary.text);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OpsApiError | null>(null);
  const active = summary.sections.active_incidents.length;

  const postIt = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.postHandoff(summary.team, { text, shift_from: summary.shift.from });
      await reload();
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid={testIds.oncall.handoff}>
      <Stack direction="column" gap={1}>
        <Text element="h3" variant="h5">
          Handoff for this shift ({formatDateTime(summary.shift.from)} → {formatDateTime(summary.shift.until)})
        </Text>
        {summary.posted && (
          <Alert severity="success" title="Handoff posted" data-testid={testIds.oncall.handoffPosted}>
            by {summary.posted.posted_by} at {formatDateTime(summary.posted.posted_at)} to{' '}
            {summary.posted.incident_ids.length} active incident(s)
          </Alert>
        )}
        <Field
          label="Summary"
          description={
            blocker ??
            `Generated from the store; edit it, then post it to the timeline of the ${active} active incident(s).`
          }
          noMargin
        >
          <TextArea
            rows={12}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            data-testid={testIds.oncall.handoffText}
          />
        </Field>
        <Stack direction="row" gap={1}>
          <Button
            size="sm"
            icon="share-alt"
            disabled={Boolean(blocker) || busy || !text.trim()}
            tooltip={blocker ?? undefined}
            onClick={postIt}
            data-testid={testIds.oncall.handoffPost}
          >
            {busy ? 'Posting…' : 'Post handoff'}
          </Button>
          <Button
            size="sm"
            variant="secondary"
            icon="sync"
            onClick={() => setText(summary.text)}
            data-testid={testIds.oncall.handoffRegenerate}
          >
            Use the generated summary
          </Button>
        </Stack>
        {error && <ErrorState title="The handoff was not posted" error={error} />}
      </Stack>
    </div>
  );
}
