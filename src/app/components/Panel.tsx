import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2 } from '@grafana/ui';

/** A titled box in Grafana's panel style, used by the detail pages. */
export function Panel({
  title,
  aside,
  children,
  testId,
  id,
}: {
  title: string;
  aside?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
  id?: string;
}) {
  const s = useStyles2(getStyles);
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section className={s.panel} data-testid={testId} aria-labelledby={headingId} id={id}>
      <div className={s.header}>
        <Text element="h2" variant="h5" id={headingId}>
          {title}
        </Text>
        {aside && (
          <Stack direction="row" gap={1} alignItems="center">
            {aside}
          </Stack>
        )}
      </div>
      {children}
    </section>
  );
}

/** Label/value pairs in a compact grid. */
export function Facts({ items }: { items: Array<[string, React.ReactNode]> }) {
  const s = useStyles2(getStyles);
  return (
    <dl className={s.facts}>
      {items.map(([label, value]) => (
        <div key={label} className={s.fact}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    padding: theme.spacing(2),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    marginBottom: theme.spacing(2),
    minWidth: 0,
  }),
  header: css({
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1.5),
  }),
  facts: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))',
    gap: theme.spacing(1.5, 2),
    margin: 0,
  }),
  fact: css({
    minWidth: 0,
    dt: {
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.secondary,
      marginBottom: theme.spacing(0.25),
    },
    dd: {
      margin: 0,
      overflowWrap: 'anywhere',
      code: { whiteSpace: 'normal', overflowWrap: 'anywhere', wordBreak: 'break-all' },
    },
  }),
});
