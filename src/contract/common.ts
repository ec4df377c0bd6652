/**
 * Shapes shared by every part of the API. The contract imports nothing of ours, only zod:
 * the API validates with these schemas, the app and the datasource type with them.
 */
import { z } from 'zod';

/** Correlation IDs accepted from callers; anything else is replaced by a generated one. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;
export const CorrelationId = z.string().regex(CORRELATION_ID_PATTERN);

/** Every non-2xx answer of the API has exactly this shape. */
export const ErrorEnvelope = z
  .object({
    code: z.string().describe('Stable machine-readable error code, e.g. invalid_request, runbook_not_found'),
    message: z.string().describe('Human-readable explanation; safe to show to the user'),
    correlation_id: z.string().describe('The request correlation ID; quote it when asking for help'),
    details: z.record(z.string(), z.unknown()).describe('Structured context, e.g. validation issues'),
  })
  .meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** Error codes the API uses; clients may switch on them. */
export const ERROR_CODES = [
  'invalid_request',
  'unauthenticated',
  'insufficient_permissions',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'not_ready',
  'store_unavailable',
  'request_timeout',
  'headers_too_large',
  'internal_error',
  'runbook_not_found',
  'query_not_found',
  'signal_not_found',
  'missing_variable',
  'catalog_invalid',
  'incident_not_found',
  'invalid_transition',
  'approval_not_found',
  'action_not_found',
  'separation_of_duties',
  'already_decided',
  'expired',
  'rate_limited',
  // issue 18: a change refused by the error budget policy's freeze, and break-glass waiting for an admin
  'change_frozen',
  'admin_approval_required',
  // issue 13: intake overload (too many payloads waiting), answered 503 with Retry-After
  'overloaded',
  // issue 17: an Idempotency-Key sent again with a different request
  'idempotency_key_reused',
  // issue 11: acknowledging or assigning an incident that is no longer open
  'incident_not_open',
  // issue 11: a handoff posted for a shift that has ended (the page was generated before the shift change)
  'shift_changed',
  // issue 12: postmortems and their action items
  'postmortem_exists',
  'postmortem_not_found',
  'postmortem_required',
  'action_item_not_found',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const IsoDateTime = z.iso.datetime({ offset: true });
export const IsoDate = z.iso.date();

/** Incident/runbook severity, sev1 being the worst. */
export const Severity = z.enum(['sev1', 'sev2', 'sev3', 'sev4']);
export type Severity = z.infer<typeof Severity>;
export const SEVERITY_ORDER: Record<Severity, number> = { sev1: 1, sev2: 2, sev3: 3, sev4: 4 };

/** A page of results. `next_cursor` is opaque; absent on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next_cursor: z.string().nullable(),
  });
}
export const CursorQuery = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Canonical platform resource name: core42:aicloud:{region}:{tenant_id}:{project_id}:{resource_type}:{resource_id}. */
export const RESOURCE_NAME_PATTERN =
  /^core42:aicloud:([a-z0-9-]+):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+):([a-z0-9_-]+):([A-Za-z0-9._-]+)$/;
export const ResourceName = z
  .string()
  .regex(
    RESOURCE_NAME_PATTERN,
    'expected core42:aicloud:{region}:{tenant_id}:{project_id}:{resource_type}:{resource_id}'
  );

/** The three host roles of the platform, in the order a failure is looked for. */
export const HostRole = z.enum(['platform_control', 'app_control', 'worker_compute']);
export type HostRole = z.infer<typeof HostRole>;

/** Opsdeck roles, weakest first. */
export const Role = z.enum(['viewer', 'operator', 'approver', 'admin']);
export type Role = z.infer<typeof Role>;

export const HealthStatus = z.object({ status: z.literal('ok') });
export const ReadyStatus = z.object({
  status: z.literal('ready'),
  store: z.enum(['embedded', 'postgres']),
  schema_version: z.number().int(),
});
export type ReadyStatus = z.infer<typeof ReadyStatus>;
