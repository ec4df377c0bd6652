import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

import { Me } from '../../../contract/access';
import { ErrorEnvelope } from '../../../contract/common';
import { globalRole, memberships } from '../../access/resolve';

/**
 * Who the caller is to Opsdeck: the role in the requested project (X-Project-ID, optional), the role
 * valid everywhere (null unless global), and every project that binds them. The UI gates controls with it.
 */
export async function meRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/me',
    {
      config: { auth: { role: 'viewer' } },
      schema: {
        tags: ['access'],
        summary: 'The caller, their role here and everywhere, and their projects',
        response: { 200: Me, 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope },
      },
    },
    async (request) => {
      const access = app.catalog.current().access;
      const subject = { user: request.identity.user, grafanaRole: request.identity.grafanaRole };
      // The service token alone reads every project (src/api/plugins/auth.ts serviceTokenIdentity).
      const global = request.identity.service ? 'viewer' : globalRole(access, subject);
      return {
        user: request.identity.user,
        grafana_role: request.identity.grafanaRole,
        role: request.identity.scope ? request.identity.role : global,
        global_role: global,
        projects: memberships(access, subject),
      };
    }
  );
}
