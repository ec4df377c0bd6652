import React from 'react';
import type { NavModelItem } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Stack } from '@grafana/ui';

import { ProjectPicker } from './ProjectPicker';

/** Every page: Grafana's PluginPage with the project picker in the header, then the page's own actions. */
export function AppPage({
  children,
  pageNav,
  subTitle,
  actions,
  testId,
}: {
  children: React.ReactNode;
  pageNav?: NavModelItem;
  subTitle?: React.ReactNode;
  actions?: React.ReactNode;
  testId: string;
}) {
  return (
    <PluginPage
      pageNav={pageNav}
      subTitle={subTitle}
      actions={
        <Stack direction="row" alignItems="center" gap={2} wrap="wrap">
          <ProjectPicker />
          {actions}
        </Stack>
      }
    >
      <div data-testid={testId}>{children}</div>
    </PluginPage>
  );
}
