import React, { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Combobox, FilterInput, Input, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { IncidentSummary } from '../../../contract/incidents';
import { AppPage } from '../../components/AppPage';
import { IncidentStatusBadge, SeverityBadge } from '../../components/badges';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState, LoadingState } from '../../components/states';
import { dataTableStyle } from '../../components/tableStyle';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';

/** Filters kept in the URL (so a filtered list is a link), in the API's names. */
const TEXT_FILTERS = [
  ['assignee', 'Assignee'],
  ['owner_team', 'Owner team'],
  ['signal', 'Signal'],
  ['tenant', 'Tenant'],
  ['project', 'Project'],
  ['resource_name', 'Resource name'],
  ['trace_id', 'Trace ID'],
  ['correlation_id', 'Correlation ID'],
] as const;
const FILTER_KEYS = ['q', 'status', 'severity', 'host_role', 'from', 'to', ...TEXT_FILTERS.map(([key]) => key)];
const PAGE_SIZE = 50;

const STATUS_OPTIONS = [
  '',
  'open',
  'detected',
  'triaging',
  'mitigating',
  'monitoring',
  'resolved',
  'closed',
  'reopened',
];
const SEVERITY_OPTIONS = ['', 'sev1', 'sev2', 'sev3', 'sev4'];
const HOST_ROLE_OPTIONS = ['', 'platform_control', 'app_control', 'worker_compute'];

function IncidentsPage() {
  const { api, projectId } = useOps();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const values: Record<string, string> = {};
    for (const key of [...FILTER_KEYS, 'cursor']) {
      const value = params.get(key);
      if (value) {
        values[key] = value;
      }
    }
    return values;
  }, [params]);
  const key = `incidents:${projectId}:${new URLSearchParams(filters).toString()}`;
  const page = useAsync(() => api.incidents({ ...filters, limit: PAGE_SIZE }), key);

  // Any filter change starts again from the first page: a cursor belongs to the filter it was issued for.
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    next.delete('cursor');
    if (value) {
      next.set(name, value);
    } else {
      next.delete(name);
    }
    setParams(next, { replace: true });
  };
  const goTo = (cursor: string | null) => {
    const next = new URLSearchParams(params);
    if (cursor) {
      next.set('cursor', cursor);
    } else {
      next.delete('cursor');
    }
    setParams(next);
  };
  return (
    <AppPage
      testId={testIds.incidents.page}
      subTitle="Every incident, open and closed, newest first. Filters stay in the URL: share the link."
    >
      <IncidentFilters filters={filters} setFilter={setFilter} />
      {page.loading ? (
        <LoadingState text="Loading incidents…" />
      ) : !page.data ? (
        page.error && <ErrorState title="Could not load the incidents" error={page.error} onRetry={page.reload} />
      ) : (
        <Panel title={filters.cursor ? 'Incidents (later page)' : 'Incidents'}>
          {page.data.items.length === 0 ? (
            <EmptyNote>No incident matches these filters.</EmptyNote>
          ) : (
            <IncidentTable incidents={page.data.items} />
          )}
          <Stack gap={1} justifyContent="flex-end">
            {filters.cursor && (
              <Button
                variant="secondary"
                size="sm"
                data-testid={testIds.incidents.firstPage}
                onClick={() => goTo(null)}
              >
                First page
              </Button>
            )}
            {page.data.next_cursor && (
              <Button
                variant="secondary"
                size="sm"
                data-testid={testIds.incidents.nextPage}
                onClick={() => goTo(page.data!.next_cursor)}
              >
                Next page
              </Button>
            )}
          </Stack>
        </Panel>
      )}
    </AppPage>
  );
}

/** The filter bar: search, status/severity/host role choices, text filters and the time range. */
function IncidentFilters({
  filters,
  setFilter,
}: {
  filters: Record<string, string>;
  setFilter: (name: string, value: string) => void;
}) {
  const s = useStyles2(getStyles);
  const select = (name: string, options: string[], label: string, anyLabel: string) => (
    <div data-testid={testIds.incidents.filter(name)}>
      <Combobox
        aria-label={label}
        width={22}
        value={filters[name] ?? ''}
        options={options.map((value) => ({ value, label: value || anyLabel }))}
        onChange={(option) => setFilter(name, option.value)}
      />
    </div>
  );

  return (
    <div className={s.filters} role="search" aria-label="Filter incidents" data-testid={testIds.incidents.filters}>
      <div className={s.search} data-testid={testIds.incidents.filter('q')}>
        <FilterInput
          placeholder="Search title, ID, label (name=value), trace or correlation ID"
          value={filters.q ?? ''}
          onChange={(value) => setFilter('q', value)}
          escapeRegex={false}
        />
      </div>
      {select('status', STATUS_OPTIONS, 'Status', 'Any status')}
      {select('severity', SEVERITY_OPTIONS, 'Severity', 'Any severity')}
      {select('host_role', HOST_ROLE_OPTIONS, 'Host role', 'Any host role')}
      {TEXT_FILTERS.map(([name, label]) => (
        <div key={name} data-testid={testIds.incidents.filter(name)}>
          <Input
            aria-label={label}
            placeholder={label}
            width={24}
            defaultValue={filters[name] ?? ''}
            onBlur={(event) => setFilter(name, event.currentTarget.value.trim())}
          />
        </div>
      ))}
      {(['from', 'to'] as const).map((name) => (
        <div key={name} data-testid={testIds.incidents.filter(name)}>
          <Input
            aria-label={name === 'from' ? 'Active from (ISO time)' : 'Active until (ISO time)'}
            placeholder={name === 'from' ? 'From 2026-11-23T10:00:00Z' : 'To 2026-11-23T11:00:00Z'}
            width={26}
            defaultValue={filters[name] ?? ''}
            onBlur={(event) => setFilter(name, event.currentTarget.value.trim())}
          />
        </div>
      ))}
    </div>
  );
}

function IncidentTable({ incidents }: { incidents: IncidentSummary[] }) {
  const s = useStyles2(getStyles);
  return (
    <table className={s.table}>
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Incident</th>
          <th scope="col">Status</th>
          <th scope="col">Owner</th>
          <th scope="col">Opened</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((incident) => (
          <tr key={incident.id} data-testid={testIds.incidents.row} data-incident-id={incident.id}>
            <td>
              <SeverityBadge severity={incident.severity} />
            </td>
            <td>
              <Stack direction="column" gap={0}>
                <TextLink href={ROUTES.incident(incident.id)} inline={false}>
                  {incident.title}
                </TextLink>
                <Text variant="bodySmall" color="secondary">
                  {incident.signal_key ?? 'unclassified'} · {incident.tenant}/{incident.project}
                  {incident.resource_name ? ` · ${incident.resource_name}` : ''}
                </Text>
              </Stack>
            </td>
            <td>
              <IncidentStatusBadge status={incident.status} />
            </td>
            <td>
              <Text variant="bodySmall">{incident.owner_team ?? 'no owner team'}</Text>
            </td>
            <td>
              <Text variant="bodySmall">{formatDateTime(incident.opened_at)}</Text>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default IncidentsPage;

const getStyles = (theme: GrafanaTheme2) => ({
  filters: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), marginBottom: theme.spacing(2) }),
  search: css({ flex: '1 1 320px', minWidth: 240 }),
  table: css(dataTableStyle(theme, theme.spacing(1)), { 'tr:last-child td': { borderBottom: 'none' } }),
});
