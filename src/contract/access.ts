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
    grafana_role: z.enum(['Viewer', 'Editor', 'Admin']).nullable(),
    /** Role in the requested scope (X-Project-ID), or the global role when none was given. */
    role: Role.nullable(),
    global_role: Role.nullable(),
    projects: z.array(z.object({ tenant: z.string(), project: z.string(), role: Role })),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;
