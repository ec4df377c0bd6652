/**
 * Reading one catalog file: its text and the line of each entry (SourceFile), parsing JSON or YAML,
 * the `version` envelope, entry-by-entry validation that reports and drops invalid entries, and
 * uniqueness of IDs. Shared by the per-file readers beside this module.
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';

import type { CatalogViolation } from '../../contract/catalog';
import { relativePath } from '../files';
import { fieldOffset, LineIndex, topLevelArraySpans, type Span } from '../source-map';

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One catalog file: its text, parsed data and the line of every top-level array element. */
export class SourceFile {
  private lineIndex: LineIndex | null = null;
  private spans: Map<string, Span[]> | null = null;

  constructor(
    readonly path: string,
    readonly text: string
  ) {}

  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  /** Line of element `index` of top-level array `key` (or of one of its fields). */
  line(key: string, index: number, field?: string): number | null {
    if (!this.path.endsWith('.json')) {
      return null;
    }
    this.spans ??= topLevelArraySpans(this.text);
    const span = this.spans.get(key)?.[index];
    if (!span) {
      return null;
    }
    return this.lines.lineAt(field ? fieldOffset(this.text, span, field) : span.start);
  }
}

export type Violate = (violation: Omit<CatalogViolation, 'severity'> & { severity?: CatalogViolation['severity'] }) => void;

/**
 * Files are read synchronously on purpose: for 10k small files readFileSync takes ~0.27 s here and
 * fs.promises.readFile ~2.4 s (one thread-pool round trip per open/stat/read/close).
 */
export function readSource(absolute: string, root: string): SourceFile | null {
  try {
    return new SourceFile(relativePath(root, absolute), readFileSync(absolute, 'utf8'));
  } catch {
    return null;
  }
}

export function parseStructured(source: SourceFile, violate: Violate): unknown {
  try {
    return source.path.endsWith('.json') ? JSON.parse(source.text) : YAML.parse(source.text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const lineMatch = /line (\d+)/.exec(message);
    const line = position ? source.lines.lineAt(Number(position[1])) : lineMatch ? Number(lineMatch[1]) : null;
    violate({ path: source.path, line, rule: 'catalog-file-syntax', message: message.split('\n')[0] });
    return undefined;
  }
}

/** Validates the file's envelope (`version` and which arrays it has) without its entries. */
export function envelope(
  source: SourceFile,
  data: unknown,
  arrays: readonly string[],
  violate: Violate
): Record<string, unknown[]> | null {
  const schema = z.object({
    version: z.literal(1),
    ...Object.fromEntries(arrays.map((key) => [key, z.array(z.unknown())])),
  });
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      violate({
        path: source.path,
        line: 1,
        rule: 'catalog-schema',
        message: `${issue.path.join('.') || '(root)'}: ${issue.message}`,
      });
    }
    return null;
  }
  return parsed.data as unknown as Record<string, unknown[]>;
}

export interface Entry<T> {
  value: T;
  index: number;
}

/**
 * Validates each element of `items` with `schema`; invalid elements are reported (with `classify`
 * choosing the rule of each issue) and left out.
 */
export function validEntries<S extends z.ZodType>(
  source: SourceFile,
  key: string,
  items: unknown[],
  schema: S,
  idField: string,
  violate: Violate,
  classify: (field: string, raw: Record<string, unknown>) => string = () => 'catalog-schema'
): Array<Entry<z.output<S>>> {
  const out: Array<Entry<z.output<S>>> = [];
  items.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      out.push({ value: parsed.data, index });
      return;
    }
    const record = isRecord(raw) ? raw : {};
    const name =
      typeof record[idField] === 'string' && record[idField] !== '' ? `${String(record[idField])}` : `#${index + 1}`;
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      const fieldPath = issue.path.join('.') || '(entry)';
      const rule = field ? classify(field, record) : 'catalog-schema';
      const message =
        rule === 'runbook-required-field'
          ? `runbook ${name}: ${field} is required`
          : `${key} entry ${name}: ${fieldPath}: ${issue.message}`;
      violate({ path: source.path, line: source.line(key, index, field || undefined), rule, message });
    }
  });
  return out;
}

/** Reports the second and later entries that reuse an ID; returns the first entry of each ID. */
function uniqueBy<T>(
  entries: Array<Entry<T>>,
  idOf: (value: T) => string,
  report: (entry: Entry<T>, firstIndex: number) => void
): Map<string, Entry<T>> {
  const seen = new Map<string, Entry<T>>();
  for (const entry of entries) {
    const id = idOf(entry.value);
    const first = seen.get(id);
    if (first) {
      report(entry, first.index);
    } else {
      seen.set(id, entry);
    }
  }
  return seen;
}

export const declaredStrings = (items: unknown[] | undefined, field: string) =>
  new Set(
    (items ?? []).flatMap((raw) => (isRecord(raw) && typeof raw[field] === 'string' ? [raw[field] as string] : []))
  );

/** The entries of one list by their ID; a repeated ID is a violation at its line, naming the first. */
export function uniqueIn<T>(
  source: SourceFile,
  list: string,
  entries: Array<Entry<T>>,
  idOf: (value: T) => string,
  what: string,
  violate: Violate,
  rule = 'catalog-duplicate-key'
): Map<string, Entry<T>> {
  return uniqueBy(entries, idOf, (entry, firstIndex) =>
    violate({
      path: source.path,
      line: source.line(list, entry.index),
      rule,
      message: `${what} ${idOf(entry.value)} is defined twice (first at line ${source.line(list, firstIndex) ?? '?'}); IDs must be unique`,
    })
  );
}

/** A structured catalog file's `version` envelope with these arrays, or null (reported) when unreadable. */
export function parseListFile(
  source: SourceFile | null,
  arrays: readonly string[],
  violate: Violate
): Record<string, unknown[]> | null {
  const data = source ? parseStructured(source, violate) : undefined;
  return source && data !== undefined ? envelope(source, data, arrays, violate) : null;
}
