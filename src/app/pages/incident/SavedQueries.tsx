import React from 'react';
import { Stack, Text } from '@grafana/ui';

import type { SavedQueryLink } from '../../../contract/incidents';
import { ExploreButton } from '../../components/ExploreButton';
import { Panel } from '../../components/Panel';
import { EmptyNote } from '../../components/states';
import { testIds } from '../../testIds';

/** The incident's saved queries, pre-filled with its correlation ID, trace ID and resource name. */
export function SavedQueries({ queries, onOpen }: { queries: SavedQueryLink[]; onOpen: (queryId: string) => void }) {
  return (
    <Panel title="Saved queries">
      {queries.length === 0 ? (
        <EmptyNote>No saved query for this incident&apos;s signals.</EmptyNote>
      ) : (
        <Stack direction="column" gap={1}>
          {queries.map((query) => (
            <div key={query.id} data-testid={testIds.incident.savedQuery}>
              <ExploreButton link={query} onOpen={() => onOpen(query.id)} />
              {query.missing_variables.length > 0 && (
                <div>
                  <Text variant="bodySmall" color="secondary">
                    Needs {query.missing_variables.join(', ')}
                  </Text>
                </div>
              )}
            </div>
          ))}
        </Stack>
      )}
    </Panel>
  );
}
