/**
 * The response columns of `incidents` (who responded, acknowledged, is assigned, commands; the
 * severity a person set): the writes of the on-call response, each one statement.
 */
import type { Sql } from '../store';

/**
 * A person's first status update or state move is the initial response; a state move also fills
 * acknowledged_by when the incident was acknowledged without a name (see lifecycleTimes).
 */
export async function markResponded(tx: Sql, id: string, user: string, now: Date) {
  await tx.query(
    `UPDATE incidents SET responded_at = COALESCE(responded_at, $2), responded_by = COALESCE(responded_by, $3),
       acknowledged_by = CASE WHEN acknowledged_at IS NOT NULL THEN COALESCE(acknowledged_by, $3) END
     WHERE id = $1`,
    [id, now.toISOString(), user]
  );
}

/** Sets acknowledged_* (and the assignee when there is none). */
export async function markAcknowledged(tx: Sql, id: string, user: string, now: Date) {
  await tx.query(
    `UPDATE incidents SET acknowledged_at = $2, acknowledged_by = $3, assignee = COALESCE(assignee, $3), updated_at = GREATEST(updated_at, $2)
     WHERE id = $1`,
    [id, now.toISOString(), user]
  );
}

export async function setAssignment(
  tx: Sql,
  id: string,
  next: { assignee: string | null; commander: string | null },
  now: Date
) {
  await tx.query(
    'UPDATE incidents SET assignee = $2, commander = $3, updated_at = GREATEST(updated_at, $4) WHERE id = $1',
    [id, next.assignee, next.commander, now.toISOString()]
  );
}

export async function setSeverity(tx: Sql, id: string, severity: string, now: Date) {
  await tx.query('UPDATE incidents SET severity = $2, updated_at = GREATEST(updated_at, $3) WHERE id = $1', [
    id,
    severity,
    now.toISOString(),
  ]);
}

/** A person's reclassification: the signal and its group (the runbooks the alerts declared stay). */
export async function setIncidentSignal(
  tx: Sql,
  id: string,
  signal: { key: string | null; group: string | null },
  at: Date
): Promise<void> {
  await tx.query(
    'UPDATE incidents SET signal_key = $2, signal_group = $3, updated_at = GREATEST(updated_at, $4) WHERE id = $1',
    [id, signal.key, signal.group, at.toISOString()]
  );
}
