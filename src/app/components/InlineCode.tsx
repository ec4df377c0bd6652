import React from 'react';
import { css, type CSSObject } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

/** Plain text with `backtick` spans shown as code: enough markdown for one checklist line, and no HTML. */
export function InlineCode({ text }: { text: string }) {
  const s = useStyles2(getStyles);
  const parts = text.split(/(`[^`]+`)/);
  return (
    <>
      {parts.map((part, index) =>
        part.length > 2 && part.startsWith('`') && part.endsWith('`') ? (
          <code key={index} className={s.code}>
            {part.slice(1, -1)}
          </code>
        ) : (
          <React.Fragment key={index}>{part}</React.Fragment>
        )
      )}
    </>
  );
}

/** How inline code looks wherever the app shows it (checklist lines here, runbook markdown in SafeMarkdown). */
export const inlineCodeStyle = (theme: GrafanaTheme2): CSSObject => ({
  fontFamily: theme.typography.fontFamilyMonospace,
  fontSize: '0.9em',
  background: theme.colors.background.secondary,
  padding: theme.spacing(0, 0.5),
  borderRadius: theme.shape.radius.default,
  // Grafana's global styles make <code> nowrap; long commands must wrap inside their panel.
  whiteSpace: 'normal',
  overflowWrap: 'anywhere',
});

const getStyles = (theme: GrafanaTheme2) => ({
  code: css(inlineCodeStyle(theme)),
});
