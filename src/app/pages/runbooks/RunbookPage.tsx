import React, { useEffect, useMemo, useRef } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { LinkButton, Stack } from '@grafana/ui';

import type { ChecklistStep, RunbookDetail } from '../../../contract/catalog';
import type { IncidentDetail } from '../../../contract/incidents';
import { AppPage } from '../../components/AppPage';
import { Columns } from '../../components/Columns';
import { ReviewBadge, SeverityBadge } from '../../components/badges';
import { Panel } from '../../components/Panel';
import { RunbookChecklist } from '../../components/RunbookChecklist';
import { ErrorState, LoadingState } from '../../components/states';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { incidentWriteBlocker } from '../../utils/access';
import { checklistState } from '../../utils/checklist';
import { runbookIdByFile } from '../../utils/runbooks';
import { RunbookQueries } from './RunbookQueries';
import { IncidentBanner, RunbookAbout, RunbookAlertRules, RunbookContent, RunbookSignals } from './RunbookSections';

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
  const { checked, onTick, blocker } = useIncidentChecklist(runbook, incident, reloadIncident);
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
      {incident && <IncidentBanner incident={incident} />}
      {incidentError && (
        <ErrorState title="The incident this link came from could not be loaded" error={incidentError} />
      )}
      <Columns
        main={<RunbookContent runbook={runbook} incidentId={incident?.id} links={links} />}
        side={
          <>
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
            <RunbookAbout runbook={runbook} />
            <RunbookSignals runbook={runbook} />
            <RunbookAlertRules runbook={runbook} />
            <RunbookQueries runbook={runbook} incident={incident} />
          </>
        }
      />
    </AppPage>
  );
}

/**
 * The checklist against the working incident: its ticks read from the incident's timeline, a tick
 * recorded there, and the page view itself recorded once (opening a runbook is worth a timeline line).
 */
function useIncidentChecklist(
  runbook: RunbookDetail,
  incident: IncidentDetail | null,
  reloadIncident: () => Promise<void>
) {
  const { api, role, granted } = useOps();
  const blocker = incident
    ? incidentWriteBlocker(granted, role)
    : 'Open this runbook from an incident to record checklist ticks on its timeline.';
  const checked = useMemo(
    () => (incident ? checklistState(incident.timeline) : new Map<string, boolean>()),
    [incident]
  );
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
  return { checked, onTick, blocker };
}

export default RunbookPage;
