import React from 'react';
import { PluginPage } from '@grafana/runtime';

import { testIds } from '../testIds';

function OpsPage() {
  return (
    <PluginPage>
      <div data-testid={testIds.ops.page}>Opsdeck</div>
    </PluginPage>
  );
}

export default OpsPage;
