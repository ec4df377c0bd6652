/**
 * The names of the plugin's RBAC capabilities, alone in a file so that both the endpoints table
 * (endpoints.ts, which says what each route needs) and capabilities.ts (which derives the call → capability
 * map from that table) can import them without importing each other.
 */
import { z } from 'zod';

export const Capability = z.enum([
  'incidents:read',
  'incidents:write',
  'approvals:request',
  'approvals:decide',
  'catalog:admin',
]);
export type Capability = z.infer<typeof Capability>;
export const CAPABILITIES = Capability.options;
