import type { FastifyInstance } from 'fastify';

import { actionsRoutes } from './actions';
import { adminRoutes } from './admin';
import { alertsRoutes } from './alerts';
import { approvalsRoutes } from './approvals';
import { auditRoutes } from './audit';
import { catalogRoutes } from './catalog';
import { correlationsRoutes } from './correlations';
import { healthRoutes } from './health';
import { incidentsRoutes } from './incidents';
import { kpisRoutes } from './kpis';
import { meRoutes } from './me';
import { oncallRoutes } from './oncall';
import { overviewRoutes } from './overview';
import { postmortemsRoutes } from './postmortems';
import { queriesRoutes } from './queries';
import { recommendationsRoutes } from './recommendations';
import { runbooksRoutes } from './runbooks';
import { signalsRoutes } from './signals';
import { slosRoutes } from './slos';
import { updatesRoutes } from './updates';

/**
 * Every route of the API. Operational endpoints sit at the root; the product API under /api/v1,
 * one folder per resource.
 */
export async function registerRoutes(app: FastifyInstance) {
  await app.register(healthRoutes);
  await app.register(runbooksRoutes);
  await app.register(signalsRoutes);
  await app.register(queriesRoutes);
  await app.register(catalogRoutes);
  await app.register(adminRoutes);
  await app.register(slosRoutes);
  await app.register(meRoutes);
  await app.register(actionsRoutes);
  await app.register(approvalsRoutes);
  await app.register(auditRoutes);
  await app.register(alertsRoutes);
  await app.register(incidentsRoutes);
  await app.register(oncallRoutes);
  await app.register(updatesRoutes);
  await app.register(postmortemsRoutes);
  await app.register(recommendationsRoutes);
  await app.register(kpisRoutes);
  await app.register(overviewRoutes);
  await app.register(correlationsRoutes);
}
