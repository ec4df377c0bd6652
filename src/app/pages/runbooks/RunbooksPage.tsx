import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { FilterInput, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import { RunbookSeverityHint, type ReviewStatus, type RunbookListItem } from '../../../contract/catalog';
import { REVIEW_STATUS, SEVERITY, type Vocabulary } from '../../../contract/vocabulary';
import { AppPage } from '../../components/AppPage';
import { ReviewBadge, SeverityBadge } from '../../components/badges';
import { Empty, ErrorState, LoadingState } from '../../components/states';
import { DataTable, FilterBar, FilterSelect, type DataColumn } from '../../components/DataTable';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { testIds } from '../../testIds';
import { groupRunbooks, ownersOf, type RunbookFilters } from '../../utils/runbooks';
import { CatalogReload } from './CatalogReload';

/** Choices of a filter from the contract's vocabulary: "any" first, then each state in order. */
const choicesOf = <K extends string>(states: readonly K[], vocabulary: Vocabulary<K>, anyLabel: string) => [
  { value: '', label: anyLabel },
  ...states.map((state) => ({ value: state, label: vocabulary[state].label })),
];
// Runbooks hint SEV1 to SEV3 only (RunbookSeverityHint); review states most urgent first.
const SEVERITY_OPTIONS = choicesOf(RunbookSeverityHint.options, SEVERITY, 'Any severity');
const REVIEW_OPTIONS = choicesOf(['overdue', 'due_soon', 'ok'], REVIEW_STATUS, 'Any review status');

const FILTER_KEYS = ['q', 'owner', 'severity', 'review'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

function RunbooksPage() {
  const { api } = useOps();
  const list = useAsync(() => api.runbooks({ group_by: 'signal_group' }), 'runbooks');
  const { filters: raw, setFilter } = useUrlFilters(FILTER_KEYS);
  const filters: RunbookFilters = useMemo(() => ({ ...raw, review: raw.review as ReviewStatus | '' }), [raw]);
  const groups = useMemo(() => (list.data ? groupRunbooks(list.data, filters) : []), [list.data, filters]);
  const owners = list.data ? ownersOf(list.data) : [];

  return (
    <AppPage
      testId={testIds.runbooks.page}
      subTitle="Every runbook in the catalog, grouped by the signal it answers. Each alert's runbook_url lands on one of these."
    >
      <CatalogReload onReloaded={list.reload} />
      <RunbookFilterBar filters={raw} owners={owners} setFilter={setFilter} />
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
        groups.map(({ group, runbooks }) => <RunbookGroup key={group.key} group={group} runbooks={runbooks} />)
      )}
    </AppPage>
  );
}

function RunbookFilterBar({
  filters,
  owners,
  setFilter,
}: {
  filters: Record<FilterKey, string>;
  owners: string[];
  setFilter: (key: FilterKey, value: string) => void;
}) {
  const s = useStyles2(getStyles);
  const ownerOptions = [
    { value: '', label: 'Any owner team' },
    ...owners.map((owner) => ({ value: owner, label: owner })),
  ];
  const selects: Array<{
    key: Exclude<FilterKey, 'q'>;
    label: string;
    width: number;
    testId: string;
    options: Array<{ value: string; label: string }>;
  }> = [
    { key: 'owner', label: 'Owner team', width: 28, testId: testIds.runbooks.owner, options: ownerOptions },
    {
      key: 'severity',
      label: 'Severity hint',
      width: 20,
      testId: testIds.runbooks.severity,
      options: SEVERITY_OPTIONS,
    },
    { key: 'review', label: 'Review status', width: 24, testId: testIds.runbooks.review, options: REVIEW_OPTIONS },
  ];
  return (
    <FilterBar label="Filter runbooks">
      <div className={s.search} data-testid={testIds.runbooks.search}>
        <FilterInput
          placeholder="Search title, ID, signal or tag"
          value={filters.q}
          onChange={(value) => setFilter('q', value)}
          escapeRegex={false}
        />
      </div>
      {selects.map(({ key, ...select }) => (
        <FilterSelect key={key} {...select} value={filters[key]} onChange={(value) => setFilter(key, value)} />
      ))}
    </FilterBar>
  );
}

type Group = ReturnType<typeof groupRunbooks>[number];

function RunbookGroup({ group, runbooks }: Group) {
  const s = useStyles2(getStyles);
  const columns: Array<DataColumn<RunbookListItem>> = [
    {
      id: 'runbook',
      header: 'Runbook',
      width: '34%',
      cell: (runbook) => (
        <Stack direction="column" gap={0}>
          <TextLink href={ROUTES.runbook(runbook.id)} inline={false}>
            {runbook.title}
          </TextLink>
          <Text variant="bodySmall" color="secondary">
            {runbook.id}
          </Text>
        </Stack>
      ),
    },
    {
      id: 'severity',
      header: 'Severity hint',
      width: '10%',
      cell: (runbook) => <SeverityBadge severity={runbook.severity_hint} />,
    },
    { id: 'owner', header: 'Owner team', width: '15%', cell: (runbook) => runbook.owner_team },
    {
      id: 'signals',
      header: 'Signals',
      cell: (runbook) => (
        <Stack direction="row" gap={0.5} wrap="wrap">
          {runbook.signals.map((signal) => (
            <code key={signal} className={s.signal} title={signal}>
              {signal}
            </code>
          ))}
        </Stack>
      ),
    },
    {
      id: 'review',
      header: 'Review',
      width: '15%',
      cell: (runbook) => (
        <Stack direction="column" gap={0}>
          <ReviewBadge status={runbook.review_status} dueAt={runbook.review_due_at} />
          <Text variant="bodySmall" color="secondary">
            last {runbook.last_reviewed_at}
          </Text>
        </Stack>
      ),
    },
  ];
  return (
    <section
      className={s.group}
      data-testid={testIds.runbooks.group}
      data-group={group.key}
      aria-labelledby={`group-${group.key}`}
    >
      <Text element="h2" variant="h5" id={`group-${group.key}`}>
        {group.title} <span className={s.count}>{runbooks.length}</span>
      </Text>
      <DataTable
        variant="boxed"
        rows={runbooks}
        columns={columns}
        rowKey={(runbook) => runbook.id}
        rowAttributes={(runbook) => ({ 'data-testid': testIds.runbooks.item, 'data-runbook-id': runbook.id })}
      />
    </section>
  );
}

export default RunbooksPage;

const getStyles = (theme: GrafanaTheme2) => ({
  search: css({ flex: '1 1 280px', maxWidth: 480 }),
  group: css({ marginBottom: theme.spacing(3) }),
  count: css({
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightRegular,
    marginLeft: theme.spacing(0.5),
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
