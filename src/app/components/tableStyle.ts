import type { CSSObject } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/**
 * How every plain data table in the app looks (alerts, approvals, runbooks, fleet, correlation hits):
 * full width, a hairline under each row, small muted headers. Pages add their own column widths.
 * `cellPadding` is roomier on the list pages and tighter in the dense detail tables.
 */
export const dataTableStyle = (theme: GrafanaTheme2, cellPadding = theme.spacing(0.75, 1)): CSSObject => ({
  width: '100%',
  borderCollapse: 'collapse',
  'th, td': {
    textAlign: 'left',
    padding: cellPadding,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    verticalAlign: 'top',
  },
  th: {
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightMedium,
    fontSize: theme.typography.bodySmall.fontSize,
  },
});
