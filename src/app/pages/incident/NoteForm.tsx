import React, { useState } from 'react';

import { Panel } from '../../components/Panel';
import { TextSubmitForm } from '../../components/TextSubmitForm';
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
  return (
    <Panel title="Add a note">
      <TextSubmitForm
        label="Note"
        description="Goes on the timeline with your name."
        blocker={blocker}
        value={text}
        onChange={setText}
        inputId="incident-note"
        inputTestId={testIds.incident.noteInput}
        submitLabel="Add note"
        submitIcon="comment-alt"
        submitTestId={testIds.incident.noteSubmit}
        errorTitle="The note was not saved"
        onSubmit={async (note) => {
          await api.addNote(incidentId, { text: note });
          setText('');
          await onDone();
        }}
      />
    </Panel>
  );
}
