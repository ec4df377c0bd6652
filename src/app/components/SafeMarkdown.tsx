import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';

import { renderRunbookHtml, type LinkResolver } from '../utils/markdown';
import { inlineCodeStyle } from './InlineCode';

/** Sanitised runbook markdown. Internal links navigate inside Grafana without a page load. */
export function SafeMarkdown({
  markdown,
  resolveLink,
  title,
  testId,
}: {
  markdown: string;
  resolveLink?: LinkResolver;
  title?: string;
  testId?: string;
}) {
  const s = useStyles2(getStyles);
  const html = useMemo(() => renderRunbookHtml(markdown, resolveLink, title), [markdown, resolveLink, title]);
  const onClick = (event: React.MouseEvent<HTMLDivElement>) => {
    const anchor = (event.target as HTMLElement).closest('a[data-internal="true"]');
    if (anchor && !event.metaKey && !event.ctrlKey && !event.shiftKey) {
      event.preventDefault();
      locationService.push(anchor.getAttribute('href') ?? '');
    }
  };
  return (
    // Clicks are delegated to real <a> elements inside, which stay keyboard-focusable.
    <div className={s.markdown} data-testid={testId} onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  markdown: css({
    lineHeight: 1.6,
    maxWidth: '110ch',
    'h1, h2, h3, h4': { marginTop: theme.spacing(3), marginBottom: theme.spacing(1) },
    'h1:first-child': { marginTop: 0 },
    h1: { fontSize: theme.typography.h3.fontSize },
    h2: {
      fontSize: theme.typography.h4.fontSize,
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      paddingBottom: theme.spacing(0.5),
    },
    h3: { fontSize: theme.typography.h5.fontSize },
    'ul, ol': { paddingLeft: theme.spacing(3), marginBottom: theme.spacing(2) },
    li: { marginBottom: theme.spacing(0.5) },
    p: { marginBottom: theme.spacing(1.5) },
    code: inlineCodeStyle(theme),
    pre: {
      background: theme.colors.background.canvas,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      padding: theme.spacing(1.5),
      overflowX: 'auto',
      marginBottom: theme.spacing(2),
      code: { background: 'none', border: 0, padding: 0, margin: 0, whiteSpace: 'pre-wrap' },
    },
    blockquote: {
      borderLeft: `3px solid ${theme.colors.border.medium}`,
      paddingLeft: theme.spacing(1.5),
      color: theme.colors.text.secondary,
      margin: theme.spacing(0, 0, 2, 0),
    },
    a: { color: theme.colors.text.link, textDecoration: 'underline' },
    table: { borderCollapse: 'collapse', marginBottom: theme.spacing(2) },
    'th, td': { border: `1px solid ${theme.colors.border.weak}`, padding: theme.spacing(0.5, 1) },
  }),
});
