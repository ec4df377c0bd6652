import React from 'react';
import { Badge, Stack, Text } from '@grafana/ui';

import type { RunbookDetail } from '../../../contract/catalog';
import type { IncidentDetail } from '../../../contract/incidents';
import { toOpsApiError } from '../../api/errors';
import { ExploreButton } from '../../components/ExploreButton';
import { queryVariablesOf } from '../../utils/explore';
import { Panel } from '../../components/Panel';
import { EmptyNote } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';

/** The incident's values for the saved-query variables, when the runbook was opened from one. */
export function incidentVariables(incident: IncidentDetail | null): Record<string, string> {
  if (!incident) {
    return {};
  }
  const vars: Record<string, string> = {};
  if (incident.correlation_ids[0]) {
    vars.correlation_id = incident.correlation_ids[0];
  }
  if (incident.trace_ids[0]) {
    vars.trace_id = incident.trace_ids[0];
  }
  if (incident.resource_name) {
    vars.resource_name = incident.resource_name;
  }
  if (incident.host_role) {
    vars.host_role = incident.host_role;
  }
  return vars;
}

/** The saved queries the runbook cites, with Explore links filled from the incident when there is one. */
export function RunbookQueries({ runbook, incident }: { runbook: RunbookDetail; incident: IncidentDetail | null }) {
  const { api } = useOps();
  const vars = incidentVariables(incident);
  const links = useAsync(
    () =>
      Promise.all(
        runbook.saved_queries.map(async (query) => {
          // Ask the API only for links it can build: a query needing a value we lack says so instead.
          const missing = queryVariablesOf(query.expr).filter((name) => !vars[name]);
          if (missing.length > 0) {
            return { id: query.id, url: null, missing };
          }
          try {
            const answer = await api.exploreUrl(query.id, vars);
            return { id: query.id, url: answer.url, missing: [] as string[] };
          } catch (thrown) {
            const error = toOpsApiError(thrown);
            const variable = typeof error.details.variable === 'string' ? error.details.variable : null;
            return { id: query.id, url: null, missing: variable ? [variable] : [error.message] };
          }
        })
      ),
    `explore:${runbook.id}:${JSON.stringify(vars)}`
  );
  return (
    <Panel title="Saved queries" testId={testIds.runbook.savedQueries}>
      {runbook.saved_queries.length === 0 ? (
        <EmptyNote>This runbook cites no saved query.</EmptyNote>
      ) : (
        <Stack direction="column" gap={1.5}>
          {runbook.saved_queries.map((query) => {
            const link = links.data?.find((entry) => entry.id === query.id);
            return (
              <Stack key={query.id} direction="column" gap={0.5}>
                <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
                  <ExploreButton
                    link={{
                      id: query.id,
                      title: query.title,
                      datasource: query.datasource,
                      explore_url: link?.url ?? null,
                      missing_variables: link?.missing ?? [],
                    }}
                  />
                  <Badge color="blue" text={query.datasource} />
                </Stack>
                <Text variant="bodySmall" color="secondary">
                  {query.description}
                </Text>
              </Stack>
            );
          })}
        </Stack>
      )}
    </Panel>
  );
}
