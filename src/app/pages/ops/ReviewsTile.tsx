import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { useRefreshWith } from '../../hooks/useRefreshWith';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';

/** Overdue postmortems named one by one up to this many; the rest are counted. */
const NAMED = 3;

/**
 * Decision Header tile (issue 12): postmortems past their due date (sev1 48 h, sev2 1 week after
 * resolution, catalog/postmortem-policy.yaml) and action items past theirs. Reads GET
 * /api/v1/postmortems/obligations itself, like the SLO tile, rather than growing the overview answer:
 * the overview stays one budgeted query path (bench/RESULTS.md), and a failure here costs one tile,
 * not the page. Refreshes whenever the ops page does (`refreshKey`).
 */
export function ReviewsTile({ refreshKey, className }: { refreshKey: string; className: string }) {
  const s = useStyles2(getStyles);
  const { api, projectId } = useOps();
  const duties = useAsync(() => api.postmortemObligations(), `reviews-tile:${projectId}`);
  useRefreshWith(refreshKey, duties.reload);

  const data = duties.data;
  const overdue = (data?.postmortems_due ?? []).filter((due) => due.overdue);
  const late = data ? data.overdue_postmortems + data.overdue_action_items : 0;
  return (
    <div className={cx(className, late > 0 && s.alarm)} data-testid={testIds.ops.reviews}>
      <Text variant="bodySmall" color="secondary">
        Overdue reviews
      </Text>
      <span className={s.bigNumber}>{data ? late : '—'}</span>
      <Stack direction="column" gap={0.5} alignItems="flex-start">
        {overdue.slice(0, NAMED).map((due) => (
          <TextLink
            key={due.incident_id}
            href={ROUTES.incident(due.incident_id)}
            inline={false}
            variant="bodySmall"
            data-testid={testIds.ops.overduePostmortem}
          >
            {`Postmortem ${due.postmortem_status === 'draft' ? 'draft' : 'missing'}: ${due.title} (${due.severity}, due ${formatDateTime(due.due_at)})`}
          </TextLink>
        ))}
        {overdue.length > NAMED && (
          <Text variant="bodySmall" color="secondary">{`and ${overdue.length - NAMED} more postmortems`}</Text>
        )}
        {data && (
          <TextLink
            href={ROUTES.actionItems(data.overdue_action_items > 0 ? 'overdue' : undefined)}
            inline={false}
            variant="bodySmall"
            data-testid={testIds.ops.overdueActionItems}
          >
            {data.overdue_action_items > 0
              ? `${data.overdue_action_items} action item${data.overdue_action_items === 1 ? '' : 's'} overdue`
              : 'Action items'}
          </TextLink>
        )}
        {duties.error && !data && (
          <Text variant="bodySmall" color="warning">
            Review duties unavailable: {duties.error.message}
          </Text>
        )}
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  alarm: css({ borderTopColor: theme.colors.warning.main }),
  bigNumber: css({
    fontSize: theme.typography.h2.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    lineHeight: 1.1,
    fontVariantNumeric: 'tabular-nums',
  }),
});
