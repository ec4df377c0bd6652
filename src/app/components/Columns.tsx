import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

/**
 * A detail page's two columns: the main content and a side column of facts and actions (`ratio` is
 * main : side), stacked into one column below the large breakpoint.
 */
export function Columns({
  main,
  side,
  ratio = [2, 1],
  sideMinWidth = 320,
  mainTestId,
}: {
  main: React.ReactNode;
  side: React.ReactNode;
  ratio?: [number, number];
  sideMinWidth?: number;
  mainTestId?: string;
}) {
  // Primitives, not the array: useStyles2 memoises on its arguments.
  const s = useStyles2(getStyles, ratio[0], ratio[1], sideMinWidth);
  return (
    <div className={s.columns}>
      <div className={s.column} data-testid={mainTestId}>
        {main}
      </div>
      <div className={s.column}>{side}</div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2, main: number, side: number, sideMinWidth: number) => ({
  columns: css({
    display: 'grid',
    gridTemplateColumns: `minmax(0, ${main}fr) minmax(${sideMinWidth}px, ${side}fr)`,
    gap: theme.spacing(2),
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
  // Without it a wide table or code block would stretch its grid cell past the page.
  column: css({ minWidth: 0 }),
});
