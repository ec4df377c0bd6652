/** Reading an optional YAML catalog file into a zod schema, problems reported as catalog violations. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';

import type { CatalogViolation } from '../../contract/catalog';

/** The parsed file; null when absent (`absent: true`) or invalid (violations pushed). */
export async function readYamlFile<S extends z.ZodType>(
  dir: string,
  file: string,
  schema: S,
  violations: CatalogViolation[]
): Promise<{ value: z.output<S> | null; absent: boolean; text: string | null }> {
  let text: string;
  try {
    text = await readFile(path.join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { value: null, absent: true, text: null };
    }
    throw error;
  }
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    violations.push({ path: file, line: null, rule: 'catalog-file-syntax', severity: 'error', message });
    return { value: null, absent: false, text };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      violations.push({
        path: file,
        line: null,
        rule: 'catalog-schema',
        severity: 'error',
        message: `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
      });
    }
    return { value: null, absent: false, text };
  }
  return { value: parsed.data, absent: false, text };
}

/** Whether Intl knows the IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
