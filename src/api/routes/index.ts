import type { FastifyInstance } from 'fastify';

import { requestLogPlugin } from '../correlation/plugin';
import { overviewPlugin } from '../overview/plugin';
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
  // Request hooks that must see every route below (request log, in_memory counters): first.
  await app.register(requestLogPlugin);
  await app.register(overviewPlugin);
  await app.register(healthRoutes);
  await app.register(runbooksRoutes, { prefix: '/api/v1' });
  await app.register(signalsRoutes, { prefix: '/api/v1' });
  await app.register(queriesRoutes, { prefix: '/api/v1' });
  await app.register(catalogRoutes, { prefix: '/api/v1' });
  await app.register(adminRoutes, { prefix: '/api/v1' });
  await app.register(slosRoutes, { prefix: '/api/v1' });
  await app.register(meRoutes, { prefix: '/api/v1' });
  await app.register(actionsRoutes, { prefix: '/api/v1' });
  await app.register(approvalsRoutes, { prefix: '/api/v1' });
  await app.register(auditRoutes, { prefix: '/api/v1' });
  await app.register(alertsRoutes, { prefix: '/api/v1' });
  await app.register(incidentsRoutes, { prefix: '/api/v1' });
  await app.register(oncallRoutes, { prefix: '/api/v1' });
  await app.register(updatesRoutes, { prefix: '/api/v1' });
  await app.register(postmortemsRoutes, { prefix: '/api/v1' });
  await app.register(recommendationsRoutes, { prefix: '/api/v1' });
  await app.register(kpisRoutes, { prefix: '/api/v1' });
  await app.register(overviewRoutes, { prefix: '/api/v1' });
  await app.register(correlationsRoutes, { prefix: '/api/v1' });
}
