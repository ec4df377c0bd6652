import React, { useCallback, useMemo } from 'react';
import { useParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, TextLink, useStyles2 } from '@grafana/ui';

import type { ChecklistStep } from '../../../contract/catalog';
import type { IncidentDetail } from '../../../contract/incidents';
import { AppPage } from '../../components/AppPage';
import { IncidentStatusBadge, SeverityBadge } from '../../components/badges';
import { Facts, Panel } from '../../components/Panel';
import { ResponseControls } from '../../components/ResponseControls';
import { ErrorState, LoadingState } from '../../components/states';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { useNow } from '../../hooks/useNow';
import { testIds } from '../../testIds';
import { incidentWriteBlocker } from '../../utils/access';
import { checklistState } from '../../utils/checklist';
import { formatDateTime, formatDuration } from '../../utils/format';
import { IdValue } from '../../components/IdValue';
import { AlertsTable } from './AlertsTable';
import { IncidentApprovals } from './IncidentApprovals';
import { IncidentRunbooks } from './IncidentRunbooks';
import { NoteForm } from './NoteForm';
import { SavedQueries } from './SavedQueries';
import { Timeline } from './Timeline';
import { PostmortemPanel } from './PostmortemPanel';
import { RequestActionPanel } from './RequestActionPanel';
import { UpdatesPanel } from './UpdatesPanel';
import { Transitions } from './Transitions';

function IncidentPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { api, projectId } = useOps();
  const incident = useAsync(() => api.incident(id), `incident:${projectId}:${id}`);

  if (incident.loading) {
    return (
      <AppPage testId={testIds.incident.page} pageNav={{ text: 'Incident' }}>
        <LoadingState text="Loading the incident…" />
      </AppPage>
    );
  }
  if (!incident.data) {
    return (
      <AppPage testId={testIds.incident.page} pageNav={{ text: 'Incident' }}>
        {incident.error && (
          <ErrorState title={`Could not load incident ${id}`} error={incident.error} onRetry={incident.reload} />
        )}
      </AppPage>
    );
  }
  return <IncidentView incident={incident.data} reload={incident.reload} />;
}

function IncidentView({ incident, reload }: { incident: IncidentDetail; reload: () => Promise<void> }) {
  const s = useStyles2(getStyles);
  const { api, role, granted } = useOps();
  const blocker = incidentWriteBlocker(granted, role);
  const now = useNow(30_000);
  const checked = useMemo(() => checklistState(incident.timeline), [incident.timeline]);

  const onTick = useCallback(
    async (runbookId: string, step: ChecklistStep, done: boolean) => {
      await api.recordTimeline(incident.id, {
        kind: 'checklist_step_done',
        runbook_id: runbookId,
        step_id: step.id,
        done,
      });
      await reload();
    },
    [api, incident.id, reload]
  );
  const onQueryOpened = useCallback(
    (queryId: string) => {
      if (!blocker) {
        // Best-effort: the timeline notes which query was opened; navigation never waits for it.
        api.recordTimeline(incident.id, { kind: 'saved_query_opened', query_id: queryId }).catch(() => undefined);
      }
    },
    [api, blocker, incident.id]
  );

  return (
    <AppPage
      testId={testIds.incident.page}
      pageNav={{ text: incident.title, subTitle: `${incident.tenant}/${incident.project}` }}
      subTitle={
        <Stack direction="row" gap={1} alignItems="center">
          <SeverityBadge severity={incident.severity} />
          <IncidentStatusBadge status={incident.status} />
          <span>
            {/* The incident's grouping key (what its alerts share), not necessarily a catalog signal. */}
            {incident.tenant}/{incident.project} · grouped by <code>{incident.grouping_key}</code>
          </span>
        </Stack>
      }
    >
      <IncidentSummaryPanel incident={incident} now={now} />

      <div className={s.columns}>
        <div className={s.main}>
          <IncidentRunbooks incident={incident} checked={checked} onTick={onTick} blocker={blocker} />
          <AlertsTable alerts={incident.alerts} />
          <PostmortemPanel incident={incident} blocker={blocker} onDone={reload} />
          <Timeline entries={incident.timeline} />
        </div>
        <div className={s.side}>
          <Panel title="Response">
            <ResponseControls incident={incident} blocker={blocker} now={now} onDone={reload} />
          </Panel>
          <Transitions incident={incident} blocker={blocker} onDone={reload} />
          <SavedQueries queries={incident.saved_queries} onOpen={onQueryOpened} />
          <RequestActionPanel incident={incident} blocker={blocker} onDone={reload} />
          <IncidentApprovals incidentId={incident.id} />
          <NoteForm incidentId={incident.id} blocker={blocker} onDone={reload} />
          <UpdatesPanel incidentId={incident.id} blocker={blocker} onDone={reload} />
        </div>
      </div>
    </AppPage>
  );
}

/** The facts an incident commander reads first: how long, how bad, who owns it, what to search for. */
function IncidentSummaryPanel({ incident, now }: { incident: IncidentDetail; now: number }) {
  return (
    <Panel title="Summary" testId={testIds.incident.header}>
      <Facts
        items={[
          ['Opened', formatDateTime(incident.opened_at)],
          ['Open for', formatDuration(openSeconds(incident, now))],
          ['MTTA', formatDuration(incident.mtta_seconds)],
          ['MTTR', formatDuration(incident.mttr_seconds)],
          ['Owner team', incident.owner_team ?? '—'],
          ['Alerts', `${incident.alert_counts.firing} firing · ${incident.alert_counts.resolved} resolved`],
          ['First failing host role', incident.host_role ?? '—'],
          ['SLO burn', incident.slo_burn_rate === null ? '—' : `${incident.slo_burn_rate.toFixed(1)}×`],
          ['Resource', incident.resource_name ? <IdValue value={incident.resource_name} label="resource name" /> : '—'],
          [
            'Correlation IDs',
            incident.correlation_ids.length ? (
              <Stack direction="column" gap={0}>
                {incident.correlation_ids.map((cid) => (
                  <TextLink key={cid} href={ROUTES.investigate(cid)} inline={false} variant="bodySmall">
                    {cid}
                  </TextLink>
                ))}
              </Stack>
            ) : (
              '—'
            ),
          ],
          [
            'Trace IDs',
            incident.trace_ids.length ? (
              <Stack direction="column" gap={0}>
                {incident.trace_ids.map((id) => (
                  <IdValue key={id} value={id} label="trace ID" />
                ))}
              </Stack>
            ) : (
              '—'
            ),
          ],
        ]}
      />
    </Panel>
  );
}

/**
 * From the incident's own opened_at (not its first alert's start, which Alertmanager may date hours
 * earlier) to now, or to when it was resolved: a finished incident's clock does not keep running.
 * A reopened incident may still carry an old resolved_at, so only a finished status stops the clock.
 */
function openSeconds(
  incident: Pick<IncidentDetail, 'status' | 'opened_at' | 'resolved_at' | 'closed_at'>,
  now: number
): number {
  const finished = incident.status === 'resolved' || incident.status === 'closed';
  const end = finished ? (incident.resolved_at ?? incident.closed_at) : null;
  return ((end ? Date.parse(end) : now) - Date.parse(incident.opened_at)) / 1000;
}

export default IncidentPage;

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1fr)',
    gap: theme.spacing(2),
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
  main: css({ minWidth: 0 }),
  side: css({ minWidth: 0 }),
});
