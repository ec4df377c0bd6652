import React, { useState } from 'react';
import { Combobox, Field, RadioButtonGroup, Stack, Text } from '@grafana/ui';

import type { StatusUpdate, UpdateAudience, UpdateStage } from '../../../contract/communication';
import { Panel } from '../../components/Panel';
import { EmptyNote } from '../../components/states';
import { TextSubmitForm } from '../../components/TextSubmitForm';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';

const STAGES: UpdateStage[] = ['investigating', 'identified', 'monitoring', 'resolved'];
const AUDIENCES = [
  { value: 'internal' as const, label: 'Internal' },
  { value: 'external' as const, label: 'External (status feed)' },
];

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
  const template = updates.data?.templates.find((t) => t.stage === stage)?.message ?? '';

  return (
    <Panel title="Status updates" testId={testIds.updates.panel}>
      <TextSubmitForm
        label="Message"
        description="Starts from the stage template in catalog/status-updates.yaml; edit freely."
        blocker={blocker}
        value={message ?? template}
        onChange={setMessage}
        inputLabel="Update message"
        inputTestId={testIds.updates.message}
        submitLabel="Post update"
        submitIcon="rss"
        submitTestId={testIds.updates.submit}
        errorTitle="The update was not posted"
        onSubmit={async (text) => {
          await api.postUpdate(incidentId, { stage, audience, message: text });
          setMessage(null);
          await Promise.all([updates.reload(), onDone()]);
        }}
      >
        <StageAndAudience
          stage={stage}
          audience={audience}
          onStage={(next) => {
            setStage(next);
            setMessage(null); // the new stage's template replaces the text
          }}
          onAudience={setAudience}
        />
      </TextSubmitForm>
      {updates.data && updates.data.items.length === 0 && <EmptyNote>No update posted yet.</EmptyNote>}
      <UpdateHistory items={updates.data?.items ?? []} />
    </Panel>
  );
}

function StageAndAudience({
  stage,
  audience,
  onStage,
  onAudience,
}: {
  stage: UpdateStage;
  audience: UpdateAudience;
  onStage: (stage: UpdateStage) => void;
  onAudience: (audience: UpdateAudience) => void;
}) {
  return (
    <Stack gap={2} wrap="wrap">
      <Field label="Stage" noMargin>
        <div data-testid={testIds.updates.stage}>
          <Combobox
            aria-label="Stage"
            width={22}
            value={stage}
            options={STAGES.map((value) => ({ value, label: value }))}
            onChange={(option) => onStage(option.value as UpdateStage)}
          />
        </div>
      </Field>
      <Field label="Audience" noMargin>
        <div data-testid={testIds.updates.audience}>
          <RadioButtonGroup value={audience} options={AUDIENCES} onChange={(value) => onAudience(value)} />
        </div>
      </Field>
    </Stack>
  );
}

/** Who said what and when; the first update is marked as the incident's initial response. */
function UpdateHistory({ items }: { items: StatusUpdate[] }) {
  return (
    <ul aria-label="Posted updates">
      {items.map((update) => (
        <li key={update.id} data-testid={testIds.updates.entry} data-audience={update.audience}>
          <Text variant="bodySmall" color="secondary">
            {formatDateTime(update.posted_at)} · {update.posted_by} · {update.stage} · {update.audience}
            {update.initial_response ? ' · initial response' : ''}
          </Text>
          <div>{update.message}</div>
        </li>
      ))}
    </ul>
  );
}
