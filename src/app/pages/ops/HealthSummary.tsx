import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { HealthBlock } from '../../../contract/overview';
import { HealthBadge } from '../../components/badges';
import { Empty } from '../../components/states';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { testIds } from '../../testIds';
import { exploreHref } from '../../utils/explore';
import { formatSignalValue, thresholdText } from '../../utils/format';
import { Section } from './Section';

const KIND_TITLE = { golden: 'Golden signals', domain: 'Domain signals' } as const;

/** Section 3: one block per signal, healthy or not, each with its investigation path. */
export function HealthSummary({ blocks }: { blocks: HealthBlock[] }) {
  const s = useStyles2(getStyles);
  const kinds = (['golden', 'domain'] as const).filter((kind) => blocks.some((block) => block.kind === kind));
  return (
    <Section
      sectionKey="health_summary"
      title="Health summary"
      description="Every signal with its value against its threshold, and where to look next."
    >
      {blocks.length === 0 ? (
        <Empty message="No health signals are configured in the catalog." />
      ) : (
        <Stack direction="column" gap={2}>
          {kinds.map((kind) => (
            <div key={kind}>
              <Text element="h3" variant="h6" color="secondary">
                {KIND_TITLE[kind]}
              </Text>
              <div className={s.grid}>
                {blocks
                  .filter((block) => block.kind === kind)
                  .map((block) => (
                    <HealthBlockItem key={block.key} block={block} />
                  ))}
              </div>
            </div>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function HealthBlockItem({ block }: { block: HealthBlock }) {
  const s = useStyles2(getStyles);
  const { settings } = useOps();
  const explore = exploreHref(block.investigation.explore_url, null, settings);
  return (
    <div
      className={cx(s.block, s[block.status])}
      data-testid={testIds.ops.healthBlock}
      data-status={block.status}
      data-key={block.key}
    >
      <Text weight="medium">{block.title}</Text>
      <div className={s.valueRow}>
        <span className={s.value}>
          {block.measures === 'open_incidents'
            ? `${block.open_incidents} incident${block.open_incidents === 1 ? '' : 's'} firing`
            : formatSignalValue(block.value, block.unit)}
        </span>
        <HealthBadge status={block.status} />
      </div>
      <Text variant="bodySmall" color="secondary">
        {thresholdText(block)}
      </Text>
      <Text variant="bodySmall" color="secondary" italic>
        {block.basis}
      </Text>
      <nav className={s.links} aria-label={`Investigate ${block.title}`}>
        <TextLink href={block.investigation.dashboard_url} inline={false} variant="bodySmall" icon="apps">
          Panel
        </TextLink>
        {explore ? (
          <TextLink href={explore} inline={false} variant="bodySmall" icon="compass">
            Query
          </TextLink>
        ) : (
          <Text variant="bodySmall" color="disabled">
            Query needs variables
          </Text>
        )}
        {block.investigation.runbook_id ? (
          <TextLink
            href={ROUTES.runbook(block.investigation.runbook_id)}
            inline={false}
            variant="bodySmall"
            icon="book-open"
          >
            Runbook
          </TextLink>
        ) : (
          <Text variant="bodySmall" color="warning">
            No runbook
          </Text>
        )}
      </nav>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const status = (color: string, tint: boolean) =>
    css({
      borderTopColor: color,
      background: tint ? theme.colors.emphasize(theme.colors.background.primary, 0.02) : undefined,
    });
  return {
    grid: css({
      display: 'grid',
      gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))',
      gap: theme.spacing(1.5),
      marginTop: theme.spacing(1),
    }),
    block: css({
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(0.5),
      padding: theme.spacing(1.5),
      background: theme.colors.background.primary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderTop: `3px solid ${theme.colors.border.medium}`,
      borderRadius: theme.shape.radius.default,
      minWidth: 0,
    }),
    ok: status(theme.colors.success.main, false),
    warn: status(theme.colors.warning.main, true),
    crit: status(theme.colors.error.main, true),
    unknown: status(theme.colors.border.strong, false),
    valueRow: css({
      display: 'flex',
      justifyContent: 'space-between',
      alignItems: 'center',
      gap: theme.spacing(1),
      flexWrap: 'wrap',
    }),
    value: css({
      fontSize: theme.typography.h3.fontSize,
      fontWeight: theme.typography.fontWeightMedium,
      fontVariantNumeric: 'tabular-nums',
      lineHeight: 1.2,
    }),
    links: css({ display: 'flex', gap: theme.spacing(1.5), flexWrap: 'wrap', marginTop: theme.spacing(0.5) }),
  };
};
