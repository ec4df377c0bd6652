import React from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, LinkButton, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { CorrelationLookup } from '../../../contract/correlation';
import { AppPage } from '../../components/AppPage';
import { IncidentStatusBadge, SeverityBadge } from '../../components/badges';
import { Panel } from '../../components/Panel';
import { CorrelationId, Empty, EmptyNote, ErrorState, LoadingState } from '../../components/states';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { exploreHref } from '../../utils/explore';
import { formatDateTime } from '../../utils/format';
import { CorrelationSearch } from '../ops/InvestigationTools';

function InvestigatePage() {
  const [params] = useSearchParams();
  const correlationId = params.get('correlation_id')?.trim() ?? '';
  const s = useStyles2(getStyles);
  return (
    <AppPage
      testId={testIds.investigate.page}
      subTitle="Everything Opsdeck knows under one correlation ID, and where to look next."
    >
      <div className={s.search}>
        <CorrelationSearch key={correlationId} initial={correlationId} />
      </div>
      {correlationId ? (
        <Lookup correlationId={correlationId} />
      ) : (
        <Empty variant="call-to-action" message="Paste a correlation ID from an error, a log line or a user report." />
      )}
    </AppPage>
  );
}

function Lookup({ correlationId }: { correlationId: string }) {
  const { api, projectId } = useOps();
  const lookup = useAsync(() => api.correlation(correlationId), `correlation:${projectId}:${correlationId}`);
  if (lookup.loading) {
    return <LoadingState text={`Looking up ${correlationId}…`} />;
  }
  if (!lookup.data) {
    return lookup.error ? (
      <ErrorState title={`Could not look up ${correlationId}`} error={lookup.error} onRetry={lookup.reload} />
    ) : null;
  }
  return <Results result={lookup.data} />;
}

function Results({ result }: { result: CorrelationLookup }) {
  const nothing = result.incidents.length + result.alerts.length + result.audit.length + result.requests.length === 0;
  return (
    <div data-testid={testIds.investigate.results}>
      <LookFurther result={result} />
      {nothing && (
        <Empty message="Opsdeck has no incident, alert, audit row or API request under this ID. Try the Explore links: logs and traces may still know it." />
      )}
      {result.incidents.length > 0 && <IncidentHits incidents={result.incidents} />}
      <HitTable title="Alerts" rows={result.alerts} columns={ALERT_COLUMNS} rowKey={(alert) => alert.fingerprint} />
      <HitTable
        title="API requests"
        rows={result.requests}
        columns={REQUEST_COLUMNS}
        rowKey={(request, index) => `${request.at}:${index}`}
      />
      <HitTable title="Audit log" rows={result.audit} columns={AUDIT_COLUMNS} rowKey={(row) => row.id} />
    </div>
  );
}

/** Explore links and trace IDs: where logs and traces may know more than Opsdeck. */
function LookFurther({ result }: { result: CorrelationLookup }) {
  const { settings } = useOps();
  return (
    <Panel title="Look further">
      <Stack direction="column" gap={1}>
        <CorrelationId id={result.correlation_id} />
        <Stack direction="row" gap={1} wrap="wrap">
          {result.explore_links.length === 0 ? (
            <EmptyNote>No Explore link could be built for this ID.</EmptyNote>
          ) : (
            result.explore_links.map((link) => (
              <LinkButton
                key={link.url}
                size="sm"
                variant="secondary"
                fill="outline"
                icon="compass"
                href={exploreHref(link.url, link.datasource, settings) ?? link.url}
              >
                {link.label}
              </LinkButton>
            ))
          )}
        </Stack>
        {result.trace_ids.length > 0 && (
          <Text variant="bodySmall" color="secondary">
            Trace IDs: <code>{result.trace_ids.join(', ')}</code>
          </Text>
        )}
      </Stack>
    </Panel>
  );
}

function IncidentHits({ incidents }: { incidents: CorrelationLookup['incidents'] }) {
  return (
    <Panel title={`Incidents (${incidents.length})`}>
      <Stack direction="column" gap={1}>
        {incidents.map((incident) => (
          <Stack key={incident.id} direction="row" gap={1} alignItems="center" wrap="wrap">
            <SeverityBadge severity={incident.severity} />
            <IncidentStatusBadge status={incident.status} />
            <TextLink href={ROUTES.incident(incident.id)} inline={false}>
              {incident.title}
            </TextLink>
            <Text variant="bodySmall" color="secondary">
              {incident.tenant}/{incident.project} · opened {formatDateTime(incident.opened_at)}
            </Text>
          </Stack>
        ))}
      </Stack>
    </Panel>
  );
}

/** One kind of hit as a titled table; nothing when the lookup found none of that kind. */
function HitTable<T>({
  title,
  rows,
  columns,
  rowKey,
}: {
  title: string;
  rows: T[];
  columns: Array<DataColumn<T>>;
  rowKey: (row: T, index: number) => React.Key;
}) {
  if (rows.length === 0) {
    return null;
  }
  return (
    <Panel title={`${title} (${rows.length})`}>
      <DataTable variant="dense" rows={rows} columns={columns} rowKey={rowKey} />
    </Panel>
  );
}

const ALERT_COLUMNS: Array<DataColumn<CorrelationLookup['alerts'][number]>> = [
  { id: 'alert', header: 'Alert', cell: (alert) => alert.alertname },
  {
    id: 'status',
    header: 'Status',
    cell: (alert) => <Badge color={alert.status === 'firing' ? 'red' : 'green'} text={alert.status} />,
  },
  { id: 'started', header: 'Started', cell: (alert) => formatDateTime(alert.starts_at) },
  {
    id: 'incident',
    header: 'Incident',
    cell: (alert) => (
      <TextLink href={ROUTES.incident(alert.incident_id)} inline={false} variant="bodySmall">
        {alert.incident_id}
      </TextLink>
    ),
  },
];

const REQUEST_COLUMNS: Array<DataColumn<CorrelationLookup['requests'][number]>> = [
  { id: 'at', header: 'At', cell: (request) => formatDateTime(request.at) },
  {
    id: 'request',
    header: 'Request',
    cell: (request) => (
      <code>
        {request.method} {request.route}
      </code>
    ),
  },
  {
    id: 'status',
    header: 'Status',
    cell: (request) => (
      <Badge
        color={request.status >= 500 ? 'red' : request.status >= 400 ? 'orange' : 'green'}
        text={String(request.status)}
      />
    ),
  },
  { id: 'error', header: 'Error', cell: (request) => request.error_code ?? '—' },
  {
    id: 'duration',
    header: 'Duration',
    cell: (request) => (request.duration_ms === null ? '—' : `${Math.round(request.duration_ms)} ms`),
  },
];

const AUDIT_COLUMNS: Array<DataColumn<CorrelationLookup['audit'][number]>> = [
  { id: 'at', header: 'At', cell: (row) => formatDateTime(row.occurred_at) },
  {
    id: 'actor',
    header: 'Actor',
    cell: (row) => (
      <>
        {row.actor}{' '}
        <Text color="secondary" variant="bodySmall">
          ({row.role})
        </Text>
      </>
    ),
  },
  { id: 'action', header: 'Action', cell: (row) => <code>{row.action}</code> },
  {
    id: 'target',
    header: 'Target',
    cell: (row) => (
      <>
        {row.target_type} {row.target_id}
      </>
    ),
  },
];

export default InvestigatePage;

const getStyles = (theme: GrafanaTheme2) => ({
  search: css({ maxWidth: 720, marginBottom: theme.spacing(3) }),
});
