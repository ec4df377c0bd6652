import React, { useState } from 'react';
import { Button, Field, Stack, TextArea, type IconName } from '@grafana/ui';

import { toOpsApiError, type OpsApiError } from '../api/errors';
import { ErrorState } from './states';

export interface TextSubmitFormProps {
  /** Fields shown above the text (the Updates panel's stage and audience). */
  children?: React.ReactNode;
  label: string;
  /** Shown under the label; the blocker (why this user may not write) replaces it. */
  description: string;
  blocker: string | null;
  value: string;
  onChange: (value: string) => void;
  inputId?: string;
  inputLabel?: string;
  inputTestId: string;
  rows?: number;
  submitLabel: string;
  submitIcon: IconName;
  submitTestId: string;
  errorTitle: string;
  /** Sends the trimmed text; a thrown error is shown under the button and the text is kept. */
  onSubmit: (text: string) => Promise<void>;
}

/**
 * A text to post to the incident (a note, a status update): the text area, a submit button disabled
 * while empty, blocked or busy, and the API's error in the envelope's words.
 */
export function TextSubmitForm(props: TextSubmitFormProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OpsApiError | null>(null);
  const text = props.value.trim();
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!text) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(text);
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <Stack direction="column" gap={1}>
        {props.children}
        <Field label={props.label} description={props.blocker ?? props.description} noMargin>
          <TextArea
            id={props.inputId}
            aria-label={props.inputLabel}
            rows={props.rows ?? 3}
            value={props.value}
            disabled={Boolean(props.blocker)}
            onChange={(event) => props.onChange(event.currentTarget.value)}
            data-testid={props.inputTestId}
          />
        </Field>
        <div>
          <Button
            type="submit"
            size="sm"
            icon={props.submitIcon}
            disabled={Boolean(props.blocker) || !text || busy}
            data-testid={props.submitTestId}
          >
            {props.submitLabel}
          </Button>
        </div>
        {error && <ErrorState title={props.errorTitle} error={error} />}
      </Stack>
    </form>
  );
}
