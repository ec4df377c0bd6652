import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, ClipboardButton, EmptyState, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';

import type { OpsApiError } from '../api/errors';
import { testIds } from '../testIds';

export function LoadingState({ text = 'Loading…' }: { text?: string }) {
  return (
    <div data-testid={testIds.state.loading} role="status" aria-live="polite">
      <LoadingPlaceholder text={text} />
    </div>
  );
}

/** A correlation ID the user can select or copy to quote when asking for help. */
export function CorrelationId({ id, testId }: { id: string; testId?: string }) {
  const s = useStyles2(getStyles);
  return (
    <Stack direction="row" alignItems="center" gap={1} wrap="wrap">
      <Text variant="bodySmall" color="secondary">
        Correlation ID
      </Text>
      <code className={s.code} data-testid={testId}>
        {id}
      </code>
      <ClipboardButton
        size="sm"
        variant="secondary"
        fill="text"
        icon="copy"
        getText={() => id}
        aria-label={`Copy correlation ID ${id}`}
      >
        Copy
      </ClipboardButton>
    </Stack>
  );
}

/** The API's error envelope, in place: its message, its code, and a copyable correlation ID. */
export function ErrorState({ title, error, onRetry }: { title: string; error: OpsApiError; onRetry?: () => void }) {
  return (
    <Alert severity="error" title={title} data-testid={testIds.state.error}>
      <Stack direction="column" gap={1}>
        <div>
          {error.message}
          {error.code && error.code !== 'network_error' ? (
            <Text variant="bodySmall" color="secondary">
              {' '}
              ({error.code}
              {error.status ? `, HTTP ${error.status}` : ''})
            </Text>
          ) : null}
        </div>
        {error.correlationId && <CorrelationId id={error.correlationId} testId={testIds.state.correlationId} />}
        {onRetry && (
          <div>
            <Button size="sm" variant="secondary" icon="sync" onClick={onRetry}>
              Try again
            </Button>
          </div>
        )}
      </Stack>
    </Alert>
  );
}

export function Empty({
  message,
  children,
  variant = 'not-found',
}: {
  message: string;
  children?: React.ReactNode;
  variant?: 'not-found' | 'completed' | 'call-to-action';
}) {
  return (
    <div data-testid={testIds.state.empty}>
      <EmptyState variant={variant} message={message} hideImage>
        {children}
      </EmptyState>
    </div>
  );
}

/** An inline empty note for a small section (EmptyState is too large there). */
export function EmptyNote({ children }: { children: NonNullable<React.ReactNode> }) {
  return (
    <div data-testid={testIds.state.empty}>
      <Text color="secondary" italic>
        {children}
      </Text>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    padding: theme.spacing(0.25, 0.75),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    userSelect: 'all',
    wordBreak: 'break-all',
  }),
});
