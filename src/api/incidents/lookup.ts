/**
 * Small reads of the incidents table for other modules (approvals shows the incident's title), so
 * they never query `incidents` with their own SQL. Kept apart from repository.ts, which holds the
 * intake's and the incident routes' SQL.
 */
import type { Sql } from '../store';

/** The current title of each incident that exists among `ids` (a title edit shows at once). */
export async function incidentTitles(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ id: string; title: string }>(
    'SELECT id, title FROM incidents WHERE id = ANY($1::text[])',
    [[...new Set(ids)]]
  );
  return new Map(rows.map((row) => [String(row.id), String(row.title)]));
}
