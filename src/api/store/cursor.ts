/**
 * The opaque page cursor of every keyset-paginated list (audit, approvals): the last row's id,
 * as base64url JSON, so callers cannot build one by hand and the encoding can change. Shared, so
 * one module's list does not borrow another module's codec.
 */
export function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ id }), 'utf8').toString('base64url');
}

/** The id inside a cursor this API issued, or null for anything else. */
export function decodeCursor(cursor: string): string | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    return typeof value.id === 'string' || typeof value.id === 'number' ? String(value.id) : null;
  } catch {
    return null;
  }
}
