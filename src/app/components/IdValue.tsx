import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, Tooltip, useStyles2 } from '@grafana/ui';

/**
 * An identifier (trace ID, resource name, action ID): monospace on one line, cut with an ellipsis
 * when the column is narrow, the full value in a tooltip and a copy button. An ID broken across lines
 * cannot be read back or selected whole at 3 a.m.; copying it is what people do with one.
 */
export function IdValue({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const s = useStyles2(getStyles);
  return (
    <span className={s.wrap} data-testid={testId}>
      <Tooltip content={value} placement="top">
        {/* Focusable so keyboard users get the tooltip too. */}
        <code className={s.id} tabIndex={0}>
          {value}
        </code>
      </Tooltip>
      <ClipboardButton
        size="sm"
        variant="secondary"
        fill="text"
        icon="copy"
        getText={() => value}
        aria-label={`Copy ${label} ${value}`}
        className={s.copy}
      />
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'inline-flex', alignItems: 'center', maxWidth: '100%', minWidth: 0, verticalAlign: 'middle' }),
  id: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    minWidth: 0,
  }),
  copy: css({ flexShrink: 0 }),
});
