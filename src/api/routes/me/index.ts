import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { globalRole, memberships } from '../../access/resolve';
import { route } from '../register';

/**
 * Where the caller may act, by catalog/access.yaml: the role in the requested project (X-Project-ID,
 * optional), the role valid everywhere (null unless global), and every project that binds them. What
 * they may do comes from Grafana (the app reads its permissions); the UI gates controls with both.
 */
export async function meRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.me,
    {
      tags: ['access'],
      summary: 'The caller, their role here and everywhere, and their projects',
      errors: { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope },
    },
    async (request) => {
      const access = app.catalog.current().access;
      const user = request.identity.user;
      // The service token alone reads every project (src/api/plugins/auth.ts serviceTokenIdentity).
      const global = request.identity.service ? 'viewer' : globalRole(access, user);
      return {
        user,
        access_file: access !== null,
        role: request.identity.scope ? request.identity.scopeRole : global,
        global_role: global,
        projects: memberships(access, user),
      };
    }
  );
}
