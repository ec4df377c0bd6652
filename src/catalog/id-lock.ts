/**
 * catalog/runbook-ids.lock: every runbook ID ever published, one per line. Alerts, incident history,
 * bookmarks and chat links use runbook IDs, so an ID may be added but never removed; the linter fails
 * when an ID of the lock is missing from the manifest (`runbook-id-removed`). This works without git
 * history: the lock is committed, and deleting a line is a reviewed, visible change.
 */
import { writeFile } from 'node:fs/promises';

export const ID_LOCK_FILE = 'runbook-ids.lock';

const HEADER = `# Runbook IDs ever published, one per line (kept sorted by \`opsdeck lint --write-lock\`).
# Alerts, incidents and links refer to these IDs: \`opsdeck lint\` fails when one disappears from
# runbooks.catalog.json. Renaming or moving a markdown file changes its \`url\`, never its ID.
# Add new IDs with \`opsdeck lint --write-lock\`; never delete a line.
`;

export interface IdLock {
  ids: Map<string, number>;
}

/** ID → 1-based line; `#` comments and blank lines are ignored. */
export function parseIdLock(text: string): IdLock {
  const ids = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const id = raw.replace(/#.*$/, '').trim();
    if (id && !ids.has(id)) {
      ids.set(id, index + 1);
    }
  });
  return { ids };
}

/** The lock text after adding `ids` to the existing ones (existing IDs are always kept). */
export function lockText(existing: Iterable<string>, ids: Iterable<string>): string {
  const all = [...new Set([...existing, ...ids])].sort();
  return `${HEADER}${all.join('\n')}\n`;
}

export async function writeIdLock(file: string, existing: Iterable<string>, ids: Iterable<string>): Promise<void> {
  await writeFile(file, lockText(existing, ids));
}
