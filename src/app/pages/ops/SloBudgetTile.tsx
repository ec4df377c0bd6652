import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { useRefreshWith } from '../../hooks/useRefreshWith';
import { testIds } from '../../testIds';
import { isFrozenState } from '../../utils/slos';
import { PolicyStateBadge } from '../slos/badges';

/**
 * Decision Header tile (issue 18): the SLOs whose error budget policy freezes changes now (critical or
 * depleted). Self-contained: it reads GET /api/v1/slos/status itself and refreshes whenever the ops
 * page does (`refreshKey` = the overview's generated_at), keeping its last answer while it reloads.
 */
export function SloBudgetTile({ refreshKey, className }: { refreshKey: string; className: string }) {
  const s = useStyles2(getStyles);
  const { api, projectId } = useOps();
  const status = useAsync(() => api.sloStatus(), `slo-tile:${projectId}`);
  useRefreshWith(refreshKey, status.reload);

  const frozen = (status.data?.items ?? []).filter((slo) => isFrozenState(slo.budget_policy_state));
  const unknown = status.data ? status.data.items.filter((slo) => slo.budget_policy_state === null).length : 0;
  return (
    <div className={cx(className, frozen.length > 0 && s.alarm)} data-testid={testIds.slos.headerTile}>
      <Text variant="bodySmall" color="secondary">
        SLOs in critical or depleted
      </Text>
      <span className={s.bigNumber}>{status.data ? frozen.length : '—'}</span>
      <Stack direction="column" gap={0.5} alignItems="flex-start">
        {frozen.map((slo) => (
          <span key={slo.id} data-testid={testIds.slos.headerSlo} data-slo-id={slo.id}>
            <PolicyStateBadge state={slo.budget_policy_state} /> <Text variant="bodySmall">{slo.id}</Text>
          </span>
        ))}
        {status.error && !status.data && (
          <Text variant="bodySmall" color="warning">
            SLO status unavailable: {status.error.message}
          </Text>
        )}
        {unknown > 0 && (
          <Text variant="bodySmall" color="secondary">
            {unknown} with unknown budget
          </Text>
        )}
        <TextLink
          href={frozen.length > 0 ? ROUTES.slos({ state: 'frozen' }) : ROUTES.slos()}
          inline={false}
          variant="bodySmall"
        >
          {frozen.length > 0 ? 'See what the policy requires' : 'SLOs'}
        </TextLink>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  alarm: css({ borderTopColor: theme.colors.error.main }),
  bigNumber: css({
    fontSize: theme.typography.h2.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    lineHeight: 1.1,
    fontVariantNumeric: 'tabular-nums',
  }),
});
