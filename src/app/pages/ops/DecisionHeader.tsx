import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Stack, Text, TextLink, Tooltip, useStyles2 } from '@grafana/ui';

import type { DecisionHeader as DecisionHeaderData } from '../../../contract/overview';
import { ROUTES } from '../../constants';
import { testIds } from '../../testIds';
import { formatDateTime, formatDuration, SEVERITIES, SEVERITY_LABEL } from '../../utils/format';
import { Section } from './Section';
import { ReviewsTile } from './ReviewsTile';
import { SloBudgetTile } from './SloBudgetTile';

const SOURCE_MODE_TEXT = {
  backend: { label: 'Prometheus backend', tip: 'Health figures are evaluated by Prometheus across every replica.' },
  in_memory: {
    label: 'In-memory',
    tip: "Health figures come from this API replica's own counters: a partial view when several replicas run.",
  },
} as const;

type TileProps = { header: DecisionHeaderData };

const SENDER_NAME = { alertmanager: 'Alertmanager', grafana: 'Grafana' } as const;

const senderNames = (senders: DecisionHeaderData['delivery']['silent_senders']) =>
  senders.map((sender) => SENDER_NAME[sender]).join(', ');

/** "Delivery path silent for 7m (Alertmanager, Grafana)": the age is the silent senders' oldest heartbeat. */
function silentTitle(header: DecisionHeaderData): string {
  const late = header.delivery.senders.filter((sender) => sender.late);
  const age = Math.max(0, ...late.map((sender) => sender.age_seconds));
  return `Delivery path silent for ${formatDuration(age)} (${senderNames(header.delivery.silent_senders)})`;
}

/**
 * Is the alert delivery path alive? Answered from the senders' heartbeats, not from the newest alert:
 * a quiet night with healthy heartbeats is green.
 */
function DeliveryTile({ header }: TileProps) {
  const s = useStyles2(getStyles);
  const { delivery } = header;
  const newest = [...delivery.senders].sort((a, b) => a.age_seconds - b.age_seconds)[0];
  return (
    <div
      className={cx(s.tile, delivery.state === 'silent' && s.tileWarning, delivery.state === 'alive' && s.tileOk)}
      data-testid={testIds.ops.freshness}
    >
      <Text variant="bodySmall" color="secondary">
        Alert delivery
      </Text>
      <span className={s.bigNumber}>
        {delivery.state === 'alive' ? 'Alive' : delivery.state === 'silent' ? 'Silent' : 'No heartbeat yet'}
      </span>
      <Text variant="bodySmall" color={delivery.state === 'silent' ? 'warning' : 'secondary'}>
        {delivery.state === 'unproven'
          ? 'Wire the heartbeat rule to prove the path'
          : delivery.state === 'silent'
            ? `${senderNames(delivery.silent_senders)} silent · late after ${formatDuration(header.stale_after_seconds)}`
            : `heartbeat ${formatDuration(newest?.age_seconds ?? 0)} ago (${senderNames(delivery.senders.map((x) => x.source))})`}
      </Text>
    </div>
  );
}

function OpenIncidentsTile({ header }: TileProps) {
  const s = useStyles2(getStyles);
  const worst = SEVERITIES.find((severity) => (header.open_incidents.by_severity[severity] ?? 0) > 0);
  return (
    <div className={cx(s.tile, worst === 'sev1' && s.tileCritical)}>
      <Text variant="bodySmall" color="secondary">
        Open incidents
      </Text>
      <span className={s.bigNumber} data-testid={testIds.ops.openTotal}>
        {header.open_incidents.total}
      </span>
      <Stack direction="row" gap={0.5} wrap="wrap">
        {SEVERITIES.map((severity) => {
          const count = header.open_incidents.by_severity[severity] ?? 0;
          return (
            <span
              key={severity}
              data-testid={testIds.ops.severityCount(severity)}
              className={cx(s.sevChip, count > 0 ? s[severity] : s.sevNone)}
            >
              {SEVERITY_LABEL[severity]} <strong>{count}</strong>
            </span>
          );
        })}
      </Stack>
    </div>
  );
}

function PendingApprovalsTile({ header }: TileProps) {
  const s = useStyles2(getStyles);
  return (
    <div className={cx(s.tile, header.pending_approvals > 0 && s.tileWarning)}>
      <Text variant="bodySmall" color="secondary">
        Pending approvals
      </Text>
      <span className={s.bigNumber} data-testid={testIds.ops.pendingApprovals}>
        {header.pending_approvals}
      </span>
      <TextLink href={ROUTES.approvals()} inline={false} variant="bodySmall">
        {header.pending_approvals > 0 ? 'Review approvals' : 'Approvals'}
      </TextLink>
    </div>
  );
}

function SourceModeTile({ header }: TileProps) {
  const s = useStyles2(getStyles);
  const mode = SOURCE_MODE_TEXT[header.source_mode];
  return (
    <div className={cx(s.tile, header.degraded && s.tileWarning)}>
      <Text variant="bodySmall" color="secondary">
        Source mode
      </Text>
      <div className={s.modeRow} data-testid={testIds.ops.sourceMode}>
        <Tooltip content={mode.tip}>
          <span tabIndex={0} className={s.modeLabel}>
            {mode.label}
          </span>
        </Tooltip>
      </div>
      {header.degraded ? (
        <Badge color="orange" icon="exclamation-triangle" text="Degraded" />
      ) : (
        <Badge color="green" icon="check" text="Not degraded" />
      )}
    </div>
  );
}

/** The warnings under the tiles: a silent delivery path, a degraded metrics backend. */
function HeaderNotices({ header }: TileProps) {
  const s = useStyles2(getStyles);
  return (
    <>
      {header.stale && (
        <div className={s.notice}>
          <Alert
            severity="warning"
            title={silentTitle(header)}
            data-testid={testIds.ops.staleWarning}
            bottomSpacing={0}
          >
            No heartbeat arrived from {senderNames(header.delivery.silent_senders)} for longer than{' '}
            {formatDuration(header.stale_after_seconds)}: alerts may be firing that this page does not show. Check that
            the heartbeat rule evaluates and that Alertmanager&apos;s webhook or Grafana&apos;s contact point delivers
            to Opsdeck (runbook ops.metrics.source_mode, docs/heartbeat-and-freshness.md).
          </Alert>
        </div>
      )}
      {header.degraded && (
        <div className={s.notice}>
          <Alert
            severity="warning"
            title="Metrics backend unavailable: showing in-memory figures"
            data-testid={testIds.ops.degradedGuidance}
            bottomSpacing={0}
          >
            {header.guidance ??
              'The metrics backend failed or timed out; the health figures below come from this replica only.'}
          </Alert>
        </div>
      )}
    </>
  );
}

/** Section 1: is the data fresh, how much is open and overdue, and where do the figures come from. */
export function DecisionHeader({ header }: { header: DecisionHeaderData }) {
  const s = useStyles2(getStyles);
  return (
    <Section
      sectionKey="decision_header"
      title="Decision header"
      description={`Generated ${formatDateTime(header.generated_at)}`}
    >
      <div className={s.tiles}>
        <OpenIncidentsTile header={header} />
        <PendingApprovalsTile header={header} />
        <SloBudgetTile refreshKey={header.generated_at} className={s.tile} />
        <ReviewsTile refreshKey={header.generated_at} className={s.tile} />
        <DeliveryTile header={header} />
        <SourceModeTile header={header} />
      </div>
      <HeaderNotices header={header} />
    </Section>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const chip = (color: string) =>
    css({ background: theme.colors.emphasize(color, 0), color: theme.colors.getContrastText(color) });
  return {
    tiles: css({
      display: 'grid',
      gridTemplateColumns: 'repeat(auto-fit, minmax(170px, 1fr))',
      gap: theme.spacing(2),
    }),
    tile: css({
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(0.5),
      padding: theme.spacing(2),
      background: theme.colors.background.primary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      borderTop: `3px solid ${theme.colors.border.medium}`,
    }),
    tileCritical: css({ borderTopColor: theme.colors.error.main }),
    tileWarning: css({ borderTopColor: theme.colors.warning.main }),
    tileOk: css({ borderTopColor: theme.colors.success.main }),
    bigNumber: css({
      fontSize: theme.typography.h2.fontSize,
      fontWeight: theme.typography.fontWeightMedium,
      lineHeight: 1.1,
      fontVariantNumeric: 'tabular-nums',
    }),
    sevChip: css({
      fontSize: theme.typography.bodySmall.fontSize,
      padding: theme.spacing(0.25, 0.75),
      borderRadius: theme.shape.radius.pill,
      whiteSpace: 'nowrap',
    }),
    sevNone: css({ background: theme.colors.background.secondary, color: theme.colors.text.secondary }),
    sev1: chip(theme.visualization.getColorByName('red')),
    sev2: chip(theme.visualization.getColorByName('orange')),
    sev3: chip(theme.visualization.getColorByName('blue')),
    sev4: chip(theme.colors.secondary.main),
    modeRow: css({
      fontSize: theme.typography.h4.fontSize,
      fontWeight: theme.typography.fontWeightMedium,
      minHeight: theme.spacing(4.5),
      display: 'flex',
      alignItems: 'center',
    }),
    modeLabel: css({ borderBottom: `1px dotted ${theme.colors.text.secondary}`, cursor: 'help' }),
    notice: css({ marginTop: theme.spacing(2) }),
  };
};
