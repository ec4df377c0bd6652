/**
 * Reads the catalog directory (manifest, saved queries, symptoms, grouping, runbook markdown) and the
 * alert rules of the repository, validates them with the contract and builds the immutable Catalog.
 *
 * `readCatalog` is tolerant: it validates entry by entry, records every problem with its file and line,
 * and keeps the valid entries, so the linter reports everything in one run. `loadCatalog` is what the
 * API uses: it throws CatalogLoadError when any problem makes the catalog unfit to serve, so a reload
 * keeps the previous catalog and reports all violations at once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

import {
  GroupingFile,
  QueryDatasource,
  RunbookEntry,
  SavedQuery,
  Signal,
  SignalGroup,
  Symptom,
  type CatalogViolation,
} from '../contract/catalog';
import { loadAccess } from './access';
import { loadActions } from './actions';
import { loadOncall } from './oncall/oncall-file';
import { loadResponsePolicy } from './oncall/response-policy';
import { loadCommunication } from './communication';
import { readAlertIndex } from './alert-rules';
import { CATALOG_FILES, isExternalUrl, readTextSync, relativePath, repoPath } from './files';
import { parseRunbookMarkdown } from './markdown';
import type { AlertIndex, Catalog, LocationKind, RunbookDocument, SourceLocation } from './model';
import { parseIsoDate } from './review';
import { fieldOffset, LineIndex, topLevelArraySpans, type Span } from './source-map';

export { CATALOG_FILES } from './files';

export class CatalogLoadError extends Error {
  constructor(readonly violations: CatalogViolation[]) {
    const shown = violations.slice(0, 20).map((v) => `${v.path}${v.line ? `:${v.line}` : ''}: ${v.rule}: ${v.message}`);
    const more = violations.length > shown.length ? `; and ${violations.length - shown.length} more` : '';
    super(`catalog is invalid: ${shown.join('; ')}${more}`);
    this.name = 'CatalogLoadError';
  }
}

export interface LoadOptions {
  /** Repository root, where alerts/ and provisioning/ live and runbook URLs are resolved; default: the catalog dir's parent. */
  root?: string;
  now?: Date;
  /** Compute Catalog.revision (sha256 of every file read); the linter does not need it. Default true. */
  revision?: boolean;
  /** The alert index when it is read elsewhere (the lint worker thread); default: read here. */
  alerts?: Promise<AlertIndex>;
  /**
   * Called as soon as the files are parsed (before validation) with every signal expression and saved
   * query found in them, so that the lint worker thread can start parsing them.
   */
  onExpressions?: (items: Array<[QueryDatasource, string]>) => void;
}

/** Every ID the catalog files declare, valid entries or not: the linter's existence checks use these. */
export interface DeclaredIds {
  runbookIds: ReadonlySet<string>;
  signalKeys: ReadonlySet<string>;
  signalGroupKeys: ReadonlySet<string>;
  queryIds: ReadonlySet<string>;
  /** Signal keys some runbook entry lists. */
  coveredSignals: ReadonlyMap<string, readonly string[]>;
  /** Every runbook `url`, resolved to a repo-relative path when it is one. */
  runbookPaths: ReadonlySet<string>;
  /** The catalog files that were read and parsed; existence checks against a broken file are skipped. */
  filesRead: ReadonlySet<keyof typeof CATALOG_FILES>;
}

export interface CatalogRead {
  catalog: Catalog;
  /** Problems of the catalog files; any `error` makes the catalog unfit to serve. */
  violations: CatalogViolation[];
  declared: DeclaredIds;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One catalog file: its text, parsed data and the line of every top-level array element. */
class SourceFile {
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

type Violate = (violation: Omit<CatalogViolation, 'severity'> & { severity?: CatalogViolation['severity'] }) => void;

/**
 * Files are read synchronously on purpose: for 10k small files readFileSync takes ~0.27 s here and
 * fs.promises.readFile ~2.4 s (one thread-pool round trip per open/stat/read/close).
 */
function readSource(absolute: string, root: string): SourceFile | null {
  try {
    return new SourceFile(relativePath(root, absolute), readFileSync(absolute, 'utf8'));
  } catch {
    return null;
  }
}

function parseStructured(source: SourceFile, violate: Violate): unknown {
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
function envelope(
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

interface Entry<T> {
  value: T;
  index: number;
}

/**
 * Validates each element of `items` with `schema`; invalid elements are reported (with `classify`
 * choosing the rule of each issue) and left out.
 */
function validEntries<S extends z.ZodType>(
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

function classifyRunbookIssue(field: string, raw: Record<string, unknown>): string {
  const value = raw[field];
  if (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0 && field === 'signals')
  ) {
    return 'runbook-required-field';
  }
  if (field === 'id') {
    return 'runbook-id-format';
  }
  if (field === 'last_reviewed_at') {
    return 'runbook-date-invalid';
  }
  return 'catalog-schema';
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

const declaredStrings = (items: unknown[] | undefined, field: string) =>
  new Set(
    (items ?? []).flatMap((raw) => (isRecord(raw) && typeof raw[field] === 'string' ? [raw[field] as string] : []))
  );

function readDocument(root: string, relative: string): RunbookDocument {
  const content = readTextSync(`${root}${path.sep}${relative}`);
  if (content === null) {
    return {
      path: relative,
      content: null,
      title: null,
      declaredId: null,
      sections: [],
      checklist: [],
      citedQueries: [],
    };
  }
  return { path: relative, content, ...parseRunbookMarkdown(content) };
}

/** Reads and validates everything; never throws for content problems (see CatalogRead.violations). */
export async function readCatalog(dir: string, options: LoadOptions = {}): Promise<CatalogRead> {
  const absolute = path.resolve(dir);
  const root = path.resolve(options.root ?? path.dirname(absolute));
  const violations: CatalogViolation[] = [];
  const violate: Violate = (v) => violations.push({ severity: 'error', ...v });
  const catalogPath = (file: string) => relativePath(root, path.join(absolute, file));

  // Actions, approval policy and access (issue 5) have their own loaders; they report paths relative
  // to the catalog directory, made repo-relative here like every other violation.
  const remediationViolations: CatalogViolation[] = [];
  // Awaited last, so that the lint worker thread reads alert rules while this thread reads the rest.
  const alertsRead = options.alerts ?? readAlertIndex(root);
  const [
    runbooksSource,
    queriesSource,
    symptomsSource,
    groupingSource,
    remediation,
    access,
    responsePolicy,
    oncall,
    communication,
  ] = await Promise.all([
    readSource(path.join(absolute, CATALOG_FILES.runbooks), root),
    readSource(path.join(absolute, CATALOG_FILES.queries), root),
    readSource(path.join(absolute, CATALOG_FILES.symptoms), root),
    readSource(path.join(absolute, CATALOG_FILES.grouping), root),
    loadActions(absolute, remediationViolations),
    loadAccess(absolute, remediationViolations),
    loadResponsePolicy(absolute, remediationViolations),
    loadOncall(absolute, remediationViolations),
    loadCommunication(absolute, remediationViolations),
  ]);
  for (const violation of remediationViolations) {
    violations.push({ ...violation, path: catalogPath(violation.path) });
  }
  for (const [file, source] of [
    [CATALOG_FILES.runbooks, runbooksSource],
    [CATALOG_FILES.queries, queriesSource],
    [CATALOG_FILES.symptoms, symptomsSource],
  ] as const) {
    if (!source) {
      violate({
        path: catalogPath(file),
        line: null,
        rule: 'catalog-file-missing',
        message: `${file} is missing from ${relativePath(root, absolute) || '.'}`,
      });
    }
  }

  // ---- runbooks.catalog.json: signal groups, signals, runbooks
  const manifestData = runbooksSource ? parseStructured(runbooksSource, violate) : undefined;
  const manifest =
    runbooksSource && manifestData !== undefined
      ? envelope(runbooksSource, manifestData, ['signal_groups', 'signals', 'runbooks'], violate)
      : null;
  const queriesData = queriesSource ? parseStructured(queriesSource, violate) : undefined;
  const queriesFile =
    queriesSource && queriesData !== undefined ? envelope(queriesSource, queriesData, ['queries'], violate) : null;
  const symptomsData = symptomsSource ? parseStructured(symptomsSource, violate) : undefined;
  const symptomsFile =
    symptomsSource && symptomsData !== undefined ? envelope(symptomsSource, symptomsData, ['symptoms'], violate) : null;

  let grouping = GroupingFile.parse({ version: 1 });
  if (groupingSource) {
    const data = parseStructured(groupingSource, violate);
    if (data !== undefined) {
      const parsed = GroupingFile.safeParse(data);
      if (parsed.success) {
        grouping = parsed.data;
      } else {
        for (const issue of parsed.error.issues) {
          violate({
            path: groupingSource.path,
            line: null,
            rule: 'catalog-schema',
            message: `${issue.path.join('.') || '(root)'}: ${issue.message}`,
          });
        }
      }
    }
  }

  const declared: DeclaredIds = {
    runbookIds: declaredStrings(manifest?.runbooks, 'id'),
    signalKeys: declaredStrings(manifest?.signals, 'key'),
    signalGroupKeys: declaredStrings(manifest?.signal_groups, 'key'),
    queryIds: declaredStrings(queriesFile?.queries, 'id'),
    coveredSignals: new Map(),
    runbookPaths: new Set(
      [...declaredStrings(manifest?.runbooks, 'url')]
        .filter((url) => !isExternalUrl(url))
        .map((url) => repoPath(root, url))
        .filter((relative): relative is string => relative !== null)
    ),
    filesRead: new Set(
      (
        [
          ['runbooks', manifest],
          ['queries', queriesFile],
          ['symptoms', symptomsFile],
        ] as const
      ).flatMap(([name, file]) => (file ? [name] : []))
    ),
  };
  if (options.onExpressions) {
    const items: Array<[QueryDatasource, string]> = [];
    for (const raw of manifest?.signals ?? []) {
      if (isRecord(raw) && typeof raw.expr === 'string') {
        items.push(['prometheus', raw.expr]);
      }
    }
    for (const raw of queriesFile?.queries ?? []) {
      const datasource = isRecord(raw) ? QueryDatasource.safeParse(raw.datasource) : null;
      if (isRecord(raw) && typeof raw.expr === 'string' && datasource?.success) {
        items.push([datasource.data, raw.expr]);
      }
    }
    options.onExpressions(items);
  }
  const covered = declared.coveredSignals as Map<string, string[]>;
  for (const raw of manifest?.runbooks ?? []) {
    if (isRecord(raw) && typeof raw.id === 'string' && Array.isArray(raw.signals)) {
      for (const signal of raw.signals) {
        if (typeof signal === 'string') {
          covered.set(signal, [...(covered.get(signal) ?? []), raw.id]);
        }
      }
    }
  }

  const groupEntries =
    runbooksSource && manifest
      ? validEntries(runbooksSource, 'signal_groups', manifest.signal_groups, SignalGroup, 'key', violate)
      : [];
  const signalEntries =
    runbooksSource && manifest ? validEntries(runbooksSource, 'signals', manifest.signals, Signal, 'key', violate) : [];
  const runbookEntries =
    runbooksSource && manifest
      ? validEntries(runbooksSource, 'runbooks', manifest.runbooks, RunbookEntry, 'id', violate, classifyRunbookIssue)
      : [];
  const queryEntries =
    queriesSource && queriesFile
      ? validEntries(queriesSource, 'queries', queriesFile.queries, SavedQuery, 'id', violate)
      : [];
  const symptomEntries =
    symptomsSource && symptomsFile
      ? validEntries(symptomsSource, 'symptoms', symptomsFile.symptoms, Symptom, 'id', violate)
      : [];

  /** The entries of one list by their ID; a repeated ID is a violation at its line, naming the first. */
  const uniqueIn = <T>(
    source: SourceFile | null,
    list: string,
    entries: Array<Entry<T>>,
    idOf: (value: T) => string,
    what: string,
    rule = 'catalog-duplicate-key'
  ): Map<string, Entry<T>> =>
    source
      ? uniqueBy(entries, idOf, (entry, firstIndex) =>
          violate({
            path: source.path,
            line: source.line(list, entry.index),
            rule,
            message: `${what} ${idOf(entry.value)} is defined twice (first at line ${source.line(list, firstIndex) ?? '?'}); IDs must be unique`,
          })
        )
      : new Map();
  const groups = uniqueIn(runbooksSource, 'signal_groups', groupEntries, (g) => g.key, 'signal group');
  const signals = uniqueIn(runbooksSource, 'signals', signalEntries, (s) => s.key, 'signal');
  const runbooks = uniqueIn(runbooksSource, 'runbooks', runbookEntries, (r) => r.id, 'runbook', 'runbook-id-duplicate');
  const queries = uniqueIn(queriesSource, 'queries', queryEntries, (q) => q.id, 'saved query');
  const symptoms = uniqueIn(symptomsSource, 'symptoms', symptomEntries, (s) => s.id, 'symptom');

  // ---- references between entries
  if (runbooksSource) {
    for (const { value: signal, index } of signals.values()) {
      if (!declared.signalGroupKeys.has(signal.group)) {
        violate({
          path: runbooksSource.path,
          line: runbooksSource.line('signals', index, 'group'),
          rule: 'signal-group-unknown',
          message: `signal ${signal.key}: group ${signal.group} is not in signal_groups`,
        });
      }
      if (queriesFile && !declared.queryIds.has(signal.query_id)) {
        violate({
          path: runbooksSource.path,
          line: runbooksSource.line('signals', index, 'query_id'),
          rule: 'signal-query-unknown',
          message: `signal ${signal.key}: saved query ${signal.query_id} is not in ${CATALOG_FILES.queries}`,
        });
      }
    }
    for (const { value: runbook, index } of runbooks.values()) {
      for (const signal of runbook.signals) {
        if (!declared.signalKeys.has(signal)) {
          violate({
            path: runbooksSource.path,
            line: runbooksSource.line('runbooks', index, 'signals'),
            rule: 'runbook-signal-unknown',
            message: `runbook ${runbook.id}: signal ${signal} is not defined in signals`,
          });
        }
      }
      for (const query of runbook.queries) {
        if (queriesFile && !declared.queryIds.has(query)) {
          violate({
            path: runbooksSource.path,
            line: runbooksSource.line('runbooks', index, 'queries'),
            rule: 'runbook-query-unknown',
            message: `runbook ${runbook.id}: saved query ${query} is not in ${CATALOG_FILES.queries}`,
          });
        }
      }
      if (parseIsoDate(runbook.last_reviewed_at) === null) {
        violate({
          path: runbooksSource.path,
          line: runbooksSource.line('runbooks', index, 'last_reviewed_at'),
          rule: 'runbook-date-invalid',
          message: `runbook ${runbook.id}: last_reviewed_at ${runbook.last_reviewed_at} is not a calendar date`,
        });
      }
    }
  }
  if (symptomsSource) {
    for (const { value: symptom, index } of symptoms.values()) {
      const missing = [
        queriesFile && !declared.queryIds.has(symptom.query_id) ? `saved query ${symptom.query_id}` : null,
        manifest && !declared.runbookIds.has(symptom.runbook_id) ? `runbook ${symptom.runbook_id}` : null,
        ...symptom.signals.map((signal) => (manifest && !declared.signalKeys.has(signal) ? `signal ${signal}` : null)),
      ].filter((x): x is string => x !== null);
      for (const what of missing) {
        violate({
          path: symptomsSource.path,
          line: symptomsSource.line('symptoms', index),
          rule: 'symptom-reference-unknown',
          message: `symptom ${symptom.id}: ${what} does not exist`,
        });
      }
    }
  }

  // ---- runbook markdown
  const documents = new Map<string, RunbookDocument>();
  const emptyDocument = (documentPath: string | null): RunbookDocument => ({
    path: documentPath,
    content: null,
    title: null,
    declaredId: null,
    sections: [],
    checklist: [],
    citedQueries: [],
  });
  for (const { value: runbook } of runbooks.values()) {
    if (isExternalUrl(runbook.url)) {
      documents.set(runbook.id, emptyDocument(null));
      continue;
    }
    // Never read outside the repository, whatever the url says.
    const relative = repoPath(root, runbook.url);
    documents.set(runbook.id, relative !== null ? readDocument(root, relative) : emptyDocument(runbook.url));
  }

  // ---- indexes
  const runbooksBySignal = new Map<string, string[]>();
  const runbooksByQuery = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, id: string) => {
    const list = map.get(key);
    if (!list) {
      map.set(key, [id]);
    } else if (!list.includes(id)) {
      list.push(id);
    }
  };
  for (const { value: runbook } of runbooks.values()) {
    runbook.signals.forEach((signal) => push(runbooksBySignal, signal, runbook.id));
    runbook.queries.forEach((query) => push(runbooksByQuery, query, runbook.id));
    documents.get(runbook.id)?.citedQueries.forEach((cited) => push(runbooksByQuery, cited.id, runbook.id));
  }
  // Lines are found only when a message needs one: a clean 10k-runbook catalog never scans for them.
  const sources: Record<LocationKind, [SourceFile | null, string, Map<string, Entry<unknown>>]> = {
    runbooks: [runbooksSource, 'runbooks', runbooks],
    signals: [runbooksSource, 'signals', signals],
    signalGroups: [runbooksSource, 'signal_groups', groups],
    queries: [queriesSource, 'queries', queries],
    symptoms: [symptomsSource, 'symptoms', symptoms],
  };
  const locate = (kind: LocationKind, id: string): SourceLocation | null => {
    const [source, key, entries] = sources[kind];
    const entry = entries.get(id);
    return source && entry ? { path: source.path, line: source.line(key, entry.index) } : null;
  };

  let revision = '';
  if (options.revision !== false) {
    const hash = createHash('sha256');
    for (const source of [runbooksSource, queriesSource, symptomsSource, groupingSource]) {
      hash.update(source ? `${source.path}\0${source.text}\0` : '\0');
    }
    for (const id of [...documents.keys()].sort()) {
      hash.update(`${id}\0${documents.get(id)?.content ?? ''}\0`);
    }
    revision = hash.digest('hex');
  }

  const alerts = await alertsRead;
  const catalog: Catalog = {
    root,
    dir: absolute,
    loadedAt: options.now ?? new Date(),
    revision,
    signalGroups: [...groups.values()].map((entry) => entry.value).sort((a, b) => a.order - b.order),
    signals: new Map([...signals].map(([key, entry]) => [key, entry.value])),
    runbooks: new Map([...runbooks].map(([id, entry]) => [id, entry.value])),
    documents,
    queries: new Map([...queries].map(([id, entry]) => [id, entry.value])),
    symptoms: [...symptoms.values()].map((entry) => entry.value),
    grouping,
    runbooksBySignal,
    runbooksByQuery,
    alerts,
    actions: remediation.actions,
    approvalPolicy: remediation.approvalPolicy,
    errorBudgetPolicy: remediation.errorBudgetPolicy,
    statusTemplates: communication.statusTemplates,
    postmortemPolicy: communication.postmortemPolicy,
    access,
    responsePolicy,
    oncall,
    locate,
  };
  return { catalog: Object.freeze(catalog), violations, declared };
}

/**
 * Reads the catalog for serving. Throws CatalogLoadError listing every error when the catalog is
 * unfit to serve (missing or malformed files, invalid or duplicate entries, dangling references).
 */
export async function loadCatalog(dir: string, options: LoadOptions = {}): Promise<Catalog> {
  const { catalog, violations } = await readCatalog(dir, options);
  const errors = violations.filter((violation) => violation.severity === 'error');
  if (errors.length > 0) {
    throw new CatalogLoadError(errors);
  }
  return catalog;
}
