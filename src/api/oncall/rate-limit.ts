/**
 * Per-channel token buckets (`rate_per_minute` of oncall.yaml), per process: a burst of one minute's
 * worth, refilled continuously. Slack incoming webhooks allow about one message per second per
 * channel; PagerDuty throttles per routing key. Several processes each keep their own bucket.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes a token for `channel`; returns 0 when granted, else the milliseconds until one is free. */
  take(channel: string, perMinute: number, nowMs: number): number {
    const refill = perMinute / 60_000;
    const bucket = this.buckets.get(channel) ?? { tokens: perMinute, at: nowMs };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (nowMs - bucket.at) * refill);
    bucket.at = nowMs;
    this.buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / refill);
  }
}
