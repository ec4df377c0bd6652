/**
 * The per-target rate limit, shared by every API process on one database (issue 11.4).
 *
 * Decisions (docs/oncall.md):
 * - The limit belongs to the **target** a channel sends to — a PagerDuty routing key, a Slack webhook
 *   URL, a webhook URL — because that is what the receiving service throttles (Slack ≈ 1 message/s per
 *   webhook, PagerDuty per routing key). Two channels of oncall.yaml pointing at one URL share a bucket.
 *   The key is a hash of the target, never the secret itself.
 * - `rate_per_minute` of the channel (default 60) is the refill rate; the bucket holds a minute's worth,
 *   so a burst leaves at once and a flood is spread out.
 * - The bucket is a row (`notification_rate_buckets`); a delivery batch reserves the tokens it needs
 *   with one atomic upsert, so N processes together stay under the rate (a per-process bucket let
 *   them send N times it). The row lock serialises reservations of one target only.
 * - The app clock drives the refill, so tests move time instead of sleeping.
 */
import { createHash } from 'node:crypto';

import type { Channel } from '../../contract/oncall';
import type { Row, Sql } from '../store';

export const DEFAULT_RATE_PER_MINUTE = 60;

/** The environment value a channel sends to (routing key or URL); undefined when unset. */
export function channelTarget(channel: Channel, env: NodeJS.ProcessEnv): string | undefined {
  if (channel.type === 'pagerduty') {
    return env[channel.routing_key_env];
  }
  return channel.type === 'slack' ? env[channel.webhook_url_env] : env[channel.url_env];
}

/** The bucket key of a channel: its type and a hash of its target. */
export function rateKey(channel: Channel, env: NodeJS.ProcessEnv): string {
  const digest = createHash('sha256')
    .update(channelTarget(channel, env) ?? '')
    .digest('hex');
  return `${channel.type}:${digest.slice(0, 32)}`;
}

export interface Reservation {
  /** Tokens granted now (≤ wanted). */
  granted: number;
  /** When not all were granted: milliseconds until the next token. */
  retryInMs: number;
}

/**
 * Takes up to `want` tokens from the bucket `key` (created full). One statement: the refill from the
 * elapsed time, the grant and the new level are computed from the locked row in one UPDATE.
 */
export async function reserveTokens(
  sql: Sql,
  key: string,
  perMinute: number,
  want: number,
  now: Date
): Promise<Reservation> {
  const refilled = `LEAST($2::float8, b.tokens + $5::float8 * GREATEST(0, EXTRACT(EPOCH FROM ($4::timestamptz - b.refilled_at))::float8))`;
  const grant = (level: string) => `LEAST($3::int, floor(${level}))::int`;
  const { rows } = await sql.query<Row>(
    `INSERT INTO notification_rate_buckets AS b (key, tokens, refilled_at, granted)
     VALUES ($1, $2::float8 - ${grant('$2::float8')}, $4, ${grant('$2::float8')})
     ON CONFLICT (key) DO UPDATE SET tokens = ${refilled} - ${grant(refilled)}, granted = ${grant(refilled)}, refilled_at = $4
     RETURNING tokens, granted`,
    [key, perMinute, want, now.toISOString(), perMinute / 60]
  );
  const granted = Number(rows[0].granted);
  const tokens = Number(rows[0].tokens);
  const retryInMs = granted >= want ? 0 : Math.max(1, Math.ceil(((1 - tokens) / perMinute) * 60_000));
  return { granted, retryInMs };
}
