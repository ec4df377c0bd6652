import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Combobox, useStyles2 } from '@grafana/ui';

import { dataTableStyle } from './tableStyle';

/** One column: its header and how to draw a row's cell. */
export interface DataColumn<T> {
  id: string;
  header: React.ReactNode;
  cell: (row: T) => React.ReactNode;
  /** A fixed width (CSS length), for the boxed tables with a fixed layout. */
  width?: string;
  cellClassName?: string;
}

/** `data-*` attributes of a row (its testId, its ID and states the tests and browser specs read). */
export type RowAttributes = Record<`data-${string}`, string | undefined>;

interface DataTableProps<T> {
  rows: readonly T[];
  /** `false` leaves a column out (a column shown only in some views). */
  columns: ReadonlyArray<DataColumn<T> | false>;
  rowKey: (row: T, index: number) => React.Key;
  rowAttributes?: (row: T) => RowAttributes;
  /**
   * `list`: a page's main table; `boxed`: a bordered table with a fixed layout inside a group; `dense`:
   * tighter cells for a table among other panels.
   */
  variant?: 'list' | 'boxed' | 'dense';
  className?: string;
  testId?: string;
}

/**
 * The list pages' table (approvals, runbooks, incidents, SLOs, investigation hits): a plain semantic
 * table in the app's one table style, drawn from column definitions so the pages only say what a cell
 * shows. A plain table rather than @grafana/ui's InteractiveTable: rows carry the data attributes the
 * browser specs read, and nothing here sorts or paginates client-side.
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  rowAttributes,
  variant = 'list',
  className,
  testId,
}: DataTableProps<T>) {
  const s = useStyles2(getStyles);
  const shown = columns.filter((column): column is DataColumn<T> => column !== false);
  return (
    <table className={cx(s[variant], className)} data-testid={testId}>
      <thead>
        <tr>
          {shown.map((column) => (
            <th key={column.id} scope="col" style={column.width ? { width: column.width } : undefined}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={rowKey(row, index)} {...rowAttributes?.(row)}>
            {shown.map((column) => (
              <td key={column.id} className={column.cellClassName}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The filter row above a list: wraps on narrow screens, announced as a search landmark. */
export function FilterBar({ label, testId, children }: { label: string; testId?: string; children: React.ReactNode }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.filters} role="search" aria-label={label} data-testid={testId}>
      {children}
    </div>
  );
}

/** A choice filter of the FilterBar: a Combobox in a wrapper the tests find by testId. */
export function FilterSelect({
  label,
  testId,
  width,
  value,
  options,
  onChange,
}: {
  label: string;
  testId: string;
  width: number;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  return (
    <div data-testid={testId}>
      <Combobox
        aria-label={label}
        width={width}
        value={value}
        options={options}
        onChange={(option) => onChange(option.value)}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  filters: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'center',
    marginBottom: theme.spacing(2),
  }),
  list: css(dataTableStyle(theme, theme.spacing(1)), { 'tr:last-child td': { borderBottom: 'none' } }),
  dense: css(dataTableStyle(theme)),
  boxed: css(dataTableStyle(theme, theme.spacing(1)), {
    marginTop: theme.spacing(1),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    tableLayout: 'fixed',
  }),
});
