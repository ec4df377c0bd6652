/** queries.catalog.json: the saved queries, validated entry by entry and unique by ID. */
import { SavedQuery } from '../../contract/catalog';
import { uniqueIn, validEntries, type Entry, type SourceFile, type Violate } from './source';

export function queryEntries(
  source: SourceFile | null,
  file: Record<string, unknown[]> | null,
  violate: Violate
): Map<string, Entry<SavedQuery>> {
  if (!source || !file) {
    return new Map();
  }
  const entries = validEntries(source, 'queries', file.queries, SavedQuery, 'id', violate);
  return uniqueIn(source, 'queries', entries, (q) => q.id, 'saved query', violate);
}
