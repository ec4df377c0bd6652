import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Button, Text, TextLink, useStyles2 } from '@grafana/ui';

import { distinguishingLabelNames, labelPairs } from '../../../contract/alert-labels';
import type { IncidentAlert } from '../../../contract/incidents';
import { SeverityBadge } from '../../components/badges';
import { Panel } from '../../components/Panel';
import { EmptyNote } from '../../components/states';
import { dataTableStyle } from '../../components/tableStyle';
import { ROUTES } from '../../constants';
import { testIds } from '../../testIds';
import { formatDateTime } from '../../utils/format';

const COLUMNS = 7;

/**
 * The incident's alerts, each told apart from the others: the labels not common to all of them
 * (instance=gpu-worker-17 vs -18) and its summary under its name, its own start time, a Silence link
 * to its sender, and every raw label and annotation on expand.
 */
export function AlertsTable({ alerts }: { alerts: IncidentAlert[] }) {
  const s = useStyles2(getStyles);
  const distinct = distinguishingLabelNames(alerts);
  return (
    <Panel title={`Alerts (${alerts.length})`} testId={testIds.incident.alertsTable}>
      {alerts.length === 0 ? (
        <EmptyNote>No alerts recorded.</EmptyNote>
      ) : (
        <div className={s.scroll}>
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">
                  <span className={s.visuallyHidden}>Details</span>
                </th>
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
                <AlertRow key={alert.fingerprint} alert={alert} distinct={distinct} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

function AlertRow({ alert, distinct }: { alert: IncidentAlert; distinct: string[] }) {
  const s = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  const pairs = labelPairs(alert.labels, distinct);
  return (
    <>
      <tr data-testid={testIds.incident.alertRow}>
        <td>
          <Button
            size="sm"
            variant="secondary"
            fill="text"
            icon={open ? 'angle-down' : 'angle-right'}
            aria-expanded={open}
            aria-label={`${open ? 'Hide' : 'Show'} labels and annotations of ${alert.alertname}`}
            onClick={() => setOpen(!open)}
          />
        </td>
        <td>
          <AlertName alert={alert} pairs={pairs} />
        </td>
        <td>
          <Badge color={alert.status === 'firing' ? 'red' : 'green'} text={alert.status} />
        </td>
        <td>
          <SeverityBadge severity={alert.severity} />
        </td>
        <td>{alert.source}</td>
        <td className={s.nowrap}>{formatDateTime(alert.starts_at)}</td>
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
      {open && (
        <tr>
          <td colSpan={COLUMNS}>
            <div className={s.raw}>
              <RawPairs title="Labels" values={alert.labels} />
              <RawPairs title="Annotations" values={alert.annotations} />
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

/** The alert's name (linked to its rule), its distinguishing labels, summary and silence link. */
function AlertName({ alert, pairs }: { alert: IncidentAlert; pairs: string[] }) {
  const s = useStyles2(getStyles);
  return (
    <>
      {alert.generator_url ? (
        <TextLink href={alert.generator_url} external inline={false}>
          {alert.alertname}
        </TextLink>
      ) : (
        alert.alertname
      )}
      {pairs.length > 0 && (
        <div className={s.labels}>
          {pairs.map((pair) => (
            <code key={pair} className={s.label}>
              {pair}
            </code>
          ))}
        </div>
      )}
      {alert.annotations.summary && (
        <Text element="p" variant="bodySmall" color="secondary">
          {alert.annotations.summary}
        </Text>
      )}
      {alert.silence_url && (
        <TextLink href={alert.silence_url} external inline={false} variant="bodySmall" icon="bell-slash">
          Silence
        </TextLink>
      )}
    </>
  );
}

function RawPairs({ title, values }: { title: string; values: Record<string, string> }) {
  const s = useStyles2(getStyles);
  const names = Object.keys(values).sort();
  return (
    <div>
      <Text element="h4" variant="bodySmall" weight="medium">
        {title}
      </Text>
      {names.length === 0 ? (
        <Text variant="bodySmall" color="secondary">
          none
        </Text>
      ) : (
        <dl className={s.pairs}>
          {names.map((name) => (
            <React.Fragment key={name}>
              <dt>{name}</dt>
              <dd>{values[name]}</dd>
            </React.Fragment>
          ))}
        </dl>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css({ overflowX: 'auto' }),
  table: css(dataTableStyle(theme)),
  nowrap: css({ whiteSpace: 'nowrap' }),
  visuallyHidden: css({ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }),
  labels: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5), margin: theme.spacing(0.5, 0) }),
  label: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    padding: theme.spacing(0, 0.5),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
  }),
  raw: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))', gap: theme.spacing(2) }),
  pairs: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(1.5),
    margin: 0,
    fontSize: theme.typography.bodySmall.fontSize,
    dt: { fontFamily: theme.typography.fontFamilyMonospace, color: theme.colors.text.secondary },
    dd: { margin: 0, fontFamily: theme.typography.fontFamilyMonospace, wordBreak: 'break-word' },
  }),
});
