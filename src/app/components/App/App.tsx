import React, { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';

import { ROUTES } from '../../constants';
import { testIds } from '../../testIds';

const OpsPage = lazy(() => import('../../pages/OpsPage'));

function App(_props: AppRootProps) {
  return (
    <div data-testid={testIds.app.root}>
      <Routes>
        <Route path={ROUTES.Ops} element={<OpsPage />} />
        <Route path="*" element={<Navigate to={ROUTES.Ops} replace />} />
      </Routes>
    </div>
  );
}

export default App;
