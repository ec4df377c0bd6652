/**
 * What alert senders post to the intake: Grafana's webhook contact point and Alertmanager's webhook
 * (version 4). Unknown extra fields are accepted (senders add fields between versions); the fields we
 * use are validated strictly. Times are RFC 3339; Go's zero time `0001-01-01T00:00:00Z` means "unset".
 */
import { z } from 'zod';

export const AlertStatus = z.enum(['firing', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatus>;

const LabelSet = z.record(z.string(), z.string());

/**
 * Length limits on the payload's own strings (issue 17 item 12: 200 KB were accepted). Generous for
 * what senders really send: Alertmanager's groupKey is the route's matchers plus the group labels.
 */
export const WEBHOOK_LIMITS = { receiver: 1_024, groupKey: 8_192, version: 32 } as const;
const RfcTime = z.iso.datetime({ offset: true });

/** One alert of an Alertmanager payload (the intake validates a big payload's alerts in chunks). */
export const AlertmanagerAlert = z.looseObject({
  status: AlertStatus,
  labels: LabelSet.refine((labels) => Object.keys(labels).length > 0, 'an alert needs at least one label'),
  annotations: LabelSet.default({}),
  startsAt: RfcTime,
  endsAt: RfcTime.optional(),
  generatorURL: z.string().default(''),
  fingerprint: z.string().min(1).max(128).optional(),
});

export const AlertmanagerWebhookPayload = z
  .looseObject({
    version: z.literal('4'),
    groupKey: z.string().max(WEBHOOK_LIMITS.groupKey),
    truncatedAlerts: z.number().int().min(0).default(0),
    status: AlertStatus,
    receiver: z.string().max(WEBHOOK_LIMITS.receiver),
    groupLabels: LabelSet.default({}),
    commonLabels: LabelSet.default({}),
    commonAnnotations: LabelSet.default({}),
    externalURL: z.string().default(''),
    alerts: z.array(AlertmanagerAlert).min(1).max(10_000),
  })
  .meta({ id: 'AlertmanagerWebhookPayload' });
export type AlertmanagerWebhookPayload = z.infer<typeof AlertmanagerWebhookPayload>;

/** One alert of a Grafana payload. */
export const GrafanaAlert = AlertmanagerAlert.extend({
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  values: z.record(z.string(), z.number()).nullable().optional(),
  valueString: z.string().optional(),
});

export const GrafanaWebhookPayload = z
  .looseObject({
    receiver: z.string().max(WEBHOOK_LIMITS.receiver),
    status: AlertStatus,
    orgId: z.number().int(),
    alerts: z.array(GrafanaAlert).min(1).max(10_000),
    groupKey: z.string().max(WEBHOOK_LIMITS.groupKey),
    groupLabels: LabelSet.default({}),
    commonLabels: LabelSet.default({}),
    commonAnnotations: LabelSet.default({}),
    externalURL: z.string().default(''),
    version: z.string().max(WEBHOOK_LIMITS.version),
    truncatedAlerts: z.number().int().min(0).default(0),
    title: z.string().optional(),
    state: z.string().optional(),
    message: z.string().optional(),
  })
  .meta({ id: 'GrafanaWebhookPayload' });
export type GrafanaWebhookPayload = z.infer<typeof GrafanaWebhookPayload>;

export const AlertSource = z.enum(['grafana', 'alertmanager']);
export type AlertSource = z.infer<typeof AlertSource>;

/** What the intake did with one payload; sent only after the transaction committed. */
export const IntakeResult = z
  .object({
    received: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    /** Re-deliveries and out-of-order deliveries that changed nothing. */
    unchanged: z.number().int(),
    incident_ids: z.array(z.string()),
    /** Fingerprints of alerts that carry neither a known runbook_id nor a mapped signal_key. */
    missing_runbook: z.array(z.string()),
  })
  .meta({ id: 'IntakeResult' });
export type IntakeResult = z.infer<typeof IntakeResult>;
