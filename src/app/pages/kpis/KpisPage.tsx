import React from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Input, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';

import type { DurationStat, Kpis, KpiTarget, KpiWindow, Ratio } from '../../../contract/kpis';
import { AppPage } from '../../components/AppPage';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState, LoadingState } from '../../components/states';
import { dataTableStyle } from '../../components/tableStyle';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { formatDuration } from '../../utils/format';

const WINDOWS: KpiWindow[] = ['7d', '30d', '90d'];

const seconds = (value: number | null) => (value === null ? '—' : formatDuration(value));
const percent = (ratio: Ratio) =>
  ratio.value === null ? '—' : `${(ratio.value * 100).toFixed(1)} % (${ratio.numerator}/${ratio.denominator})`;
const stat = (s: DurationStat) =>
  s.count === 0 ? '—' : `${seconds(s.median_seconds)} median, ${seconds(s.p90_seconds)} p90 (${s.count})`;

function TargetRow({ target }: { target: KpiTarget }) {
  const rate = target.kpi.endsWith('_rate');
  const show = (value: number | null) =>
    value === null ? '—' : rate ? `${(value * 100).toFixed(1)} %` : formatDuration(value);
  return (
    <tr data-testid={testIds.kpis.target} data-kpi={target.kpi} data-met={String(target.met)}>
      <td>{target.description}</td>
      <td>{show(target.value)}</td>
      <td>
        {target.comparison} {show(target.target)}
      </td>
      <td>
        {target.met === null ? (
          <Badge color="darkgrey" text="no data" />
        ) : target.met ? (
          <Badge color="green" text="met" icon="check" />
        ) : (
          <Badge color="red" text="missed" icon="exclamation-triangle" />
        )}
      </td>
    </tr>
  );
}

function KpiView({ kpis }: { kpis: Kpis }) {
  return (
    <>
      <TargetsPanel kpis={kpis} />
      <FiguresPanel kpis={kpis} />
      <SeverityPanel kpis={kpis} />
      <NoisePanel kpis={kpis} />
    </>
  );
}

function TargetsPanel({ kpis }: { kpis: Kpis }) {
  const s = useStyles2(getStyles);
  return (
    <Panel title="Targets">
      <table className={s.table}>
        <thead>
          <tr>
            <th scope="col">KPI</th>
            <th scope="col">Value</th>
            <th scope="col">Target</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {kpis.targets.map((target) => (
            <TargetRow key={target.kpi} target={target} />
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

function FiguresPanel({ kpis }: { kpis: Kpis }) {
  const s = useStyles2(getStyles);
  const figures: Array<[string, string]> = [
    ['Incidents opened', String(kpis.incidents)],
    ['MTTR with an executed action', stat(kpis.mttr_all.assisted)],
    ['MTTR without', stat(kpis.mttr_all.manual)],
    ['Acknowledge SLA', percent(kpis.ack_sla)],
    ['Response SLA (first status update)', percent(kpis.response_sla)],
    ['Change failure rate', percent(kpis.change_failure_rate)],
    ['Automation coverage (auto R1)', percent(kpis.automation_coverage)],
    ['Override rate', percent(kpis.override_rate)],
    ['False classification rate (severity or signal corrected)', percent(kpis.false_classification_rate)],
    ['Escalations', kpis.escalations.note],
  ];
  return (
    <Panel title="Figures">
      <dl className={s.figures}>
        {figures.map(([label, value]) => (
          <div key={label} data-testid={testIds.kpis.figure}>
            <dt>
              <Text color="secondary">{label}</Text>
            </dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Panel>
  );
}

function SeverityPanel({ kpis }: { kpis: Kpis }) {
  const s = useStyles2(getStyles);
  return (
    <Panel title="MTTA and MTTR by severity">
      <table className={s.table}>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">MTTA</th>
            <th scope="col">MTTR with an action</th>
            <th scope="col">MTTR without</th>
          </tr>
        </thead>
        <tbody>
          {kpis.mttr.map((row) => (
            <tr key={row.severity}>
              <td>{row.severity}</td>
              <td>{stat(kpis.mtta.find((m) => m.severity === row.severity)!.stat)}</td>
              <td>{stat(row.assisted)}</td>
              <td>{stat(row.manual)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

function NoisePanel({ kpis }: { kpis: Kpis }) {
  return (
    <Panel title="Alert noise: rules whose incidents ended with nobody acting">
      {kpis.alert_noise.length === 0 ? (
        <EmptyNote>No noisy rule in this window.</EmptyNote>
      ) : (
        <ol>
          {kpis.alert_noise.map((rule) => (
            <li key={rule.alertname}>
              {rule.alertname}: {rule.untouched_incidents} untouched incident
              {rule.untouched_incidents === 1 ? '' : 's'}
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}

function KpisPage() {
  const { api, projectId } = useOps();
  const [params, setParams] = useSearchParams();
  const kpiWindow = (WINDOWS as string[]).includes(params.get('window') ?? '')
    ? (params.get('window') as KpiWindow)
    : '30d';
  const team = params.get('team') ?? '';
  const kpis = useAsync(
    () => api.kpis({ window: kpiWindow, team: team || undefined }),
    `kpis:${projectId}:${kpiWindow}:${team}`
  );
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) {
      next.set(name, value);
    } else {
      next.delete(name);
    }
    setParams(next, { replace: true });
  };
  return (
    <AppPage
      testId={testIds.kpis.page}
      subTitle="Whether automation helps: response times with and without an executed action, SLAs, overrides, noise."
    >
      <Stack gap={2} alignItems="center">
        <div data-testid={testIds.kpis.window}>
          <RadioButtonGroup
            value={kpiWindow}
            options={WINDOWS.map((value) => ({ value, label: value }))}
            onChange={(value) => set('window', value)}
          />
        </div>
        <Input
          aria-label="Owner team"
          placeholder="Any owner team"
          width={28}
          defaultValue={team}
          onBlur={(event) => set('team', event.currentTarget.value.trim())}
        />
      </Stack>
      {kpis.loading ? (
        <LoadingState text="Computing KPIs…" />
      ) : !kpis.data ? (
        kpis.error && <ErrorState title="Could not compute the KPIs" error={kpis.error} onRetry={kpis.reload} />
      ) : (
        <KpiView kpis={kpis.data} />
      )}
    </AppPage>
  );
}

export default KpisPage;

const getStyles = (theme: GrafanaTheme2) => ({
  table: css(dataTableStyle(theme, theme.spacing(1)), { 'tr:last-child td': { borderBottom: 'none' } }),
  figures: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))',
    gap: theme.spacing(2),
    dd: { margin: 0 },
  }),
});
