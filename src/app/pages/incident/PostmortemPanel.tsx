import React, { useState } from 'react';
import { Badge, Button, Field, Stack, Text, TextArea } from '@grafana/ui';

import { toOpsApiError, type OpsApiError } from '../../api/errors';
import type { Postmortem } from '../../../contract/communication';
import type { IncidentDetail } from '../../../contract/incidents';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';

interface PanelProps {
  incident: IncidentDetail;
  blocker: string | null;
  onDone: () => Promise<void>;
}

/**
 * The postmortem of a resolved incident: create the generated draft, edit its markdown, publish
 * (which flags the runbooks used for review and lets a sev1/sev2 close). Action items are listed
 * here and ticked off on the action-items page.
 */
export function PostmortemPanel({ incident, blocker, onDone }: PanelProps) {
  const { api, projectId } = useOps();
  const finished = incident.status === 'resolved' || incident.status === 'closed';
  const postmortem = useAsync(
    // 404: none yet (the panel offers to create it); any other failure is shown as one.
    () => (finished ? api.postmortem(incident.id).catch(noneWhenMissing) : Promise.resolve(null)),
    `postmortem:${projectId}:${incident.id}:${incident.status}`
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OpsApiError | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      await Promise.all([postmortem.reload(), onDone()]);
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(false);
    }
  };
  if (!finished) {
    return null;
  }
  const current = postmortem.data ?? null;
  return (
    <Panel title="Postmortem" testId={testIds.postmortem.panel}>
      <Stack direction="column" gap={1}>
        {postmortem.error && !postmortem.data ? (
          <ErrorState title="Could not load the postmortem" error={postmortem.error} onRetry={postmortem.reload} />
        ) : !current ? (
          <CreateDraft
            incident={incident}
            disabled={Boolean(blocker) || busy}
            onCreate={() => run(() => api.createPostmortem(incident.id, {}))}
          />
        ) : (
          <PostmortemEditor
            key={current.updated_at}
            postmortem={current}
            blocker={blocker}
            busy={busy}
            onSave={(body) => run(() => api.editPostmortem(incident.id, body))}
          />
        )}
        {error && <ErrorState title="The postmortem was not saved" error={error} />}
      </Stack>
    </Panel>
  );
}

function noneWhenMissing(thrown: unknown): null {
  const error = toOpsApiError(thrown);
  if (error.status === 404) {
    return null;
  }
  throw error;
}

function CreateDraft({
  incident,
  disabled,
  onCreate,
}: {
  incident: IncidentDetail;
  disabled: boolean;
  onCreate: () => void;
}) {
  return (
    <>
      <EmptyNote>
        No postmortem yet.{' '}
        {incident.severity === 'sev1' || incident.severity === 'sev2'
          ? `A ${incident.severity} closes only with one.`
          : 'Optional for this severity.'}
      </EmptyNote>
      <div>
        <Button
          size="sm"
          icon="file-alt"
          disabled={disabled}
          data-testid={testIds.postmortem.create}
          onClick={onCreate}
        >
          Create draft from the incident
        </Button>
      </div>
    </>
  );
}

/** The stored markdown, edited locally until saved or published; the action items as tracked. */
function PostmortemEditor({
  postmortem,
  blocker,
  busy,
  onSave,
}: {
  postmortem: Postmortem;
  blocker: string | null;
  busy: boolean;
  onSave: (body: { markdown: string; status?: 'published' }) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const markdown = draft ?? postmortem.markdown;
  const disabled = Boolean(blocker) || busy;
  return (
    <>
      <Stack gap={1} alignItems="center">
        <Badge color={postmortem.status === 'published' ? 'green' : 'orange'} text={postmortem.status} />
        {postmortem.due_at && <Text variant="bodySmall">due {formatDateTime(postmortem.due_at)}</Text>}
        {postmortem.runbooks_flagged.length > 0 && (
          <Text variant="bodySmall" color="secondary">
            runbooks flagged for review: {postmortem.runbooks_flagged.join(', ')}
          </Text>
        )}
      </Stack>
      <Field label="Markdown" description={blocker ?? 'Edit, save, then publish.'} noMargin>
        <TextArea
          aria-label="Postmortem markdown"
          rows={14}
          value={markdown}
          disabled={Boolean(blocker)}
          onChange={(event) => setDraft(event.currentTarget.value)}
          data-testid={testIds.postmortem.editor}
        />
      </Field>
      <ul aria-label="Action items">
        {postmortem.action_items.map((item) => (
          <li key={item.id} data-testid={testIds.postmortem.item} data-state={item.state}>
            {item.title} — {item.owner}, due {item.due_at.slice(0, 10)} ({item.state})
          </li>
        ))}
      </ul>
      <Stack gap={1}>
        <Button
          size="sm"
          variant="secondary"
          disabled={disabled || draft === null}
          data-testid={testIds.postmortem.save}
          onClick={() => onSave({ markdown })}
        >
          Save
        </Button>
        {postmortem.status === 'draft' && (
          <Button
            size="sm"
            disabled={disabled}
            data-testid={testIds.postmortem.publish}
            onClick={() => onSave({ markdown, status: 'published' })}
          >
            Publish
          </Button>
        )}
      </Stack>
    </>
  );
}
