import React, { useCallback, useEffect, useMemo, useRef } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, LinkButton, Stack, Tag, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { ChecklistStep, RunbookDetail } from '../../../contract/catalog';
import type { IncidentDetail } from '../../../contract/incidents';
import { panelLink } from '../../../contract/links';
import { AppPage } from '../../components/AppPage';
import { ReviewBadge, SeverityBadge } from '../../components/badges';
import { Facts, Panel } from '../../components/Panel';
import { RunbookChecklist } from '../../components/RunbookChecklist';
import { SafeMarkdown } from '../../components/SafeMarkdown';
import { EmptyNote, ErrorState, LoadingState } from '../../components/states';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { incidentWriteBlocker } from '../../utils/access';
import { checklistState } from '../../utils/checklist';
import { formatSignalValue } from '../../utils/format';
import { runbookIdByFile } from '../../utils/runbooks';
import { RunbookQueries } from './RunbookQueries';

/** A runbook: rendered safely, with its checklist (ticks go to the incident when opened from one). */
function RunbookPage() {
  const { runbookId = '' } = useParams<{ runbookId: string }>();
  const [params] = useSearchParams();
  const incidentId = params.get('incident');
  const { api, projectId } = useOps();
  const runbook = useAsync(() => api.runbook(runbookId), `runbook:${runbookId}`);
  const incident = useAsync<IncidentDetail | null>(
    () => (incidentId ? api.incident(incidentId) : Promise.resolve(null)),
    `incident:${projectId}:${incidentId}`
  );
  // Only for turning links between runbooks into app links; the page works without it.
  const list = useAsync(() => api.runbooks(), 'runbook-links');

  if (runbook.loading) {
    return (
      <AppPage testId={testIds.runbook.page} pageNav={{ text: runbookId }}>
        <LoadingState text="Loading the runbook…" />
      </AppPage>
    );
  }
  if (!runbook.data) {
    return (
      <AppPage testId={testIds.runbook.page} pageNav={{ text: runbookId }}>
        {runbook.error && (
          <ErrorState title={`Could not load runbook ${runbookId}`} error={runbook.error} onRetry={runbook.reload} />
        )}
        <LinkButton variant="secondary" icon="arrow-left" href={ROUTES.runbooks()}>
          All runbooks
        </LinkButton>
      </AppPage>
    );
  }
  return (
    <RunbookView
      runbook={runbook.data}
      incident={incident.data ?? null}
      incidentError={incident.error ?? null}
      reloadIncident={incident.reload}
      links={list.data ? runbookIdByFile(list.data.items) : null}
    />
  );
}

function RunbookView({
  runbook,
  incident,
  incidentError,
  reloadIncident,
  links,
}: {
  runbook: RunbookDetail;
  incident: IncidentDetail | null;
  incidentError: ReturnType<typeof useAsync>['error'] | null;
  reloadIncident: () => Promise<void>;
  links: Map<string, string> | null;
}) {
  const s = useStyles2(getStyles);
  const { api, role, granted } = useOps();
  const blocker = incident
    ? incidentWriteBlocker(granted, role)
    : 'Open this runbook from an incident to record checklist ticks on its timeline.';
  const checked = useMemo(
    () => (incident ? checklistState(incident.timeline) : new Map<string, boolean>()),
    [incident]
  );
  const resolveLink = useCallback(
    (href: string) => {
      const file = href.split(/[?#]/)[0].split('/').pop() ?? '';
      const id = links?.get(file);
      return id ? ROUTES.runbook(id, incident?.id) : null;
    },
    [links, incident?.id]
  );

  // Opening a runbook from an incident is itself worth a timeline line (once per page view).
  const recorded = useRef<string | null>(null);
  useEffect(() => {
    if (incident && !incidentWriteBlocker(granted, role) && recorded.current !== `${incident.id}:${runbook.id}`) {
      recorded.current = `${incident.id}:${runbook.id}`;
      api.recordTimeline(incident.id, { kind: 'runbook_opened', runbook_id: runbook.id }).catch(() => undefined);
    }
  }, [api, role, granted, incident, runbook.id]);

  const onTick = async (step: ChecklistStep, done: boolean) => {
    if (!incident) {
      return;
    }
    await api.recordTimeline(incident.id, {
      kind: 'checklist_step_done',
      runbook_id: runbook.id,
      step_id: step.id,
      done,
    });
    await reloadIncident();
  };

  return (
    <AppPage
      testId={testIds.runbook.page}
      pageNav={{ text: runbook.title, url: ROUTES.runbook(runbook.id) }}
      subTitle={
        <Stack direction="row" gap={1} alignItems="center">
          <SeverityBadge severity={runbook.severity_hint} />
          <ReviewBadge status={runbook.review_status} dueAt={runbook.review_due_at} />
          <span>
            <code>{runbook.id}</code> · owner {runbook.owner_team}
          </span>
        </Stack>
      }
    >
      {incident && (
        <Alert
          severity="info"
          title={`Working incident: ${incident.title}`}
          data-testid={testIds.runbook.incidentBanner}
        >
          <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
            <span>Checklist ticks on this page go to the incident&apos;s timeline.</span>
            <TextLink href={ROUTES.incident(incident.id)} inline={false}>
              Back to the incident
            </TextLink>
          </Stack>
        </Alert>
      )}
      {incidentError && (
        <ErrorState title="The incident this link came from could not be loaded" error={incidentError} />
      )}

      <div className={s.columns}>
        <div className={s.main}>
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
        </div>
        <div className={s.side}>
          <Panel title="Checklist">
            <RunbookChecklist
              runbookId={runbook.id}
              steps={runbook.checklist}
              checked={checked}
              onToggle={incident ? onTick : undefined}
              disabledReason={blocker}
              testId={testIds.runbook.checklistStep}
            />
          </Panel>
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
                      <TextLink
                        href={panelLink(signal.dashboard.uid, signal.dashboard.panel_id)}
                        inline
                        variant="bodySmall"
                      >
                        panel
                      </TextLink>
                    </Text>
                  </Stack>
                ))}
              </Stack>
            )}
          </Panel>
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
          <RunbookQueries runbook={runbook} incident={incident} />
        </div>
      </div>
    </AppPage>
  );
}

export default RunbookPage;

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 2fr) minmax(320px, 1fr)',
    gap: theme.spacing(2),
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
  main: css({ minWidth: 0 }),
  side: css({ minWidth: 0 }),
});
