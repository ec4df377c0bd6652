import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, TextLink, useStyles2 } from '@grafana/ui';

import type { IncidentAlert } from '../../../contract/incidents';
import { SeverityBadge } from '../../components/badges';
import { Panel } from '../../components/Panel';
import { EmptyNote } from '../../components/states';
import { dataTableStyle } from '../../components/tableStyle';
import { ROUTES } from '../../constants';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';

export function AlertsTable({ alerts }: { alerts: IncidentAlert[] }) {
  const s = useStyles2(getStyles);
  return (
    <Panel title={`Alerts (${alerts.length})`} testId={testIds.incident.alertsTable}>
      {alerts.length === 0 ? (
        <EmptyNote>No alerts recorded.</EmptyNote>
      ) : (
        <div className={s.scroll}>
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Status</th>
                <th scope="col">Severity</th>
                <th scope="col">Source</th>
                <th scope="col">Started</th>
                <th scope="col">Runbook</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((alert) => (
                <tr key={alert.fingerprint}>
                  <td>
                    {alert.generator_url ? (
                      <TextLink href={alert.generator_url} external inline={false}>
                        {alert.alertname}
                      </TextLink>
                    ) : (
                      alert.alertname
                    )}
                  </td>
                  <td>
                    <Badge color={alert.status === 'firing' ? 'red' : 'green'} text={alert.status} />
                  </td>
                  <td>
                    <SeverityBadge severity={alert.severity} />
                  </td>
                  <td>{alert.source}</td>
                  <td>{formatDateTime(alert.starts_at)}</td>
                  <td>
                    {alert.missing_runbook || alert.runbook_ids.length === 0 ? (
                      <Badge color="red" icon="exclamation-triangle" text="missing" />
                    ) : (
                      alert.runbook_ids.map((runbookId) => (
                        <div key={runbookId}>
                          <TextLink href={ROUTES.runbook(runbookId)} inline={false} variant="bodySmall">
                            {runbookId}
                          </TextLink>
                        </div>
                      ))
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css({ overflowX: 'auto' }),
  table: css(dataTableStyle(theme)),
});
