/** The tamper-evident audit log as the API returns it. */
import { z } from 'zod';

import { IsoDateTime } from './common';

export const AuditRow = z
  .object({
    id: z.number().int(),
    occurred_at: IsoDateTime,
    kind: z.enum(['event', 'checkpoint']),
    actor: z.string(),
    role: z.string(),
    tenant: z.string().nullable(),
    project: z.string().nullable(),
    action: z.string(),
    target_type: z.string(),
    target_id: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    correlation_id: z.string(),
    source_ip: z.string().nullable(),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditRow' });
export type AuditRow = z.infer<typeof AuditRow>;

export const AuditQuery = z.object({
  correlation_id: z.string().optional(),
  actor: z.string().optional(),
  target_type: z.string().optional(),
  target_id: z.string().optional(),
  action: z.string().optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z
  .object({ items: z.array(AuditRow), next_cursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditVerifyResult = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    first_broken_id: z.number().int().nullable(),
    reason: z.string().nullable(),
    /** Hash the next row will chain from; record it elsewhere to detect a truncated tail later. */
    head_hash: z.string().nullable(),
    /** The retention checkpoint the walk started from, when the oldest rows were purged. */
    checkpoint_id: z.number().int().nullable(),
  })
  .meta({ id: 'AuditVerifyResult' });
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;
