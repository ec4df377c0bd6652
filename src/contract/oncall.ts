/**
 * On-call response (issue 11): the two catalog files (catalog/response-policy.yaml, catalog/oncall.yaml),
 * the incident `response` object, the acknowledge/assign/severity requests and the on-call answers.
 */
import { z } from 'zod';

import { IsoDateTime, Severity } from './common';

/**
 * A duration as people write it in YAML: `45s`, `5m`, `2h`, `1d`, `1h30m`. Seconds exist so that tests
 * (and a drill) can run a whole escalation in a minute.
 */
export const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
export const Duration = z
  .string()
  .regex(DURATION_PATTERN, 'a duration such as 45s, 5m, 2h, 1d or 1h30m')
  .refine((text) => text !== '' && durationSeconds(text) > 0, 'a duration must be longer than zero');

function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match || text === '') {
    return 0;
  }
  const [, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return ((d * 24 + h) * 60 + m) * 60 + s;
}

/**
 * Parsed durations: a catalog has a handful of distinct strings, and the escalation worker asks for
 * the same ones for every incident of a burst (10,000 at once in bench/oncall.bench.ts).
 */
const parsedDurations = new Map<string, number>();

/** Seconds of a Duration string (0 when it does not parse: the schema rejects those first). */
export function durationSeconds(text: string): number {
  let seconds = parsedDurations.get(text);
  if (seconds === undefined) {
    seconds = parseDuration(text);
    if (parsedDurations.size < 1_000) {
      parsedDurations.set(text, seconds);
    }
  }
  return seconds;
}

/** `next_business_day`: the start of business hours on the first business day after the opening. */
export const NEXT_BUSINESS_DAY = 'next_business_day';
const ClockDuration = z.union([Duration, z.literal(NEXT_BUSINESS_DAY)]);

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM (00:00 to 24:00)');

export const BusinessHours = z.object({
  timezone: z.string().min(1),
  days: z.array(Weekday).min(1),
  start: ClockTime,
  end: ClockTime,
});
export type BusinessHours = z.infer<typeof BusinessHours>;

/** The three clocks of a severity, all measured from the incident's opening. */
export const SeverityClocks = z.object({
  acknowledge: ClockDuration,
  initial_response: ClockDuration,
  escalate_unresolved: ClockDuration,
});
export type SeverityClocks = z.infer<typeof SeverityClocks>;

export const ResponsePolicyFile = z.object({
  version: z.literal(1),
  business_hours: BusinessHours,
  /** `best_effort`: no clocks (sev4 by default). */
  severities: z.object({
    sev1: z.union([SeverityClocks, z.literal('best_effort')]),
    sev2: z.union([SeverityClocks, z.literal('best_effort')]),
    sev3: z.union([SeverityClocks, z.literal('best_effort')]),
    sev4: z.union([SeverityClocks, z.literal('best_effort')]),
  }),
  triggers: z
    .object({
      /** An incident open longer than this escalates to `to_level`. */
      open_longer_than: z.object({ after: Duration, to_level: z.number().int().min(1).max(9) }).optional(),
      /** Alert labels/annotations stating impact: `customer_impact_users`, `revenue_impact`. */
      customer_impact_users_above: z
        .object({ value: z.number().min(0), to_level: z.number().int().min(1).max(9) })
        .optional(),
      revenue_impact_above: z.object({ value: z.number().min(0), to_level: z.number().int().min(1).max(9) }).optional(),
      /** Any of these alert labels present (value not `false`) → straight to `to_level` at once. */
      labels: z
        .object({ names: z.array(z.string().min(1)).min(1), to_level: z.number().int().min(1).max(9) })
        .optional(),
    })
    .default({}),
});
export type ResponsePolicyFile = z.infer<typeof ResponsePolicyFile>;

// ---------------------------------------------------------------------------------------------------
// catalog/oncall.yaml

const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, . _ -');
const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');

export const OncallUser = z.object({
  id: Id,
  name: z.string().min(1),
  email: z.email().optional(),
  /** The person's Slack member ID (U…), for mentions. */
  slack_id: z.string().optional(),
});
export type OncallUser = z.infer<typeof OncallUser>;

/** Strict: a literal secret (`routing_key:`, `url:`) in the file is an error, not silently ignored. */
export const Channel = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('pagerduty'),
    routing_key_env: EnvName,
    rate_per_minute: z.number().int().min(1).default(60),
  }),
  z.strictObject({
    type: z.literal('slack'),
    webhook_url_env: EnvName,
    rate_per_minute: z.number().int().min(1).default(60),
  }),
  z.strictObject({
    type: z.literal('webhook'),
    url_env: EnvName,
    secret_env: EnvName,
    rate_per_minute: z.number().int().min(1).default(60),
  }),
]);
export type Channel = z.infer<typeof Channel>;

export const OncallRole = z.enum(['primary', 'secondary']);
export type OncallRole = z.infer<typeof OncallRole>;

/**
 * One layer of a schedule: `users` take turns, each for `shift` (e.g. 7d weekly, 1d daily), from the
 * `start` instant (the handoff moment), counted in the schedule's time zone so that a Monday 09:00
 * handoff stays at 09:00 across daylight-saving changes. `window` restricts the layer to a daily time
 * range (follow-the-sun: three layers with 00:00–08:00, 08:00–16:00, 16:00–24:00). When layers of a
 * role overlap, the later layer wins (as in Grafana OnCall).
 */
export const RotationLayer = z.object({
  name: z.string().min(1),
  role: OncallRole,
  users: z.array(Id).min(1),
  start: IsoDateTime,
  shift: Duration,
  window: z.object({ from: ClockTime, to: ClockTime }).optional(),
});
export type RotationLayer = z.infer<typeof RotationLayer>;

export const Override = z.object({
  role: OncallRole,
  user: Id,
  from: IsoDateTime,
  to: IsoDateTime,
  reason: z.string().optional(),
});
export type Override = z.infer<typeof Override>;

export const Schedule = z.object({
  timezone: z.string().min(1).default('UTC'),
  /** Handoff summary time for the shift, in the schedule's time zone (when the summary is prepared). */
  handoff: z.object({ day: Weekday.optional(), time: ClockTime }),
  layers: z.array(RotationLayer).min(1),
  overrides: z.array(Override).default([]),
});
export type Schedule = z.infer<typeof Schedule>;

/** Who a chain level pages: the current primary/secondary of the team, and/or named users. */
export const EscalationLevel = z.object({
  level: z.number().int().min(1).max(9),
  notify: z.array(z.union([z.enum(['primary', 'secondary']), z.string().regex(/^user:/)])).min(1),
  channels: z.array(Id).min(1),
  /** How long to wait for an acknowledgement before the next level. */
  wait: Duration,
});
export type EscalationLevel = z.infer<typeof EscalationLevel>;

export const OncallTeam = z.object({
  name: z.string().min(1).optional(),
  members: z.array(Id).default([]),
  schedule: Schedule,
  escalation: z.array(EscalationLevel).min(1),
});
export type OncallTeam = z.infer<typeof OncallTeam>;

export const OncallFile = z.object({
  version: z.literal(1),
  users: z.array(OncallUser),
  channels: z.record(Id, Channel).default({}),
  teams: z.record(Id, OncallTeam),
});
export type OncallFile = z.infer<typeof OncallFile>;

// ---------------------------------------------------------------------------------------------------
// API shapes

export const ClockStatus = z.enum(['pending', 'met', 'breached']);
export type ClockStatus = z.infer<typeof ClockStatus>;

export const IncidentResponse = z
  .object({
    ack_due_at: IsoDateTime.nullable().describe('null for best-effort severities'),
    ack_status: ClockStatus,
    acknowledged_at: IsoDateTime.nullable(),
    acknowledged_by: z.string().nullable(),
    response_due_at: IsoDateTime.nullable(),
    response_status: ClockStatus,
    responded_at: IsoDateTime.nullable(),
    responded_by: z.string().nullable(),
    escalate_due_at: IsoDateTime.nullable().describe('escalation if still unresolved at this time'),
    escalation_level: z.number().int().min(1),
    next_escalation_at: IsoDateTime.nullable(),
    next_escalation_level: z.number().int().nullable(),
    assignee: z.string().nullable(),
    commander: z.string().nullable(),
  })
  .meta({ id: 'IncidentResponse' });
export type IncidentResponse = z.infer<typeof IncidentResponse>;

export const AssignRequest = z
  .object({
    /** A user (login); null clears it. */
    assignee: z.string().trim().min(1).max(128).nullable().optional(),
    commander: z.string().trim().min(1).max(128).nullable().optional(),
    /** "Take it": the caller becomes the assignee (and acknowledges when nobody has). */
    take: z.literal(true).optional(),
  })
  .refine(
    (body) => body.assignee !== undefined || body.commander !== undefined || body.take,
    'give assignee, commander or take: true'
  )
  .refine((body) => !(body.take && body.assignee !== undefined), 'take: true and assignee are exclusive');
export type AssignRequest = z.infer<typeof AssignRequest>;

export const SeverityChangeRequest = z.object({
  severity: Severity,
  reason: z.string().trim().min(3).max(2000),
});
export type SeverityChangeRequest = z.infer<typeof SeverityChangeRequest>;

/**
 * A person reclassifies the incident: the catalog signal it really is (`null`: none fits), with a
 * reason. Like a severity change, it counts toward the false classification KPI.
 */
export const SignalChangeRequest = z.object({
  signal: z.string().trim().min(1).max(200).nullable(),
  reason: z.string().trim().min(3).max(2000),
});
export type SignalChangeRequest = z.infer<typeof SignalChangeRequest>;

export const OnCallShift = z.object({
  user: z.string(),
  name: z.string(),
  from: IsoDateTime,
  until: IsoDateTime,
  /** `rotation:<layer>` or `override`. */
  source: z.string(),
});
export type OnCallShift = z.infer<typeof OnCallShift>;

export const TeamOnCall = z.object({
  team: z.string(),
  primary: OnCallShift.nullable(),
  secondary: OnCallShift.nullable(),
});
export type TeamOnCall = z.infer<typeof TeamOnCall>;

export const OnCallNow = z.object({ at: IsoDateTime, teams: z.array(TeamOnCall) }).meta({ id: 'OnCallNow' });
export type OnCallNow = z.infer<typeof OnCallNow>;

export const TimelineSegment = z.object({
  role: OncallRole,
  user: z.string().nullable().describe('null: nobody on call (a gap)'),
  name: z.string().nullable(),
  from: IsoDateTime,
  until: IsoDateTime,
  source: z.string().nullable(),
});
export type TimelineSegment = z.infer<typeof TimelineSegment>;

export const TeamSchedule = z
  .object({
    team: z.string(),
    name: z.string(),
    timezone: z.string(),
    handoff: z.string().describe('e.g. "mon 09:00 Europe/London"'),
    now: TeamOnCall,
    /** The next `days` days of both roles. */
    timeline: z.array(TimelineSegment),
    escalation: z.array(
      z.object({
        level: z.number().int(),
        notify: z.array(z.string()),
        /** Who that is right now (primary/secondary resolved through the schedule). */
        resolved: z.array(z.string()),
        channels: z.array(z.object({ id: z.string(), type: z.string(), configured: z.boolean() })),
        wait_seconds: z.number().int(),
      })
    ),
  })
  .meta({ id: 'TeamSchedule' });
export type TeamSchedule = z.infer<typeof TeamSchedule>;

export const TeamScheduleList = z.object({ at: IsoDateTime, days: z.number().int(), teams: z.array(TeamSchedule) });
export type TeamScheduleList = z.infer<typeof TeamScheduleList>;

// ---------- handoff summary (issue 11) ----------

export const HandoffItem = z.object({
  incident_id: z.string().nullable(),
  title: z.string(),
  detail: z.string(),
});
export type HandoffItem = z.infer<typeof HandoffItem>;

export const PostedHandoff = z
  .object({
    id: z.string(),
    team: z.string(),
    shift_from: IsoDateTime,
    shift_until: IsoDateTime,
    text: z.string(),
    posted_by: z.string(),
    posted_at: IsoDateTime,
    /** The active incidents whose timeline the handoff was posted to. */
    incident_ids: z.array(z.string()),
  })
  .meta({ id: 'PostedHandoff' });
export type PostedHandoff = z.infer<typeof PostedHandoff>;

/**
 * The handoff of a team's running shift: what the outgoing on-call hands over, generated from the
 * store (active incidents, ongoing investigations, upcoming changes, known issues) as an editable
 * markdown draft, and the latest handoff posted for this shift.
 */
export const HandoffSummary = z
  .object({
    team: z.string(),
    shift: z.object({ from: IsoDateTime, until: IsoDateTime, primary: z.string().nullable() }),
    generated_at: IsoDateTime,
    sections: z.object({
      active_incidents: z.array(HandoffItem),
      ongoing_investigations: z.array(HandoffItem),
      upcoming_changes: z.array(HandoffItem),
      known_issues: z.array(HandoffItem),
    }),
    text: z.string(),
    posted: PostedHandoff.nullable(),
  })
  .meta({ id: 'HandoffSummary' });
export type HandoffSummary = z.infer<typeof HandoffSummary>;

export const HandoffPost = z
  .object({
    /** The (edited) text to post. */
    text: z.string().trim().min(1).max(20_000),
    /** The shift it hands over (HandoffSummary.shift.from): a stale page cannot post to the next shift. */
    shift_from: IsoDateTime,
  })
  .strict();
export type HandoffPost = z.infer<typeof HandoffPost>;
