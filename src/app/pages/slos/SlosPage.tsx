import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { IncidentSummary } from '../../../contract/incidents';
import type { SloStatus, SloStatusList } from '../../../contract/slo';
import { AppPage } from '../../components/AppPage';
import { Empty, ErrorState, LoadingState } from '../../components/states';
import { DataTable, FilterBar, FilterSelect, type DataColumn } from '../../components/DataTable';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { testIds } from '../../testIds';
import { formatPercent } from '../../utils/format';
import { budgetBar, distinct, filterSlos, openIncidentOf, sliNow } from '../../utils/slos';
import { AlertStateBadge, PolicyAlertBadges, PolicyStateBadge } from './badges';

/** The windows shown per SLO: the ones the page and ticket alerts and the policy's burns read. */
const WINDOWS = ['5m', '1h', '6h', '1d', '3d'] as const;

const FILTER_KEYS = ['service', 'team', 'state'] as const;
/** The choice filters; their options are the values the SLOs have. (`state` comes only from links.) */
const SELECTS = [
  {
    key: 'service',
    label: 'Service',
    anyLabel: 'Any service',
    width: 30,
    testId: testIds.slos.serviceFilter,
    valueOf: (slo: SloStatus) => slo.service,
  },
  {
    key: 'team',
    label: 'Owner team',
    anyLabel: 'Any owner team',
    width: 26,
    testId: testIds.slos.teamFilter,
    valueOf: (slo: SloStatus) => slo.owner,
  },
] as const;

function SlosPage() {
  const { api, projectId } = useOps();
  const status = useAsync(() => api.sloStatus(), `slos:${projectId}`);
  // Open incidents of the current project: an SLO links to the one of its signal (never another project's).
  const incidents = useAsync(() => api.incidents({ status: 'open', limit: 500 }), `slo-incidents:${projectId}`);
  const { filters, setFilter } = useUrlFilters(FILTER_KEYS);
  const items = useMemo(() => status.data?.items ?? [], [status.data]);
  const shown = useMemo(() => filterSlos(items, filters), [items, filters]);
  const choices = (values: Array<string | null>, anyLabel: string) => [
    { value: '', label: anyLabel },
    ...distinct(values).map((v) => ({ value: v, label: v })),
  ];

  return (
    <AppPage
      testId={testIds.slos.page}
      subTitle="Every SLO with its error budget, burn rates, alerts and what the error budget policy obliges the owner team to do now."
    >
      <FilterBar label="Filter SLOs">
        {SELECTS.map(({ key, anyLabel, valueOf, ...select }) => (
          <FilterSelect
            key={key}
            {...select}
            value={filters[key]}
            options={choices(items.map(valueOf), anyLabel)}
            onChange={(value) => setFilter(key, value)}
          />
        ))}
        {filters.state && (
          <Badge
            color="orange"
            text={`Showing ${filters.state === 'frozen' ? 'critical or depleted' : filters.state} only`}
          />
        )}
      </FilterBar>

      {status.loading ? (
        <LoadingState text="Loading SLO status…" />
      ) : !status.data ? (
        status.error && (
          <ErrorState title="Could not load the SLO status" error={status.error} onRetry={status.reload} />
        )
      ) : (
        <>
          <SourceMode list={status.data} />
          {shown.length === 0 ? (
            <Empty
              message={
                items.length === 0 ? 'The catalog has no SLOs (catalog/slos/).' : 'No SLO matches these filters.'
              }
            />
          ) : (
            <SloTable slos={shown} incidents={incidents.data?.items ?? null} />
          )}
        </>
      )}
    </AppPage>
  );
}

/** Where the numbers come from, said plainly; without Prometheus, what is unknown. */
function SourceMode({ list }: { list: SloStatusList }) {
  const title =
    list.source_mode === 'backend'
      ? 'Numbers from Prometheus (the SLO recording rules)'
      : list.degraded
        ? 'Prometheus failed: showing only the alerts Alertmanager delivered'
        : 'No Prometheus configured: budgets and burn rates are unknown';
  return (
    <div
      data-testid={testIds.slos.sourceMode}
      data-source-mode={list.source_mode}
      data-degraded={String(list.degraded)}
    >
      <Alert severity={list.source_mode === 'backend' ? 'info' : 'warning'} title={title} bottomSpacing={2}>
        {list.guidance}
      </Alert>
    </div>
  );
}

function SloTable({ slos, incidents }: { slos: SloStatus[]; incidents: IncidentSummary[] | null }) {
  const s = useStyles2(getStyles);
  // `incident`: undefined while the incident list is unavailable, null when the SLO has no open incident.
  const incidentOf = (slo: SloStatus) => (incidents ? openIncidentOf(slo, incidents) : undefined);
  const columns: Array<DataColumn<SloStatus>> = [
    { id: 'slo', header: 'SLO', cell: (slo) => <SloName slo={slo} /> },
    { id: 'objective', header: 'Objective · SLI now', cell: (slo) => <ObjectiveCell slo={slo} /> },
    { id: 'budget', header: 'Budget remaining (30d)', cell: (slo) => <BudgetCell slo={slo} /> },
    {
      id: 'burn',
      header: 'Burn rate',
      cell: (slo) => (
        <Text variant="bodySmall" color={burnText(slo) === null ? 'secondary' : undefined}>
          {burnText(slo) ?? 'unknown'}
        </Text>
      ),
    },
    {
      id: 'alerts',
      header: 'Alerts',
      cell: (slo) => (
        <Stack direction="column" gap={0.5} alignItems="flex-start">
          <AlertStateBadge state={slo.alert_state} />
          <PolicyAlertBadges alerts={slo.policy_alerts} />
        </Stack>
      ),
    },
    { id: 'policy', header: 'Policy', cellClassName: s.policy, cell: (slo) => <PolicyCell slo={slo} /> },
    { id: 'links', header: 'Links', cell: (slo) => <SloLinks slo={slo} incident={incidentOf(slo)} /> },
  ];
  return (
    <DataTable
      rows={slos}
      columns={columns}
      rowKey={(slo) => slo.id}
      rowAttributes={(slo) => ({
        'data-testid': testIds.slos.row,
        'data-slo-id': slo.id,
        'data-state': slo.budget_policy_state ?? 'unknown',
        'data-alert-state': slo.alert_state,
      })}
    />
  );
}

function SloName({ slo }: { slo: SloStatus }) {
  return (
    <Stack direction="column" gap={0}>
      <Text weight="medium">{slo.name}</Text>
      <Text variant="bodySmall" color="secondary">
        {slo.service}
        {slo.owner ? ` · team ${slo.owner}` : ''}
      </Text>
    </Stack>
  );
}

function ObjectiveCell({ slo }: { slo: SloStatus }) {
  const sli = sliNow(slo);
  return (
    <>
      <Text>{slo.objective}%</Text>
      <br />
      <Text variant="bodySmall" color={sli === null ? 'secondary' : sli * 100 < slo.objective ? 'error' : 'success'}>
        {sli === null ? 'SLI unknown' : `SLI ${formatPercent(sli, 3)} (5m)`}
      </Text>
    </>
  );
}

function BudgetCell({ slo }: { slo: SloStatus }) {
  const s = useStyles2(getStyles);
  const bar = budgetBar(slo.error_budget_remaining);
  return (
    <>
      <div
        className={s.bar}
        role="meter"
        aria-label={`Error budget remaining for ${slo.id}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={bar.fill}
        aria-valuetext={bar.label}
        data-testid={testIds.slos.budgetBar}
      >
        <div className={s.barFill(slo.budget_policy_state)} style={{ width: `${bar.fill}%` }} />
      </div>
      <Text variant="bodySmall" color={slo.error_budget_remaining === null ? 'secondary' : undefined}>
        {slo.error_budget_remaining === null && slo.budget_policy_state === 'depleted'
          ? '≤ 0% (the depleted alert fires)'
          : bar.label}
      </Text>
    </>
  );
}

function PolicyCell({ slo }: { slo: SloStatus }) {
  return (
    <>
      <PolicyStateBadge state={slo.budget_policy_state} />
      <div data-testid={testIds.slos.obligation}>
        <Text variant="bodySmall" color="secondary">
          {slo.obligation ?? 'State unknown: the policy cannot say what is required until the budget is known.'}
        </Text>
      </div>
    </>
  );
}

function SloLinks({ slo, incident }: { slo: SloStatus; incident: IncidentSummary | null | undefined }) {
  return (
    <Stack direction="column" gap={0.5}>
      {slo.dashboard_url && (
        <TextLink href={slo.dashboard_url} inline={false} variant="bodySmall" data-testid={testIds.slos.dashboardLink}>
          Burn dashboard
        </TextLink>
      )}
      {slo.runbook_id && (
        <TextLink
          href={ROUTES.runbook(slo.runbook_id)}
          inline={false}
          variant="bodySmall"
          data-testid={testIds.slos.runbookLink}
        >
          Runbook
        </TextLink>
      )}
      {incident ? (
        <TextLink
          href={ROUTES.incident(incident.id)}
          inline={false}
          variant="bodySmall"
          data-testid={testIds.slos.incidentLink}
        >
          Open incident
        </TextLink>
      ) : (
        <Text variant="bodySmall" color="secondary">
          {incident === null ? 'No open incident' : 'Incidents unavailable'}
        </Text>
      )}
    </Stack>
  );
}

/** "5m 4.2× · 1h 3.9× …", or null when no window is known (no Prometheus, or no traffic). */
function burnText(slo: SloStatus): string | null {
  const known = WINDOWS.filter((w) => typeof slo.burn_rates[w] === 'number');
  if (known.length === 0) {
    return null;
  }
  return WINDOWS.map((w) => {
    const rate = slo.burn_rates[w];
    return `${w} ${typeof rate === 'number' ? `${Number(rate.toFixed(2))}×` : '?'}`;
  }).join(' · ');
}

export default SlosPage;

const getStyles = (theme: GrafanaTheme2) => ({
  policy: css({ maxWidth: 360 }),
  bar: css({
    width: 140,
    height: theme.spacing(1),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    overflow: 'hidden',
  }),
  barFill: (state: SloStatus['budget_policy_state']) =>
    css({
      height: '100%',
      background:
        state === 'critical'
          ? theme.colors.error.main
          : state === 'depleted'
            ? theme.colors.warning.main
            : state === 'remaining'
              ? theme.colors.success.main
              : theme.colors.text.disabled,
    }),
});
