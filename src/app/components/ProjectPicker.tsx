import React from 'react';
import { Combobox, Icon, Stack, Text, Tooltip } from '@grafana/ui';

import { ALL_PROJECTS } from '../constants';
import { useOps } from '../context/OpsContext';
import { testIds } from '../testIds';

const labelOf = (projectId: string) => (projectId === ALL_PROJECTS ? 'All projects' : projectId);

/** Which project's incidents and approvals the pages show (sent as X-Project-ID on every call). */
export function ProjectPicker() {
  const { projects, projectId, setProjectId, meError, role } = useOps();
  return (
    <Stack direction="row" alignItems="center" gap={1}>
      <label htmlFor="opsdeck-project-picker">
        <Text variant="bodySmall" color="secondary">
          Project
        </Text>
      </label>
      <div data-testid={testIds.app.projectPicker}>
        <Combobox
          id="opsdeck-project-picker"
          width={24}
          value={projectId}
          options={projects.map((value) => ({ value, label: labelOf(value) }))}
          onChange={(option) => setProjectId(option.value)}
          disabled={projects.length < 2}
        />
      </div>
      {role && (
        <Text variant="bodySmall" color="secondary">
          as {role}
        </Text>
      )}
      {meError && (
        <Tooltip
          content={`Your projects could not be loaded: ${meError.message}. Showing every project the API allows.`}
        >
          <span tabIndex={0} role="img" aria-label="Projects could not be loaded">
            <Icon name="exclamation-triangle" />
          </span>
        </Tooltip>
      )}
    </Stack>
  );
}
