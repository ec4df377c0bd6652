/** GET /api/v1/correlations/{correlation_id}: everything Opsdeck knows under one correlation ID. */
import { z } from 'zod';

import { AuditRow } from './audit';
import { IsoDateTime } from './common';
import { IncidentAlert, IncidentSummary } from './incidents';

export const RequestRecord = z.object({
  at: IsoDateTime,
  method: z.string(),
  route: z.string(),
  status: z.number().int(),
  error_code: z.string().nullable(),
  correlation_id: z.string(),
  duration_ms: z.number().nullable(),
});
export type RequestRecord = z.infer<typeof RequestRecord>;

export const ExploreLink = z.object({
  label: z.string(),
  datasource: z.enum(['loki', 'tempo', 'prometheus']),
  query_id: z.string().nullable(),
  url: z.string(),
});
export type ExploreLink = z.infer<typeof ExploreLink>;

export const CorrelationLookup = z
  .object({
    correlation_id: z.string(),
    incidents: z.array(IncidentSummary),
    alerts: z.array(IncidentAlert.extend({ incident_id: z.string() })),
    audit: z.array(AuditRow),
    requests: z.array(RequestRecord),
    trace_ids: z.array(z.string()),
    explore_links: z.array(ExploreLink),
  })
  .meta({ id: 'CorrelationLookup' });
export type CorrelationLookup = z.infer<typeof CorrelationLookup>;
