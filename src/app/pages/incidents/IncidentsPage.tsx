import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, FilterInput, Input, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import { HostRole } from '../../../contract/common';
import type { IncidentSummary } from '../../../contract/incidents';
import { INCIDENT_STATUS, orderOf, SEVERITY } from '../../../contract/vocabulary';
import { AppPage } from '../../components/AppPage';
import { IncidentStatusBadge, SeverityBadge } from '../../components/badges';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState, LoadingState } from '../../components/states';
import { DataTable, FilterBar, FilterSelect, type DataColumn } from '../../components/DataTable';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { useUrlFilters } from '../../hooks/useUrlFilters';
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
const URL_KEYS = [...FILTER_KEYS, 'cursor'];
const PAGE_SIZE = 50;

// The choices are the contract's: `open` (any unresolved status) and then every status in order.
const STATUS_OPTIONS = ['', 'open', ...orderOf(INCIDENT_STATUS)];
const SEVERITY_OPTIONS = ['', ...orderOf(SEVERITY)];
const HOST_ROLE_OPTIONS = ['', ...HostRole.options];

type Filters = Record<string, string>;

function IncidentsPage() {
  const { api, projectId } = useOps();
  // Any filter change starts again from the first page: a cursor belongs to the filter it was issued for.
  const { filters, setFilter, params, setParams } = useUrlFilters(URL_KEYS, ['cursor']);
  const key = `incidents:${projectId}:${new URLSearchParams(filters).toString()}`;
  const page = useAsync(() => api.incidents({ ...filters, limit: PAGE_SIZE }), key);
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
          <Pager onLaterPage={Boolean(filters.cursor)} nextCursor={page.data.next_cursor} goTo={goTo} />
        </Panel>
      )}
    </AppPage>
  );
}

function IncidentFilters({
  filters,
  setFilter,
}: {
  filters: Filters;
  setFilter: (name: string, value: string) => void;
}) {
  const s = useStyles2(getStyles);
  const select = (name: string, options: string[], label: string, anyLabel: string) => (
    <FilterSelect
      testId={testIds.incidents.filter(name)}
      label={label}
      width={22}
      value={filters[name] ?? ''}
      options={options.map((value) => ({ value, label: value || anyLabel }))}
      onChange={(value) => setFilter(name, value)}
    />
  );
  const text = (name: string, label: string, placeholder: string, width: number) => (
    <div key={name} data-testid={testIds.incidents.filter(name)}>
      <Input
        aria-label={label}
        placeholder={placeholder}
        width={width}
        defaultValue={filters[name] ?? ''}
        onBlur={(event) => setFilter(name, event.currentTarget.value.trim())}
      />
    </div>
  );
  return (
    <FilterBar label="Filter incidents" testId={testIds.incidents.filters}>
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
      {TEXT_FILTERS.map(([name, label]) => text(name, label, label, 24))}
      {text('from', 'Active from (ISO time)', 'From 2026-11-23T10:00:00Z', 26)}
      {text('to', 'Active until (ISO time)', 'To 2026-11-23T11:00:00Z', 26)}
    </FilterBar>
  );
}

function Pager({
  onLaterPage,
  nextCursor,
  goTo,
}: {
  onLaterPage: boolean;
  nextCursor: string | null;
  goTo: (cursor: string | null) => void;
}) {
  return (
    <Stack gap={1} justifyContent="flex-end">
      {onLaterPage && (
        <Button variant="secondary" size="sm" data-testid={testIds.incidents.firstPage} onClick={() => goTo(null)}>
          First page
        </Button>
      )}
      {nextCursor && (
        <Button variant="secondary" size="sm" data-testid={testIds.incidents.nextPage} onClick={() => goTo(nextCursor)}>
          Next page
        </Button>
      )}
    </Stack>
  );
}

const INCIDENT_COLUMNS: Array<DataColumn<IncidentSummary>> = [
  { id: 'severity', header: 'Severity', cell: (incident) => <SeverityBadge severity={incident.severity} /> },
  {
    id: 'incident',
    header: 'Incident',
    cell: (incident) => (
      <Stack direction="column" gap={0}>
        <TextLink href={ROUTES.incident(incident.id)} inline={false}>
          {incident.title}
        </TextLink>
        <Text variant="bodySmall" color="secondary">
          {incident.signal_key ?? 'unclassified'} · {incident.tenant}/{incident.project}
          {incident.resource_name ? ` · ${incident.resource_name}` : ''}
        </Text>
      </Stack>
    ),
  },
  { id: 'status', header: 'Status', cell: (incident) => <IncidentStatusBadge status={incident.status} /> },
  {
    id: 'owner',
    header: 'Owner',
    cell: (incident) => <Text variant="bodySmall">{incident.owner_team ?? 'no owner team'}</Text>,
  },
  {
    id: 'opened',
    header: 'Opened',
    cell: (incident) => <Text variant="bodySmall">{formatDateTime(incident.opened_at)}</Text>,
  },
];

function IncidentTable({ incidents }: { incidents: IncidentSummary[] }) {
  return (
    <DataTable
      rows={incidents}
      columns={INCIDENT_COLUMNS}
      rowKey={(incident) => incident.id}
      rowAttributes={(incident) => ({ 'data-testid': testIds.incidents.row, 'data-incident-id': incident.id })}
    />
  );
}

export default IncidentsPage;

const getStyles = (theme: GrafanaTheme2) => ({
  search: css({ flex: '1 1 320px', minWidth: 240 }),
});
