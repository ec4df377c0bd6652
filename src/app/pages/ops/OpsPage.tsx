import React, { useCallback, useState } from 'react';
import { Alert } from '@grafana/ui';

import { AppPage } from '../../components/AppPage';
import { CorrelationId, ErrorState, LoadingState } from '../../components/states';
import { DEFAULT_REFRESH_MS, REFRESH_INTERVALS_MS, STORAGE_KEYS } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { useAutoRefresh } from '../../hooks/useAutoRefresh';
import { testIds } from '../../testIds';
import { readStored, writeStored } from '../../utils/storage';
import { ActionRequired } from './ActionRequired';
import { DecisionHeader } from './DecisionHeader';
import { FleetDetail } from './FleetDetail';
import { HealthSummary } from './HealthSummary';
import { InvestigationTools } from './InvestigationTools';
import { RefreshControls } from './RefreshControls';

function storedInterval(): number {
  const raw = readStored(STORAGE_KEYS.refresh);
  const stored = raw === null ? NaN : Number(raw);
  return (REFRESH_INTERVALS_MS as readonly number[]).includes(stored) ? stored : DEFAULT_REFRESH_MS;
}

/** The decision-first page: five sections in a fixed order, refreshed in place. */
function OpsPage() {
  const { api, projectId } = useOps();
  const overview = useAsync(() => api.overview(), `overview:${projectId}`);
  const [intervalMs, setIntervalMs] = useState(storedInterval);
  const [paused, setPaused] = useState(false);
  useAutoRefresh(overview.reload, intervalMs, paused);

  const onIntervalChange = useCallback((ms: number) => {
    writeStored(STORAGE_KEYS.refresh, String(ms));
    setIntervalMs(ms);
    setPaused(false);
  }, []);

  const { data, error } = overview;
  return (
    <AppPage
      testId={testIds.ops.page}
      subTitle="What is broken, what to do first, and which runbook and query prove it."
      actions={
        <RefreshControls
          intervalMs={intervalMs}
          onIntervalChange={onIntervalChange}
          paused={paused}
          onPausedChange={setPaused}
          onRefresh={overview.reload}
          refreshing={overview.refreshing}
          loadedAt={overview.loadedAt}
        />
      }
    >
      {overview.loading ? (
        <LoadingState text="Loading the ops overview…" />
      ) : !data ? (
        error && <ErrorState title="Could not load the ops overview" error={error} onRetry={overview.reload} />
      ) : (
        <>
          {error && (
            <Alert severity="warning" title="The last refresh failed: showing the previous answer">
              {error.message}
              {error.correlationId && <CorrelationId id={error.correlationId} />}
            </Alert>
          )}
          <DecisionHeader header={data.decision_header} />
          <ActionRequired
            cards={data.action_required.cards}
            openTotal={data.decision_header.open_incidents.total}
            onChanged={overview.reload}
          />
          <HealthSummary blocks={data.health_summary.blocks} />
          <InvestigationTools tools={data.investigation_tools} />
          <FleetDetail rows={data.fleet_detail.rows} />
        </>
      )}
    </AppPage>
  );
}

export default OpsPage;
