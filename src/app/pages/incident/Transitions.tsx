import React, { useState } from 'react';
import { Alert, Button, Field, Stack, TextArea } from '@grafana/ui';

import type { IncidentDetail, IncidentStatus } from '../../../contract/incidents';
import { toOpsApiError, type OpsApiError } from '../../api/errors';
import { Panel } from '../../components/Panel';
import { ErrorState, EmptyNote } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { testIds } from '../../testIds';
import { TRANSITION_VERB } from '../../utils/format';
import { transitionProblem } from '../../utils/forms';

/** The lifecycle moves the API allows from here, as buttons, with an optional (or required) note. */
export function Transitions({
  incident,
  blocker,
  onDone,
}: {
  incident: IncidentDetail;
  blocker: string | null;
  onDone: () => Promise<void>;
}) {
  const { api } = useOps();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<IncidentStatus | null>(null);
  const [error, setError] = useState<OpsApiError | null>(null);

  const move = async (to: IncidentStatus) => {
    setBusy(to);
    setError(null);
    try {
      await api.transition(incident.id, { to, note: note.trim() || undefined });
      setNote('');
      await onDone();
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Panel title="Move the incident">
      {incident.allowed_transitions.length === 0 ? (
        <EmptyNote>No further transitions: the incident is {incident.status}.</EmptyNote>
      ) : (
        <Stack direction="column" gap={1.5}>
          {blocker && (
            <Alert severity="info" title="Read-only" bottomSpacing={0} data-testid={testIds.incident.writeBlocked}>
              {blocker}
            </Alert>
          )}
          <Field label="Note" description="Why, or the review / postmortem link (required to close)" noMargin>
            <TextArea
              id="incident-transition-note"
              rows={2}
              value={note}
              disabled={Boolean(blocker)}
              onChange={(event) => setNote(event.currentTarget.value)}
              data-testid={testIds.incident.transitionNote}
            />
          </Field>
          <Stack direction="row" gap={1} wrap="wrap">
            {incident.allowed_transitions.map((to) => {
              const problem = transitionProblem(to, note);
              return (
                <Button
                  key={to}
                  size="sm"
                  variant={to === 'resolved' ? 'success' : to === 'closed' ? 'secondary' : 'primary'}
                  disabled={Boolean(blocker) || Boolean(problem) || busy !== null}
                  tooltip={blocker ?? problem ?? undefined}
                  icon={busy === to ? 'spinner' : undefined}
                  onClick={() => move(to)}
                  data-testid={testIds.incident.transition(to)}
                >
                  {TRANSITION_VERB[to]}
                </Button>
              );
            })}
          </Stack>
          {error && <ErrorState title="The transition was refused" error={error} />}
        </Stack>
      )}
    </Panel>
  );
}
