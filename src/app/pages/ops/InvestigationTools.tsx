import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Badge, Button, Field, Input, Stack, Text, useStyles2 } from '@grafana/ui';

import type { OpsOverview } from '../../../contract/overview';
import { ExploreButton } from '../../components/ExploreButton';
import { EmptyNote } from '../../components/states';
import { ROUTES } from '../../constants';
import { testIds } from '../../testIds';
import { Section } from './Section';

type Tools = OpsOverview['investigation_tools'];

/** Section 4: the saved queries that matter for what is open now, and the correlation-ID search. */
export function InvestigationTools({ tools }: { tools: Tools }) {
  const s = useStyles2(getStyles);
  return (
    <Section
      sectionKey="investigation_tools"
      title="Investigation tools"
      description="Saved queries for the open incidents, and a correlation-ID lookup."
    >
      <div className={s.columns}>
        <div className={s.panel}>
          <Text element="h3" variant="h6">
            Saved queries relevant now
          </Text>
          {tools.saved_queries.length === 0 ? (
            <EmptyNote>No open incident cites a saved query.</EmptyNote>
          ) : (
            <ul className={s.list}>
              {tools.saved_queries.map((query) => (
                <li key={query.id} className={s.query} data-testid={testIds.ops.savedQuery}>
                  <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
                    <ExploreButton link={query} />
                    <Badge color="blue" text={query.datasource} />
                  </Stack>
                  <Text variant="bodySmall" color="secondary">
                    {query.reason}
                  </Text>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className={s.panel}>
          <CorrelationSearch />
        </div>
      </div>
    </Section>
  );
}

export function CorrelationSearch({ initial = '' }: { initial?: string }) {
  const [value, setValue] = useState(initial);
  const trimmed = value.trim();
  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (trimmed) {
      locationService.push(ROUTES.investigate(trimmed));
    }
  };
  return (
    <form onSubmit={onSubmit} role="search" aria-label="Correlation ID search">
      <Field
        label="Find everything under a correlation ID"
        description="From an error envelope, a log line or a user report: incidents, alerts, audit rows, API requests and traces."
        noMargin
      >
        <Stack direction="row" gap={1}>
          <Input
            id="ops-correlation-id"
            data-testid={testIds.ops.correlationInput}
            value={value}
            placeholder="e.g. 01HZX3… or req-7f2c…"
            onChange={(event) => setValue(event.currentTarget.value)}
            prefix={<span aria-hidden>#</span>}
          />
          <Button type="submit" icon="search" disabled={!trimmed} data-testid={testIds.ops.correlationSubmit}>
            Search
          </Button>
        </Stack>
      </Field>
    </form>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)',
    gap: theme.spacing(2),
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
  panel: css({
    padding: theme.spacing(2),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  list: css({ listStyle: 'none', padding: 0, margin: theme.spacing(1, 0, 0, 0) }),
  query: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    '&:last-child': { borderBottom: 'none' },
  }),
});
