import React, { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Combobox, FilterInput, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { ReviewStatus } from '../../../contract/catalog';
import { AppPage } from '../../components/AppPage';
import { ReviewBadge, SeverityBadge } from '../../components/badges';
import { Empty, ErrorState, LoadingState } from '../../components/states';
import { dataTableStyle } from '../../components/tableStyle';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { groupRunbooks, ownersOf, type RunbookFilters } from '../../utils/runbooks';
import { CatalogReload } from './CatalogReload';

const SEVERITY_OPTIONS = [
  { value: '', label: 'Any severity' },
  { value: 'sev1', label: 'SEV1' },
  { value: 'sev2', label: 'SEV2' },
  { value: 'sev3', label: 'SEV3' },
];
const REVIEW_OPTIONS: Array<{ value: ReviewStatus | ''; label: string }> = [
  { value: '', label: 'Any review status' },
  { value: 'overdue', label: 'Review overdue' },
  { value: 'due_soon', label: 'Review due soon' },
  { value: 'ok', label: 'Reviewed' },
];

function RunbooksPage() {
  const s = useStyles2(getStyles);
  const { api } = useOps();
  const [params, setParams] = useSearchParams();
  const list = useAsync(() => api.runbooks({ group_by: 'signal_group' }), 'runbooks');
  const filters: RunbookFilters = useMemo(
    () => ({
      q: params.get('q') ?? '',
      owner: params.get('owner') ?? '',
      severity: params.get('severity') ?? '',
      review: (params.get('review') as ReviewStatus | null) ?? '',
    }),
    [params]
  );
  const setFilter = (key: keyof RunbookFilters, value: string) => {
    const next = new URLSearchParams(params);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    setParams(next, { replace: true });
  };
  const groups = useMemo(() => (list.data ? groupRunbooks(list.data, filters) : []), [list.data, filters]);
  const owners = list.data ? ownersOf(list.data) : [];

  return (
    <AppPage
      testId={testIds.runbooks.page}
      subTitle="Every runbook in the catalog, grouped by the signal it answers. Each alert's runbook_url lands on one of these."
    >
      <CatalogReload onReloaded={list.reload} />
      <div className={s.filters} role="search" aria-label="Filter runbooks">
        <div className={s.search} data-testid={testIds.runbooks.search}>
          <FilterInput
            placeholder="Search title, ID, signal or tag"
            value={filters.q ?? ''}
            onChange={(value) => setFilter('q', value)}
            escapeRegex={false}
          />
        </div>
        <div data-testid={testIds.runbooks.owner}>
          <Combobox
            aria-label="Owner team"
            width={28}
            value={filters.owner ?? ''}
            options={[
              { value: '', label: 'Any owner team' },
              ...owners.map((owner) => ({ value: owner, label: owner })),
            ]}
            onChange={(option) => setFilter('owner', option.value)}
          />
        </div>
        <div data-testid={testIds.runbooks.severity}>
          <Combobox
            aria-label="Severity hint"
            width={20}
            value={filters.severity ?? ''}
            options={SEVERITY_OPTIONS}
            onChange={(option) => setFilter('severity', option.value)}
          />
        </div>
        <div data-testid={testIds.runbooks.review}>
          <Combobox
            aria-label="Review status"
            width={24}
            value={filters.review ?? ''}
            options={REVIEW_OPTIONS}
            onChange={(option) => setFilter('review', option.value)}
          />
        </div>
      </div>

      {list.loading ? (
        <LoadingState text="Loading the runbook catalog…" />
      ) : !list.data ? (
        list.error && <ErrorState title="Could not load the runbooks" error={list.error} onRetry={list.reload} />
      ) : groups.length === 0 ? (
        <Empty
          message={
            list.data.items.length === 0 ? 'The catalog has no runbooks yet.' : 'No runbook matches these filters.'
          }
        />
      ) : (
        groups.map(({ group, runbooks }) => (
          <section
            key={group.key}
            className={s.group}
            data-testid={testIds.runbooks.group}
            data-group={group.key}
            aria-labelledby={`group-${group.key}`}
          >
            <Text element="h2" variant="h5" id={`group-${group.key}`}>
              {group.title} <span className={s.count}>{runbooks.length}</span>
            </Text>
            <table className={s.table}>
              <thead>
                <tr>
                  <th scope="col">Runbook</th>
                  <th scope="col">Severity hint</th>
                  <th scope="col">Owner team</th>
                  <th scope="col">Signals</th>
                  <th scope="col">Review</th>
                </tr>
              </thead>
              <tbody>
                {runbooks.map((runbook) => (
                  <tr key={runbook.id} data-testid={testIds.runbooks.item} data-runbook-id={runbook.id}>
                    <td>
                      <Stack direction="column" gap={0}>
                        <TextLink href={ROUTES.runbook(runbook.id)} inline={false}>
                          {runbook.title}
                        </TextLink>
                        <Text variant="bodySmall" color="secondary">
                          {runbook.id}
                        </Text>
                      </Stack>
                    </td>
                    <td>
                      <SeverityBadge severity={runbook.severity_hint} />
                    </td>
                    <td>{runbook.owner_team}</td>
                    <td>
                      <Stack direction="row" gap={0.5} wrap="wrap">
                        {runbook.signals.map((signal) => (
                          <code key={signal} className={s.signal} title={signal}>
                            {signal}
                          </code>
                        ))}
                      </Stack>
                    </td>
                    <td>
                      <Stack direction="column" gap={0}>
                        <ReviewBadge status={runbook.review_status} dueAt={runbook.review_due_at} />
                        <Text variant="bodySmall" color="secondary">
                          last {runbook.last_reviewed_at}
                        </Text>
                      </Stack>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </AppPage>
  );
}

export default RunbooksPage;

const getStyles = (theme: GrafanaTheme2) => ({
  filters: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), marginBottom: theme.spacing(3) }),
  search: css({ flex: '1 1 280px', maxWidth: 480 }),
  group: css({ marginBottom: theme.spacing(3) }),
  count: css({
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightRegular,
    marginLeft: theme.spacing(0.5),
  }),
  table: css(dataTableStyle(theme, theme.spacing(1)), {
    marginTop: theme.spacing(1),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    tableLayout: 'fixed',
    'th:nth-child(1)': { width: '34%' },
    'th:nth-child(2)': { width: '10%' },
    'th:nth-child(3)': { width: '15%' },
    'th:nth-child(5)': { width: '15%' },
  }),
  signal: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    padding: theme.spacing(0.25, 0.75),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    // The table has a fixed layout: a pill wider than its column must be cut here (title shows it
    // whole), or it spills over the Review badge beside it.
    display: 'inline-block',
    maxWidth: '100%',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    verticalAlign: 'middle',
  }),
});
