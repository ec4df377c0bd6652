import React, { useState } from 'react';
import { Badge, Button, Field, Stack, Text, TextArea } from '@grafana/ui';

import { toOpsApiError, type OpsApiError } from '../../api/errors';
import type { IncidentDetail } from '../../../contract/incidents';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';

/**
 * The postmortem of a resolved incident: create the generated draft, edit its markdown, publish
 * (which flags the runbooks used for review and lets a sev1/sev2 close). Action items are listed
 * here and ticked off on the action-items page.
 */
export function PostmortemPanel({
  incident,
  blocker,
  onDone,
}: {
  incident: IncidentDetail;
  blocker: string | null;
  onDone: () => Promise<void>;
}) {
  const { api, projectId } = useOps();
  const finished = incident.status === 'resolved' || incident.status === 'closed';
  const postmortem = useAsync(
    () => (finished ? api.postmortem(incident.id).catch(() => null) : Promise.resolve(null)),
    `postmortem:${projectId}:${incident.id}:${incident.status}`
  );
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OpsApiError | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      setDraft(null);
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
  const markdown = draft ?? current?.markdown ?? '';
  return (
    <Panel title="Postmortem" testId={testIds.postmortem.panel}>
      <Stack direction="column" gap={1}>
        {!current ? (
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
                disabled={Boolean(blocker) || busy}
                data-testid={testIds.postmortem.create}
                onClick={() => run(() => api.createPostmortem(incident.id, {}))}
              >
                Create draft from the incident
              </Button>
            </div>
          </>
        ) : (
          <>
            <Stack gap={1} alignItems="center">
              <Badge color={current.status === 'published' ? 'green' : 'orange'} text={current.status} />
              {current.due_at && <Text variant="bodySmall">due {formatDateTime(current.due_at)}</Text>}
              {current.runbooks_flagged.length > 0 && (
                <Text variant="bodySmall" color="secondary">
                  runbooks flagged for review: {current.runbooks_flagged.join(', ')}
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
              {current.action_items.map((item) => (
                <li key={item.id} data-testid={testIds.postmortem.item} data-state={item.state}>
                  {item.title} — {item.owner}, due {item.due_at.slice(0, 10)} ({item.state})
                </li>
              ))}
            </ul>
            <Stack gap={1}>
              <Button
                size="sm"
                variant="secondary"
                disabled={Boolean(blocker) || busy || draft === null}
                data-testid={testIds.postmortem.save}
                onClick={() => run(() => api.editPostmortem(incident.id, { markdown }))}
              >
                Save
              </Button>
              {current.status === 'draft' && (
                <Button
                  size="sm"
                  disabled={Boolean(blocker) || busy}
                  data-testid={testIds.postmortem.publish}
                  onClick={() => run(() => api.editPostmortem(incident.id, { markdown, status: 'published' }))}
                >
                  Publish
                </Button>
              )}
            </Stack>
          </>
        )}
        {error && <ErrorState title="The postmortem was not saved" error={error} />}
      </Stack>
    </Panel>
  );
}
