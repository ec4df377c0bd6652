import React, { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Button, RadioButtonGroup, TextLink, useStyles2 } from '@grafana/ui';

import { toOpsApiError, type OpsApiError } from '../../api/errors';
import type { ActionItem, ActionItemState } from '../../../contract/communication';
import { AppPage } from '../../components/AppPage';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState, LoadingState } from '../../components/states';
import { dataTableStyle } from '../../components/tableStyle';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';

const STATES: Array<ActionItemState | ''> = ['', 'overdue', 'open', 'done'];
const STATE_COLOR = { open: 'blue', overdue: 'red', done: 'green' } as const;

/** Every postmortem action item of the project, soonest due first; overdue ones are what to chase. */
function ActionItemsPage() {
  const { api, projectId } = useOps();
  const [params, setParams] = useSearchParams();
  const state = (STATES as string[]).includes(params.get('state') ?? '') ? (params.get('state') ?? '') : '';
  const items = useAsync(
    () => api.actionItems({ state: state || undefined, limit: 200 }),
    `action-items:${projectId}:${state}`
  );
  const [error, setError] = useState<OpsApiError | null>(null);
  const markDone = async (item: ActionItem) => {
    setError(null);
    try {
      await api.setActionItem(item.id, item.state === 'done' ? 'open' : 'done');
      await items.reload();
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    }
  };
  return (
    <AppPage testId={testIds.actionItems.page} subTitle="What postmortems promised, who owns it, and when it is due.">
      <RadioButtonGroup
        value={state}
        options={STATES.map((value) => ({ value, label: value || 'all' }))}
        onChange={(value) => {
          const next = new URLSearchParams(params);
          if (value) {
            next.set('state', value);
          } else {
            next.delete('state');
          }
          setParams(next, { replace: true });
        }}
      />
      {error && <ErrorState title="The action item was not changed" error={error} />}
      {items.loading ? (
        <LoadingState text="Loading action items…" />
      ) : !items.data ? (
        items.error && <ErrorState title="Could not load the action items" error={items.error} onRetry={items.reload} />
      ) : (
        <Panel title={`Action items (${items.data.items.length})`}>
          {items.data.items.length === 0 ? (
            <EmptyNote>No action item here.</EmptyNote>
          ) : (
            <ActionItemTable items={items.data.items} onToggle={markDone} />
          )}
        </Panel>
      )}
    </AppPage>
  );
}

function ActionItemTable({ items, onToggle }: { items: ActionItem[]; onToggle: (item: ActionItem) => void }) {
  const s = useStyles2(getStyles);
  return (
    <table className={s.table}>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Owner</th>
          <th scope="col">Due</th>
          <th scope="col">State</th>
          <th scope="col">Incident</th>
          <th scope="col" />
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} data-testid={testIds.actionItems.row} data-state={item.state}>
            <td>{item.title}</td>
            <td>{item.owner}</td>
            <td>{item.due_at.slice(0, 10)}</td>
            <td>
              <Badge color={STATE_COLOR[item.state]} text={item.state} />
            </td>
            <td>
              <TextLink href={ROUTES.incident(item.incident_id)} inline={false} variant="bodySmall">
                {item.incident_id}
              </TextLink>
            </td>
            <td>
              <Button
                size="sm"
                variant="secondary"
                data-testid={testIds.actionItems.done}
                onClick={() => onToggle(item)}
              >
                {item.state === 'done' ? 'Reopen' : 'Mark done'}
              </Button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default ActionItemsPage;

const getStyles = (theme: GrafanaTheme2) => ({
  table: css(dataTableStyle(theme, theme.spacing(1)), { 'tr:last-child td': { borderBottom: 'none' } }),
});
