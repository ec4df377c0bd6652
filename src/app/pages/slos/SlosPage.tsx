import React, { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Combobox, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { IncidentSummary } from '../../../contract/incidents';
import type { SloStatus, SloStatusList } from '../../../contract/slo';
import { AppPage } from '../../components/AppPage';
import { Empty, ErrorState, LoadingState } from '../../components/states';
import { dataTableStyle } from '../../components/tableStyle';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { formatPercent } from '../../utils/format';
import { budgetBar, distinct, filterSlos, openIncidentOf, sliNow, type SloFilters } from '../../utils/slos';
import { AlertStateBadge, PolicyAlertBadges, PolicyStateBadge } from './badges';

/** The windows shown per SLO: the ones the page and ticket alerts and the policy's burns read. */
const WINDOWS = ['5m', '1h', '6h', '1d', '3d'] as const;

function SlosPage() {
  const s = useStyles2(getStyles);
  const { api, projectId } = useOps();
  const [params, setParams] = useSearchParams();
  const status = useAsync(() => api.sloStatus(), `slos:${projectId}`);
  // Open incidents of the current project: an SLO links to the one of its signal (never another project's).
  const incidents = useAsync(() => api.incidents({ status: 'open', limit: 500 }), `slo-incidents:${projectId}`);
  const filters: SloFilters = useMemo(
    () => ({ service: params.get('service') ?? '', team: params.get('team') ?? '', state: params.get('state') ?? '' }),
    [params]
  );
  const setFilter = (key: keyof SloFilters, value: string) => {
    const next = new URLSearchParams(params);
    value ? next.set(key, value) : next.delete(key);
    setParams(next, { replace: true });
  };
  const items = useMemo(() => status.data?.items ?? [], [status.data]);
  const shown = useMemo(() => filterSlos(items, filters), [items, filters]);

  return (
    <AppPage
      testId={testIds.slos.page}
      subTitle="Every SLO with its error budget, burn rates, alerts and what the error budget policy obliges the owner team to do now."
    >
      <div className={s.filters} role="search" aria-label="Filter SLOs">
        <div data-testid={testIds.slos.serviceFilter}>
          <Combobox
            aria-label="Service"
            width={30}
            value={filters.service}
            options={[
              { value: '', label: 'Any service' },
              ...distinct(items.map((i) => i.service)).map((v) => ({ value: v, label: v })),
            ]}
            onChange={(option) => setFilter('service', option.value)}
          />
        </div>
        <div data-testid={testIds.slos.teamFilter}>
          <Combobox
            aria-label="Owner team"
            width={26}
            value={filters.team}
            options={[
              { value: '', label: 'Any owner team' },
              ...distinct(items.map((i) => i.owner)).map((v) => ({ value: v, label: v })),
            ]}
            onChange={(option) => setFilter('team', option.value)}
          />
        </div>
        {filters.state && (
          <Badge
            color="orange"
            text={`Showing ${filters.state === 'frozen' ? 'critical or depleted' : filters.state} only`}
          />
        )}
      </div>

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
  return (
    <table className={s.table}>
      <thead>
        <tr>
          <th scope="col">SLO</th>
          <th scope="col">Objective · SLI now</th>
          <th scope="col">Budget remaining (30d)</th>
          <th scope="col">Burn rate</th>
          <th scope="col">Alerts</th>
          <th scope="col">Policy</th>
          <th scope="col">Links</th>
        </tr>
      </thead>
      <tbody>
        {slos.map((slo) => (
          <SloRow key={slo.id} slo={slo} incident={incidents ? openIncidentOf(slo, incidents) : undefined} />
        ))}
      </tbody>
    </table>
  );
}

/** `incident`: undefined while the incident list is unavailable, null when the SLO has no open incident. */
function SloRow({ slo, incident }: { slo: SloStatus; incident: IncidentSummary | null | undefined }) {
  const s = useStyles2(getStyles);
  const sli = sliNow(slo);
  const bar = budgetBar(slo.error_budget_remaining);
  return (
    <tr
      data-testid={testIds.slos.row}
      data-slo-id={slo.id}
      data-state={slo.budget_policy_state ?? 'unknown'}
      data-alert-state={slo.alert_state}
    >
      <td>
        <Stack direction="column" gap={0}>
          <Text weight="medium">{slo.name}</Text>
          <Text variant="bodySmall" color="secondary">
            {slo.service}
            {slo.owner ? ` · team ${slo.owner}` : ''}
          </Text>
        </Stack>
      </td>
      <td>
        <Text>{slo.objective}%</Text>
        <br />
        <Text variant="bodySmall" color={sli === null ? 'secondary' : sli * 100 < slo.objective ? 'error' : 'success'}>
          {sli === null ? 'SLI unknown' : `SLI ${formatPercent(sli, 3)} (5m)`}
        </Text>
      </td>
      <td>
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
      </td>
      <td>
        <Text variant="bodySmall" color={burnText(slo) === null ? 'secondary' : undefined}>
          {burnText(slo) ?? 'unknown'}
        </Text>
      </td>
      <td>
        <Stack direction="column" gap={0.5} alignItems="flex-start">
          <AlertStateBadge state={slo.alert_state} />
          <PolicyAlertBadges alerts={slo.policy_alerts} />
        </Stack>
      </td>
      <td className={s.policy}>
        <PolicyStateBadge state={slo.budget_policy_state} />
        <div data-testid={testIds.slos.obligation}>
          <Text variant="bodySmall" color="secondary">
            {slo.obligation ?? 'State unknown: the policy cannot say what is required until the budget is known.'}
          </Text>
        </div>
      </td>
      <td>
        <Stack direction="column" gap={0.5}>
          {slo.dashboard_url && (
            <TextLink
              href={slo.dashboard_url}
              inline={false}
              variant="bodySmall"
              data-testid={testIds.slos.dashboardLink}
            >
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
      </td>
    </tr>
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
  filters: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'center',
    marginBottom: theme.spacing(2),
  }),
  table: css(dataTableStyle(theme, theme.spacing(1)), { 'tr:last-child td': { borderBottom: 'none' } }),
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
