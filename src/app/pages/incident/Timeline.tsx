import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, IconName } from '@grafana/data';
import { Icon, Stack, Text, useStyles2 } from '@grafana/ui';

import type { TimelineEntry, TimelineKind } from '../../../contract/incidents';
import { InlineCode } from '../../components/InlineCode';
import { Panel } from '../../components/Panel';
import { EmptyNote } from '../../components/states';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';

const KIND_ICON: Record<TimelineKind, IconName> = {
  alert_fired: 'fire',
  alert_resolved: 'check-circle',
  state_changed: 'exchange-alt',
  note: 'comment-alt',
  runbook_opened: 'book-open',
  checklist_step_done: 'list-ul',
  saved_query_opened: 'compass',
  approval_requested: 'shield',
  approval_decided: 'shield-exclamation',
  action_executed: 'bolt',
  action_failed: 'times-circle',
  verification_passed: 'check-circle',
  verification_failed: 'exclamation-triangle',
  feedback_recorded: 'star',
  acknowledged: 'check',
  assigned: 'user',
  severity_changed: 'arrow-up',
  signal_changed: 'tag-alt',
  escalated: 'arrow-up',
  page_sent: 'bell',
  page_failed: 'bell-slash',
  handoff_summary: 'clipboard-alt',
  status_update: 'rss',
  postmortem_created: 'file-alt',
  postmortem_published: 'file-alt',
  recommendation_overridden: 'exchange-alt',
};

/** Everything that happened, newest first. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const s = useStyles2(getStyles);
  const newestFirst = entries
    .slice()
    .sort((a, b) => (a.at === b.at ? b.id.localeCompare(a.id) : b.at.localeCompare(a.at)));
  return (
    <Panel title={`Timeline (${entries.length})`} testId={testIds.incident.timeline}>
      {newestFirst.length === 0 ? (
        <EmptyNote>Nothing recorded yet.</EmptyNote>
      ) : (
        <ol className={s.list}>
          {newestFirst.map((entry) => (
            <li key={entry.id} className={s.entry} data-testid={testIds.incident.timelineEntry} data-kind={entry.kind}>
              <span className={s.icon} aria-hidden>
                <Icon name={KIND_ICON[entry.kind]} />
              </span>
              <Stack direction="column" gap={0}>
                <span>
                  <InlineCode text={entry.summary} />
                </span>
                <Text variant="bodySmall" color="secondary">
                  {formatDateTime(entry.at)} · {entry.actor} · {entry.kind.replace(/_/g, ' ')}
                  {entry.correlation_id ? ` · ${entry.correlation_id}` : ''}
                </Text>
              </Stack>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', padding: 0, margin: 0 }),
  entry: css({
    display: 'flex',
    gap: theme.spacing(1.5),
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    '&:last-child': { borderBottom: 'none' },
  }),
  icon: css({ color: theme.colors.text.secondary, paddingTop: 2 }),
});
