import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2 } from '@grafana/ui';

import { testIds } from '../../testIds';

/** One of the five ops sections: a labelled landmark with `data-section` so its order can be checked. */
export function Section({
  sectionKey,
  title,
  description,
  aside,
  children,
}: {
  sectionKey: string;
  title: string;
  description?: string;
  aside?: React.ReactNode;
  children: React.ReactNode;
}) {
  const s = useStyles2(getStyles);
  const headingId = `ops-section-${sectionKey}`;
  return (
    <section
      className={s.section}
      aria-labelledby={headingId}
      data-testid={testIds.ops.section}
      data-section={sectionKey}
    >
      <div className={s.header}>
        <Stack direction="column" gap={0}>
          <Text element="h2" variant="h4" id={headingId}>
            {title}
          </Text>
          {description && (
            <Text variant="bodySmall" color="secondary">
              {description}
            </Text>
          )}
        </Stack>
        {aside}
      </div>
      {children}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({
    marginBottom: theme.spacing(4),
  }),
  header: css({
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    marginBottom: theme.spacing(1.5),
  }),
});
