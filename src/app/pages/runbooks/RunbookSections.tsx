// The sections of the runbook page: the working-incident banner, the runbook itself, and what the
// catalog says about it (metadata, signals, alert rules). Split from RunbookPage.tsx to keep each part short.
import React, { useCallback } from 'react';
import { Alert, Badge, Stack, Tag, Text, TextLink } from '@grafana/ui';

import type { RunbookDetail } from '../../../contract/catalog';
import type { IncidentDetail } from '../../../contract/incidents';
import { panelLink } from '../../../contract/links';
import { SeverityBadge } from '../../components/badges';
import { Facts, Panel } from '../../components/Panel';
import { SafeMarkdown } from '../../components/SafeMarkdown';
import { EmptyNote } from '../../components/states';
import { ROUTES } from '../../constants';
import { testIds } from '../../testIds';
import { formatSignalValue } from '../../utils/format';

type Props = { runbook: RunbookDetail };

/** Says that checklist ticks go to the incident this page was opened from. */
export function IncidentBanner({ incident }: { incident: IncidentDetail }) {
  return (
    <Alert severity="info" title={`Working incident: ${incident.title}`} data-testid={testIds.runbook.incidentBanner}>
      <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
        <span>Checklist ticks on this page go to the incident&apos;s timeline.</span>
        <TextLink href={ROUTES.incident(incident.id)} inline={false}>
          Back to the incident
        </TextLink>
      </Stack>
    </Alert>
  );
}

/**
 * The runbook's Markdown, rendered safely; links to other runbooks of the catalog (`links`: file name →
 * runbook ID) become app links that keep the working incident.
 */
export function RunbookContent({
  runbook,
  incidentId,
  links,
}: Props & { incidentId: string | undefined; links: Map<string, string> | null }) {
  const resolveLink = useCallback(
    (href: string) => {
      const file = href.split(/[?#]/)[0].split('/').pop() ?? '';
      const id = links?.get(file);
      return id ? ROUTES.runbook(id, incidentId) : null;
    },
    [links, incidentId]
  );
  return (
    <Panel title="Runbook">
      {runbook.content ? (
        <SafeMarkdown
          markdown={runbook.content}
          resolveLink={resolveLink}
          title={runbook.title}
          testId={testIds.runbook.markdown}
        />
      ) : (
        <Stack direction="column" gap={1}>
          <EmptyNote>The content of this runbook lives outside the repository.</EmptyNote>
          {/^https:\/\//.test(runbook.url) && (
            <TextLink href={runbook.url} external>
              {runbook.url}
            </TextLink>
          )}
        </Stack>
      )}
    </Panel>
  );
}

export function RunbookAbout({ runbook }: Props) {
  return (
    <Panel title="About" testId={testIds.runbook.metadata}>
      <Facts
        items={[
          ['Owner team', runbook.owner_team],
          ['Severity hint', runbook.severity_hint.toUpperCase()],
          ['Last reviewed', runbook.last_reviewed_at],
          ['Next review due', runbook.review_due_at],
          ['Source', <code key="url">{runbook.url}</code>],
          ['Signal groups', runbook.signal_groups.join(', ') || '—'],
        ]}
      />
      {runbook.tags.length > 0 && (
        <Stack direction="row" gap={0.5} wrap="wrap">
          {runbook.tags.map((tag) => (
            <Tag key={tag} name={tag} />
          ))}
        </Stack>
      )}
    </Panel>
  );
}

export function RunbookSignals({ runbook }: Props) {
  return (
    <Panel title="Signals" testId={testIds.runbook.signals}>
      {runbook.signal_details.length === 0 ? (
        <EmptyNote>No signal points here.</EmptyNote>
      ) : (
        <Stack direction="column" gap={1.5}>
          {runbook.signal_details.map((signal) => (
            <Stack key={signal.key} direction="column" gap={0.25}>
              <Stack direction="row" gap={1} alignItems="center">
                <Text weight="medium">{signal.title}</Text>
                <SeverityBadge severity={signal.default_severity} />
              </Stack>
              <Text variant="bodySmall" color="secondary">
                {signal.description}
              </Text>
              <Text variant="bodySmall">
                Fires when {signal.comparison} {formatSignalValue(signal.threshold, signal.unit)}
                {signal.warn_threshold !== undefined
                  ? ` (warn ${formatSignalValue(signal.warn_threshold, signal.unit)})`
                  : ''}{' '}
                ·{' '}
                <TextLink href={panelLink(signal.dashboard.uid, signal.dashboard.panel_id)} inline variant="bodySmall">
                  panel
                </TextLink>
              </Text>
            </Stack>
          ))}
        </Stack>
      )}
    </Panel>
  );
}

export function RunbookAlertRules({ runbook }: Props) {
  return (
    <Panel title="Alert rules pointing here" testId={testIds.runbook.alertRules}>
      {runbook.alert_rules.length === 0 ? (
        <EmptyNote>No alert rule references this runbook.</EmptyNote>
      ) : (
        <Stack direction="column" gap={0.5}>
          {runbook.alert_rules.map((rule) => (
            <Stack key={`${rule.file}:${rule.name}`} direction="row" gap={1} alignItems="center" wrap="wrap">
              <Badge color={rule.kind === 'grafana' ? 'orange' : 'blue'} text={rule.kind} />
              <Text>{rule.name}</Text>
              <Text variant="bodySmall" color="secondary">
                {rule.file}
              </Text>
            </Stack>
          ))}
        </Stack>
      )}
    </Panel>
  );
}
