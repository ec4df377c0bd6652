import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';

import type { ChecklistStep, RunbookDetail } from '../../../contract/catalog';
import type { IncidentDetail } from '../../../contract/incidents';
import { Panel } from '../../components/Panel';
import { RunbookChecklist } from '../../components/RunbookChecklist';
import { ErrorState, LoadingState } from '../../components/states';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { toOpsApiError } from '../../api/errors';
import type { OpsApi } from '../../api/opsApi';

type Loaded = { id: string; detail: RunbookDetail | null; error: ReturnType<typeof toOpsApiError> | null };

/** The incident's runbooks, each with its step checklist; ticks go to the incident timeline. */
export function IncidentRunbooks({
  incident,
  checked,
  onTick,
  blocker,
}: {
  incident: IncidentDetail;
  checked: Map<string, boolean>;
  onTick: (runbookId: string, step: ChecklistStep, done: boolean) => Promise<void>;
  blocker: string | null;
}) {
  const { api } = useOps();
  const ids = incident.runbooks.map((runbook) => runbook.id);
  const details = useAsync<Loaded[]>(() => loadRunbooks(api, ids), `runbooks:${ids.join(',')}`);

  if (incident.runbooks.length === 0) {
    return (
      <Panel title="Runbooks" testId={testIds.incident.runbook}>
        <Stack direction="row" gap={1} alignItems="center">
          <Badge color="red" icon="exclamation-triangle" text="No runbook" />
          <Text variant="bodySmall">
            No catalog runbook matched this incident&apos;s alerts: add a runbook_id annotation to the alert rule.
          </Text>
        </Stack>
      </Panel>
    );
  }
  return (
    <>
      {incident.runbooks.map((runbook) => (
        <Panel
          key={runbook.id}
          title={`Runbook: ${runbook.title}`}
          testId={testIds.incident.runbook}
          aside={
            <LinkButton size="sm" variant="secondary" icon="book-open" href={ROUTES.runbook(runbook.id, incident.id)}>
              Open runbook
            </LinkButton>
          }
        >
          <Text variant="bodySmall" color="secondary">
            {runbook.id} · owner {runbook.owner_team} · severity hint {runbook.severity_hint}
          </Text>
          <Checklist
            runbookId={runbook.id}
            loading={details.loading}
            loaded={details.data?.find((entry) => entry.id === runbook.id)}
            reload={details.reload}
            checked={checked}
            onTick={onTick}
            blocker={blocker}
          />
        </Panel>
      ))}
    </>
  );
}

/** Every runbook's detail; one that fails to load is an error of its own panel, not of the others. */
async function loadRunbooks(api: OpsApi, ids: string[]): Promise<Loaded[]> {
  const settled = await Promise.allSettled(ids.map((runbookId) => api.runbook(runbookId)));
  return settled.map((result, index) =>
    result.status === 'fulfilled'
      ? { id: ids[index], detail: result.value, error: null }
      : { id: ids[index], detail: null, error: toOpsApiError(result.reason) }
  );
}

function Checklist({
  runbookId,
  loading,
  loaded,
  reload,
  checked,
  onTick,
  blocker,
}: {
  runbookId: string;
  loading: boolean;
  loaded: Loaded | undefined;
  reload: () => Promise<void>;
  checked: Map<string, boolean>;
  onTick: (runbookId: string, step: ChecklistStep, done: boolean) => Promise<void>;
  blocker: string | null;
}) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.checklist}>
      {loading ? (
        <LoadingState text="Loading the checklist…" />
      ) : loaded?.detail ? (
        <RunbookChecklist
          runbookId={runbookId}
          steps={loaded.detail.checklist}
          checked={checked}
          onToggle={(step, done) => onTick(runbookId, step, done)}
          disabledReason={blocker}
          testId={testIds.incident.checklistStep}
        />
      ) : loaded?.error ? (
        <ErrorState title="Could not load this runbook's checklist" error={loaded.error} onRetry={reload} />
      ) : null}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  checklist: css({ marginTop: theme.spacing(1.5) }),
});
