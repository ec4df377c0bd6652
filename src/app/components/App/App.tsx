import React, { Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';

import { ROUTE_PATHS } from '../../constants';
import { OpsProvider, useOps } from '../../context/OpsContext';
import type { AppSettings } from '../../settings';
import { testIds } from '../../testIds';
import { AppErrorBoundary, lazyWithRetry } from '../AppErrorBoundary';
import { LoadingState } from '../states';

// Each page is its own chunk: the ops page never pays for the runbook renderer or the approval form.
const OpsPage = lazyWithRetry(() => import(/* webpackChunkName: "page-ops" */ '../../pages/ops/OpsPage'));
const IncidentPage = lazyWithRetry(
  () => import(/* webpackChunkName: "page-incident" */ '../../pages/incident/IncidentPage')
);
const IncidentsPage = lazyWithRetry(
  () => import(/* webpackChunkName: "page-incidents" */ '../../pages/incidents/IncidentsPage')
);
const KpisPage = lazyWithRetry(() => import(/* webpackChunkName: "page-kpis" */ '../../pages/kpis/KpisPage'));
const ActionItemsPage = lazyWithRetry(
  () => import(/* webpackChunkName: "page-action-items" */ '../../pages/postmortems/ActionItemsPage')
);
const RunbooksPage = lazyWithRetry(
  () => import(/* webpackChunkName: "page-runbooks" */ '../../pages/runbooks/RunbooksPage')
);
const RunbookPage = lazyWithRetry(
  () => import(/* webpackChunkName: "page-runbook" */ '../../pages/runbooks/RunbookPage')
);
const ApprovalsPage = lazyWithRetry(
  () => import(/* webpackChunkName: "page-approvals" */ '../../pages/approvals/ApprovalsPage')
);
const ApprovalPage = lazyWithRetry(
  () => import(/* webpackChunkName: "page-approval" */ '../../pages/approvals/ApprovalPage')
);
const SlosPage = lazyWithRetry(() => import(/* webpackChunkName: "page-slos" */ '../../pages/slos/SlosPage'));
const InvestigatePage = lazyWithRetry(
  () => import(/* webpackChunkName: "page-investigate" */ '../../pages/investigate/InvestigatePage')
);

const OnCallPage = lazyWithRetry(() => import(/* webpackChunkName: "page-oncall" */ '../../pages/oncall/OnCallPage'));

function AppRoutes() {
  const { meLoading } = useOps();
  const location = useLocation();
  if (meLoading) {
    return <LoadingState text="Loading your projects…" />;
  }
  return (
    <AppErrorBoundary resetKey={location.pathname}>
      <Suspense fallback={<LoadingState />}>
        <Routes>
          <Route path={ROUTE_PATHS.ops} element={<OpsPage />} />
          <Route path={ROUTE_PATHS.incidents} element={<IncidentsPage />} />
          <Route path={ROUTE_PATHS.incident} element={<IncidentPage />} />
          <Route path={ROUTE_PATHS.runbooks} element={<RunbooksPage />} />
          <Route path={ROUTE_PATHS.runbook} element={<RunbookPage />} />
          <Route path={ROUTE_PATHS.approvals} element={<ApprovalsPage />} />
          <Route path={ROUTE_PATHS.approval} element={<ApprovalPage />} />
          <Route path={ROUTE_PATHS.investigate} element={<InvestigatePage />} />
          <Route path={ROUTE_PATHS.slos} element={<SlosPage />} />
          <Route path={ROUTE_PATHS.oncall} element={<OnCallPage />} />
          <Route path={ROUTE_PATHS.kpis} element={<KpisPage />} />
          <Route path={ROUTE_PATHS.actionItems} element={<ActionItemsPage />} />
          <Route path="*" element={<Navigate to={ROUTE_PATHS.ops} replace />} />
        </Routes>
      </Suspense>
    </AppErrorBoundary>
  );
}

function App({ meta }: AppRootProps<AppSettings>) {
  return (
    <div data-testid={testIds.app.root}>
      <OpsProvider settings={meta.jsonData ?? {}}>
        <AppRoutes />
      </OpsProvider>
    </div>
  );
}

export default App;
