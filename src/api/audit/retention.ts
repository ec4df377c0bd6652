/**
 * The audit-retention trigger: at most once a day (by the API's clock), purge audit rows older than
 * OPSDECK_AUDIT_RETENTION_DAYS (purge.ts does the work and leaves a checkpoint). The remediation
 * worker's tick drives it, so tests move the clock and tick instead of waiting a day; the first tick
 * after start purges, so a restarted API never postpones retention by a day.
 */
import { ulid } from 'ulid';

import type { Store } from '../store';
import { purgeAudit } from './purge';

const PURGE_EVERY_MS = 24 * 60 * 60_000;

export interface RetentionLog {
  info(fields: object, message: string): void;
}

export interface AuditRetention {
  /** Purges if a day has passed since the last purge; returns how many rows it purged (0 when not due). */
  purgeIfDue(now: Date): Promise<number>;
}

export function createAuditRetention(
  store: Store,
  retentionDays: () => number,
  log: () => RetentionLog
): AuditRetention {
  let lastPurgeAt: number | null = null;
  return {
    async purgeIfDue(now) {
      if (lastPurgeAt !== null && now.getTime() - lastPurgeAt < PURGE_EVERY_MS) {
        return 0;
      }
      lastPurgeAt = now.getTime();
      const purge = await purgeAudit(store, {
        retentionDays: retentionDays(),
        now,
        correlationId: `retention-${ulid(now.getTime())}`,
      });
      if (purge.purged > 0) {
        log().info(
          { purged: purge.purged, cutoff: purge.cutoff, checkpoint_id: purge.checkpoint_id },
          'audit retention purge'
        );
      }
      return purge.purged;
    },
  };
}
