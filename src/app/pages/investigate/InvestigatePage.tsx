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
import { dataTableStyle } from '../../components/tableStyle';
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
  const s = useStyles2(getStyles);
  const { settings } = useOps();
  const nothing = result.incidents.length + result.alerts.length + result.audit.length + result.requests.length === 0;
  return (
    <div data-testid={testIds.investigate.results}>
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
      {nothing && (
        <Empty message="Opsdeck has no incident, alert, audit row or API request under this ID. Try the Explore links: logs and traces may still know it." />
      )}

      {result.incidents.length > 0 && (
        <Panel title={`Incidents (${result.incidents.length})`}>
          <Stack direction="column" gap={1}>
            {result.incidents.map((incident) => (
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
      )}

      {result.alerts.length > 0 && (
        <Panel title={`Alerts (${result.alerts.length})`}>
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Incident</th>
              </tr>
            </thead>
            <tbody>
              {result.alerts.map((alert) => (
                <tr key={alert.fingerprint}>
                  <td>{alert.alertname}</td>
                  <td>
                    <Badge color={alert.status === 'firing' ? 'red' : 'green'} text={alert.status} />
                  </td>
                  <td>{formatDateTime(alert.starts_at)}</td>
                  <td>
                    <TextLink href={ROUTES.incident(alert.incident_id)} inline={false} variant="bodySmall">
                      {alert.incident_id}
                    </TextLink>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}

      {result.requests.length > 0 && (
        <Panel title={`API requests (${result.requests.length})`}>
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">At</th>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Error</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {result.requests.map((request, index) => (
                <tr key={`${request.at}:${index}`}>
                  <td>{formatDateTime(request.at)}</td>
                  <td>
                    <code>
                      {request.method} {request.route}
                    </code>
                  </td>
                  <td>
                    <Badge
                      color={request.status >= 500 ? 'red' : request.status >= 400 ? 'orange' : 'green'}
                      text={String(request.status)}
                    />
                  </td>
                  <td>{request.error_code ?? '—'}</td>
                  <td>{request.duration_ms === null ? '—' : `${Math.round(request.duration_ms)} ms`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}

      {result.audit.length > 0 && (
        <Panel title={`Audit log (${result.audit.length})`}>
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">At</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
              </tr>
            </thead>
            <tbody>
              {result.audit.map((row) => (
                <tr key={row.id}>
                  <td>{formatDateTime(row.occurred_at)}</td>
                  <td>
                    {row.actor}{' '}
                    <Text color="secondary" variant="bodySmall">
                      ({row.role})
                    </Text>
                  </td>
                  <td>
                    <code>{row.action}</code>
                  </td>
                  <td>
                    {row.target_type} {row.target_id}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}
    </div>
  );
}

export default InvestigatePage;

const getStyles = (theme: GrafanaTheme2) => ({
  search: css({ maxWidth: 720, marginBottom: theme.spacing(3) }),
  table: css(dataTableStyle(theme)),
});
