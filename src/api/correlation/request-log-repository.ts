/** The request_log table's SQL: the batch insert of the request log and its pruning to a bound. */
import type { Sql } from '../store';

/** One answered API request as the request log keeps it. */
export interface RequestLogEntry {
  at: Date;
  method: string;
  route: string;
  status: number;
  error_code: string | null;
  correlation_id: string;
  duration_ms: number | null;
  /**
   * The tenant/project the request was made in (its X-Project-ID, as authorized); null for requests
   * outside any project (webhooks, refused or unauthenticated calls, `*`), which only `*` may read.
   */
  tenant: string | null;
  project: string | null;
}

/** One multi-row INSERT for the whole batch (column arrays through unnest). */
export async function insertRequestLog(sql: Sql, batch: RequestLogEntry[]): Promise<void> {
  await sql.query(
    `INSERT INTO request_log (at, method, route, status, error_code, correlation_id, duration_ms, tenant, project)
     SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::float8[], $8::text[], $9::text[])`,
    [
      batch.map((e) => e.at.toISOString()),
      batch.map((e) => e.method),
      batch.map((e) => e.route),
      batch.map((e) => e.status),
      batch.map((e) => e.error_code),
      batch.map((e) => e.correlation_id),
      batch.map((e) => e.duration_ms),
      batch.map((e) => e.tenant),
      batch.map((e) => e.project),
    ]
  );
}

/** Deletes all but the newest `bound` rows. */
export async function pruneRequestLog(sql: Sql, bound: number): Promise<void> {
  await sql.query('DELETE FROM request_log WHERE id <= (SELECT max(id) FROM request_log) - $1', [bound]);
}
