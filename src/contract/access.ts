/** catalog/access.yaml and GET /api/v1/me: who may do what, per tenant/project. */
import { z } from 'zod';

import { Role } from './common';

const Binding = z.object({
  role: Role,
  users: z.array(z.string()).default([]),
  teams: z.array(z.string()).default([]),
});

export const AccessFile = z.object({
  version: z.literal(1),
  /** Team name → Grafana logins. */
  teams: z.record(z.string(), z.array(z.string())).default({}),
  /** Grants in every project (and `X-Project-ID: *`). */
  global: z.array(Binding).default([]),
  projects: z
    .array(
      z.object({
        tenant: z.string().min(1),
        project: z.string().min(1),
        bindings: z.array(Binding),
      })
    )
    .default([]),
});
export type AccessFile = z.infer<typeof AccessFile>;

export const Me = z
  .object({
    user: z.string(),
    /**
     * Whether catalog/access.yaml scopes this deployment. False: single-tenant, Grafana's grants alone
     * decide, everywhere; the roles below are then `admin` (no limit). True: the roles below are the
     * most each project lets the user do with what Grafana granted.
     */
    access_file: z.boolean(),
    /** The access.yaml role in the requested scope (X-Project-ID), or the global one when none was given. */
    role: Role.nullable(),
    /** The access.yaml role valid in every project (null unless a global binding names the user). */
    global_role: Role.nullable(),
    projects: z.array(z.object({ tenant: z.string(), project: z.string(), role: Role })),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;
