import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Checkbox, ClipboardButton, Spinner, Stack, Text, useStyles2 } from '@grafana/ui';

import type { ChecklistStep } from '../../contract/catalog';
import { toOpsApiError, type OpsApiError } from '../api/errors';
import { stepKey, stepsBySection } from '../utils/checklist';
import { splitFencedCode } from '../utils/markdown';
import { InlineCode } from './InlineCode';
import { SafeMarkdown } from './SafeMarkdown';
import { ErrorState, EmptyNote } from './states';

/**
 * A runbook's steps as checkboxes. Ticks are recorded on the incident timeline by `onToggle`; without an
 * incident (or without the right to write) the list is read-only and says why.
 */
export function RunbookChecklist({
  runbookId,
  steps,
  checked,
  onToggle,
  disabledReason,
  testId,
}: {
  runbookId: string;
  steps: ChecklistStep[];
  checked: Map<string, boolean>;
  onToggle?: (step: ChecklistStep, done: boolean) => Promise<void>;
  disabledReason?: string | null;
  testId: string;
}) {
  const s = useStyles2(getStyles);
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<OpsApiError | null>(null);

  if (steps.length === 0) {
    return <EmptyNote>This runbook has no checklist steps.</EmptyNote>;
  }
  const toggle = async (step: ChecklistStep, done: boolean) => {
    if (!onToggle) {
      return;
    }
    setPending((current) => ({ ...current, [step.id]: done }));
    setError(null);
    try {
      await onToggle(step, done);
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setPending((current) => {
        const { [step.id]: _done, ...rest } = current;
        return rest;
      });
    }
  };
  const readOnly = !onToggle || Boolean(disabledReason);
  return (
    <Stack direction="column" gap={1.5}>
      {disabledReason && (
        <Text variant="bodySmall" color="secondary" italic>
          {disabledReason}
        </Text>
      )}
      {error && <ErrorState title="The tick was not recorded" error={error} />}
      {stepsBySection(steps).map((group) => (
        <fieldset key={group.section} className={s.fieldset}>
          <legend className={s.legend}>{group.section}</legend>
          <ul className={s.list}>
            {group.steps.map((step) => {
              const isPending = step.id in pending;
              const value = isPending ? pending[step.id] : checked.get(stepKey(runbookId, step.id)) === true;
              return (
                <li key={step.id} className={s.step} data-testid={testId} data-step-id={step.id} data-checked={value}>
                  <Checkbox
                    id={`step-${runbookId}-${step.id}`}
                    value={value}
                    disabled={readOnly || isPending}
                    onChange={(event) => toggle(step, event.currentTarget.checked)}
                  />
                  <label htmlFor={`step-${runbookId}-${step.id}`} className={value ? s.done : s.label}>
                    <InlineCode text={step.text} />
                  </label>
                  {isPending && <Spinner inline size="sm" />}
                  {step.body && <StepBody body={step.body} />}
                </li>
              );
            })}
          </ul>
        </fieldset>
      ))}
    </Stack>
  );
}

/** What follows a step in the runbook — commands with a copy button, nested lists, links — rendered safely. */
function StepBody({ body }: { body: string }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.body}>
      {splitFencedCode(body).map((segment, index) =>
        segment.kind === 'code' ? (
          <div key={index} className={s.code}>
            <pre>
              <code>{segment.text}</code>
            </pre>
            <ClipboardButton
              className={s.copy}
              size="sm"
              variant="secondary"
              fill="text"
              icon="copy"
              getText={() => segment.text}
              aria-label="Copy the commands"
            />
          </div>
        ) : (
          <SafeMarkdown key={index} markdown={segment.text} />
        )
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  body: css({
    flexBasis: '100%',
    minWidth: 0,
    paddingLeft: theme.spacing(3),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  code: css({
    position: 'relative',
    pre: {
      margin: theme.spacing(0.5, 0),
      padding: theme.spacing(1, 5, 1, 1),
      background: theme.colors.background.canvas,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      overflowX: 'auto',
      fontFamily: theme.typography.fontFamilyMonospace,
    },
  }),
  copy: css({ position: 'absolute', top: theme.spacing(0.5), right: theme.spacing(0.5) }),
  fieldset: css({ border: 'none', padding: 0, margin: 0 }),
  legend: css({
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    color: theme.colors.text.secondary,
    textTransform: 'uppercase',
    letterSpacing: '0.04em',
    marginBottom: theme.spacing(0.5),
  }),
  list: css({ listStyle: 'none', padding: 0, margin: 0 }),
  step: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 0),
  }),
  label: css({ cursor: 'pointer', lineHeight: 1.4, minWidth: 0, overflowWrap: 'anywhere' }),
  done: css({
    cursor: 'pointer',
    lineHeight: 1.4,
    minWidth: 0,
    overflowWrap: 'anywhere',
    color: theme.colors.text.secondary,
    textDecoration: 'line-through',
  }),
});
