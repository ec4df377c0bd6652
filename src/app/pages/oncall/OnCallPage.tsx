import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Stack, Text, Tooltip, useStyles2, useTheme2 } from '@grafana/ui';

import type { OnCallShift, TeamSchedule, TimelineSegment } from '../../../contract/oncall';
import { AppPage } from '../../components/AppPage';
import { Panel } from '../../components/Panel';
import { Empty, ErrorState, LoadingState } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';
import { HandoffPanel } from './HandoffPanel';

const DAYS = 7;
const PERSON_COLORS = [
  'blue',
  'green',
  'orange',
  'purple',
  'semi-dark-blue',
  'semi-dark-green',
  'semi-dark-purple',
  'semi-dark-orange',
  'dark-yellow',
];

/** Who is on call now per team, the next 7 days of each schedule, and each escalation chain. */
function OnCallPage() {
  const { api } = useOps();
  const schedules = useAsync(() => api.oncallSchedules(DAYS), 'oncall-schedules');
  return (
    <AppPage
      testId={testIds.oncall.page}
      pageNav={{ text: 'On-call' }}
      subTitle="Schedules and escalation chains from catalog/oncall.yaml"
    >
      {schedules.loading && <LoadingState text="Loading schedules…" />}
      {schedules.error && (
        <ErrorState title="Could not load the schedules" error={schedules.error} onRetry={schedules.reload} />
      )}
      {schedules.data && schedules.data.teams.length === 0 && (
        <Empty message="No on-call teams: add catalog/oncall.yaml (see docs/oncall.md)." />
      )}
      {schedules.data?.teams.map((team) => (
        <TeamPanel key={team.team} team={team} at={Date.parse(schedules.data!.at)} />
      ))}
    </AppPage>
  );
}

function Who({ label, shift }: { label: string; shift: OnCallShift | null }) {
  return (
    <Text variant="body">
      <strong>{label}:</strong> {shift ? `${shift.name} until ${formatDateTime(shift.until)}` : 'nobody (gap)'}
    </Text>
  );
}

function TeamPanel({ team, at }: { team: TeamSchedule; at: number }) {
  const s = useStyles2(getStyles);
  return (
    <div data-testid={testIds.oncall.team} data-team={team.team}>
      <Panel title={team.name} aside={<Text color="secondary">handoff {team.handoff}</Text>}>
        <div data-testid={testIds.oncall.now} className={s.now}>
          <Who label="Primary" shift={team.now.primary} />
          <Who label="Secondary" shift={team.now.secondary} />
        </div>
        <div data-testid={testIds.oncall.timeline} className={s.timeline}>
          {(['primary', 'secondary'] as const).map((role) => (
            <div key={role} className={s.row}>
              <Text variant="bodySmall" color="secondary">
                {role}
              </Text>
              <div className={s.bar} role="list" aria-label={`${role} for the next ${DAYS} days`}>
                {team.timeline
                  .filter((segment) => segment.role === role)
                  .map((segment) => (
                    <SegmentBlock key={`${segment.from}-${segment.user}`} segment={segment} at={at} />
                  ))}
              </div>
            </div>
          ))}
        </div>
        <table className={s.chain} data-testid={testIds.oncall.chain}>
          <thead>
            <tr>
              <th>Level</th>
              <th>Pages now</th>
              <th>Channels</th>
              <th>Waits</th>
            </tr>
          </thead>
          <tbody>
            {team.escalation.map((level) => (
              <tr key={level.level}>
                <td>{level.level}</td>
                <td>
                  {level.resolved.join(', ') || '—'} <Text color="secondary">({level.notify.join(', ')})</Text>
                </td>
                <td>
                  <Stack direction="row" gap={0.5} wrap="wrap">
                    {level.channels.map((channel) => (
                      <Badge
                        key={channel.id}
                        color={channel.configured ? 'green' : 'orange'}
                        text={`${channel.id}${channel.configured ? '' : ' (not configured)'}`}
                      />
                    ))}
                  </Stack>
                </td>
                <td>{Math.round(level.wait_seconds / 60)} min</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className={s.handoff}>
          <HandoffPanel team={team.team} />
        </div>
      </Panel>
    </div>
  );
}

/** One block of the 7-day bar, as wide as its share of the week; gaps are red. */
function SegmentBlock({ segment, at }: { segment: TimelineSegment; at: number }) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const span = DAYS * 86_400_000;
  const width = ((Date.parse(segment.until) - Date.parse(segment.from)) / span) * 100;
  // A fixed set of saturated colours, one per person (Grafana's palette also has near-white shades);
  // red is kept for gaps.
  const color = segment.user
    ? theme.visualization.getColorByName(
        PERSON_COLORS[[...segment.user].reduce((sum, c) => sum + c.charCodeAt(0), 0) % PERSON_COLORS.length]
      )
    : theme.colors.error.main;
  const label = `${segment.name ?? 'nobody'} · ${formatDateTime(segment.from)} → ${formatDateTime(segment.until)}${segment.source === 'override' ? ' (override)' : ''}`;
  return (
    <Tooltip content={label}>
      <div
        role="listitem"
        aria-label={label}
        className={s.segment}
        style={{ width: `${width}%`, background: color, color: theme.colors.getContrastText(color) }}
        data-testid={testIds.oncall.segment}
        data-user={segment.user ?? ''}
        data-now={Date.parse(segment.from) <= at && at < Date.parse(segment.until) ? 'true' : undefined}
      >
        {width > 6 ? (segment.name ?? 'gap') : ''}
      </div>
    </Tooltip>
  );
}

export default OnCallPage;

const getStyles = (theme: GrafanaTheme2) => ({
  handoff: css({ marginTop: theme.spacing(2) }),
  now: css({ display: 'flex', gap: theme.spacing(3), flexWrap: 'wrap', marginBottom: theme.spacing(1.5) }),
  timeline: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(1.5),
  }),
  row: css({ display: 'grid', gridTemplateColumns: '80px 1fr', alignItems: 'center', gap: theme.spacing(1) }),
  bar: css({ display: 'flex', height: 24, borderRadius: theme.shape.radius.default, overflow: 'hidden' }),
  segment: css({
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    padding: theme.spacing(0, 0.5),
    lineHeight: '24px',
    borderRight: `1px solid ${theme.colors.background.primary}`,
  }),
  chain: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
  }),
});
