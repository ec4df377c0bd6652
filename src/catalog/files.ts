/** Small file helpers shared by the loader and the linter (a leaf module: Node built-ins only). */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The catalog files, relative to the catalog directory. */
export const CATALOG_FILES = {
  runbooks: 'runbooks.catalog.json',
  queries: 'queries.catalog.json',
  symptoms: 'symptoms.catalog.json',
  grouping: 'grouping.yaml',
} as const;

/** Repo-relative path with forward slashes, as lint messages and the API show it. */
export function relativePath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

/** Every file under `dir` (recursively) whose name ends with one of `extensions`, sorted; [] when absent. */
export function listFiles(dir: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (extensions.some((extension) => entry.name.endsWith(extension))) {
        found.push(full);
      }
    }
  };
  walk(dir);
  return found.sort();
}

/** Whether a runbook `url` is an external link rather than a path inside the repository. */
export const isExternalUrl = (url: string) => /^[a-z][a-z0-9+.-]*:/i.test(url);
