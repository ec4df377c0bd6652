import React, { useState } from 'react';
import { Button, Field, Stack, TextArea } from '@grafana/ui';

import { toOpsApiError, type OpsApiError } from '../../api/errors';
import { Panel } from '../../components/Panel';
import { ErrorState } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { testIds } from '../../testIds';

export function NoteForm({
  incidentId,
  blocker,
  onDone,
}: {
  incidentId: string;
  blocker: string | null;
  onDone: () => Promise<void>;
}) {
  const { api } = useOps();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OpsApiError | null>(null);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.addNote(incidentId, { text: text.trim() });
      setText('');
      await onDone();
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title="Add a note">
      <form onSubmit={submit}>
        <Stack direction="column" gap={1}>
          <Field label="Note" description={blocker ?? 'Goes on the timeline with your name.'} noMargin>
            <TextArea
              id="incident-note"
              rows={3}
              value={text}
              disabled={Boolean(blocker)}
              onChange={(event) => setText(event.currentTarget.value)}
              data-testid={testIds.incident.noteInput}
            />
          </Field>
          <div>
            <Button
              type="submit"
              size="sm"
              icon="comment-alt"
              disabled={Boolean(blocker) || !text.trim() || busy}
              data-testid={testIds.incident.noteSubmit}
            >
              Add note
            </Button>
          </div>
          {error && <ErrorState title="The note was not saved" error={error} />}
        </Stack>
      </form>
    </Panel>
  );
}
