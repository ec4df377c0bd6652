import React, { useState } from 'react';
import { Button, Combobox, Field, RadioButtonGroup, Stack, Text, TextArea } from '@grafana/ui';

import { toOpsApiError, type OpsApiError } from '../../api/errors';
import type { UpdateAudience, UpdateStage } from '../../../contract/communication';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';

const STAGES: UpdateStage[] = ['investigating', 'identified', 'monitoring', 'resolved'];

/**
 * Status updates: pick a stage, start from its catalog template (already filled for this incident by
 * the API), edit, choose who sees it, post; below, who said what and when.
 */
export function UpdatesPanel({
  incidentId,
  blocker,
  onDone,
}: {
  incidentId: string;
  blocker: string | null;
  onDone: () => Promise<void>;
}) {
  const { api, projectId } = useOps();
  const updates = useAsync(() => api.updates(incidentId), `updates:${projectId}:${incidentId}`);
  const [stage, setStage] = useState<UpdateStage>('investigating');
  const [audience, setAudience] = useState<UpdateAudience>('internal');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OpsApiError | null>(null);
  const template = updates.data?.templates.find((t) => t.stage === stage)?.message ?? '';
  const text = message ?? template;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.postUpdate(incidentId, { stage, audience, message: text.trim() });
      setMessage(null);
      await Promise.all([updates.reload(), onDone()]);
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="Status updates" testId={testIds.updates.panel}>
      <form onSubmit={submit}>
        <Stack direction="column" gap={1}>
          <Stack gap={2} wrap="wrap">
            <Field label="Stage" noMargin>
              <div data-testid={testIds.updates.stage}>
                <Combobox
                  aria-label="Stage"
                  width={22}
                  value={stage}
                  options={STAGES.map((value) => ({ value, label: value }))}
                  onChange={(option) => {
                    setStage(option.value as UpdateStage);
                    setMessage(null);
                  }}
                />
              </div>
            </Field>
            <Field label="Audience" noMargin>
              <div data-testid={testIds.updates.audience}>
                <RadioButtonGroup
                  value={audience}
                  options={[
                    { value: 'internal', label: 'Internal' },
                    { value: 'external', label: 'External (status feed)' },
                  ]}
                  onChange={(value) => setAudience(value as UpdateAudience)}
                />
              </div>
            </Field>
          </Stack>
          <Field
            label="Message"
            description={blocker ?? 'Starts from the stage template in catalog/status-updates.yaml; edit freely.'}
            noMargin
          >
            <TextArea
              aria-label="Update message"
              rows={3}
              value={text}
              disabled={Boolean(blocker)}
              onChange={(event) => setMessage(event.currentTarget.value)}
              data-testid={testIds.updates.message}
            />
          </Field>
          <div>
            <Button
              type="submit"
              size="sm"
              icon="rss"
              disabled={Boolean(blocker) || !text.trim() || busy}
              data-testid={testIds.updates.submit}
            >
              Post update
            </Button>
          </div>
          {error && <ErrorState title="The update was not posted" error={error} />}
        </Stack>
      </form>
      {updates.data && updates.data.items.length === 0 && <EmptyNote>No update posted yet.</EmptyNote>}
      <ul aria-label="Posted updates">
        {(updates.data?.items ?? []).map((update) => (
          <li key={update.id} data-testid={testIds.updates.entry} data-audience={update.audience}>
            <Text variant="bodySmall" color="secondary">
              {formatDateTime(update.posted_at)} · {update.posted_by} · {update.stage} · {update.audience}
              {update.initial_response ? ' · initial response' : ''}
            </Text>
            <div>{update.message}</div>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
