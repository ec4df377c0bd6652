/**
 * Reads the catalog directory (manifest, saved queries, symptoms, grouping, runbook markdown) and the
 * alert rules of the repository, validates them with the contract and builds the immutable Catalog.
 * One reader per catalog file lives in read/ (manifest, queries, symptoms, grouping, documents); this
 * module reads the files, runs the readers in order and assembles the result.
 *
 * `readCatalog` is tolerant: it validates entry by entry, records every problem with its file and line,
 * and keeps the valid entries, so the linter reports everything in one run. `loadCatalog` is what the
 * API uses: it throws CatalogLoadError when any problem makes the catalog unfit to serve, so a reload
 * keeps the previous catalog and reports all violations at once.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

import { QueryDatasource, type CatalogViolation } from '../contract/catalog';
import { loadAccess } from './access';
import { loadActions } from './actions';
import { loadOncall } from './oncall/oncall-file';
import { loadResponsePolicy } from './oncall/response-policy';
import { loadCommunication } from './communication';
import { readAlertIndex } from './alert-rules';
import { CATALOG_FILES, isExternalUrl, relativePath, repoPath } from './files';
import type { AlertIndex, Catalog, LocationKind, RunbookDocument, SourceLocation } from './model';
import { indexRunbooks, readDocuments } from './read/documents';
import { readGrouping } from './read/grouping';
import { checkManifestReferences, manifestEntries, MANIFEST_LISTS, type ManifestEntries } from './read/manifest';
import { queryEntries } from './read/queries';
import { declaredStrings, isRecord, parseListFile, readSource, type Entry, type SourceFile, type Violate } from './read/source';
import { checkSymptomReferences, symptomEntries } from './read/symptoms';

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

type Loaded<K extends keyof typeof LOADERS> = Awaited<ReturnType<(typeof LOADERS)[K]>>;

/**
 * Actions, approval policy, access, response policy, on-call and communication have their own
 * loaders; they report paths relative to the catalog directory.
 */
const LOADERS = {
  remediation: loadActions,
  access: loadAccess,
  responsePolicy: loadResponsePolicy,
  oncall: loadOncall,
  communication: loadCommunication,
};

/** Every catalog file read at once; violations of the other loaders are made repo-relative here. */
async function readFiles(absolute: string, root: string, violations: CatalogViolation[]) {
  const catalogPath = (file: string) => relativePath(root, path.join(absolute, file));
  const loaderViolations: CatalogViolation[] = [];
  const [runbooks, queries, symptoms, grouping, remediation, access, responsePolicy, oncall, communication] =
    await Promise.all([
      readSource(path.join(absolute, CATALOG_FILES.runbooks), root),
      readSource(path.join(absolute, CATALOG_FILES.queries), root),
      readSource(path.join(absolute, CATALOG_FILES.symptoms), root),
      readSource(path.join(absolute, CATALOG_FILES.grouping), root),
      LOADERS.remediation(absolute, loaderViolations),
      LOADERS.access(absolute, loaderViolations),
      LOADERS.responsePolicy(absolute, loaderViolations),
      LOADERS.oncall(absolute, loaderViolations),
      LOADERS.communication(absolute, loaderViolations),
    ]);
  for (const violation of loaderViolations) {
    violations.push({ ...violation, path: catalogPath(violation.path) });
  }
  for (const [file, source] of [
    [CATALOG_FILES.runbooks, runbooks],
    [CATALOG_FILES.queries, queries],
    [CATALOG_FILES.symptoms, symptoms],
  ] as const) {
    if (!source) {
      violations.push({
        severity: 'error',
        path: catalogPath(file),
        line: null,
        rule: 'catalog-file-missing',
        message: `${file} is missing from ${relativePath(root, absolute) || '.'}`,
      });
    }
  }
  const loaded: { [K in keyof typeof LOADERS]: Loaded<K> } = {
    remediation,
    access,
    responsePolicy,
    oncall,
    communication,
  };
  return { runbooks, queries, symptoms, grouping, loaded };
}

type CatalogFiles = Awaited<ReturnType<typeof readFiles>>;

interface ParsedFiles {
  manifest: Record<string, unknown[]> | null;
  queries: Record<string, unknown[]> | null;
  symptoms: Record<string, unknown[]> | null;
}

/** Every ID the files declare, read from the raw lists before validation (see DeclaredIds). */
function declaredIdsOf(root: string, { manifest, queries, symptoms }: ParsedFiles): DeclaredIds {
  const covered = new Map<string, string[]>();
  for (const raw of manifest?.runbooks ?? []) {
    if (isRecord(raw) && typeof raw.id === 'string' && Array.isArray(raw.signals)) {
      for (const signal of raw.signals) {
        if (typeof signal === 'string') {
          covered.set(signal, [...(covered.get(signal) ?? []), raw.id]);
        }
      }
    }
  }
  return {
    runbookIds: declaredStrings(manifest?.runbooks, 'id'),
    signalKeys: declaredStrings(manifest?.signals, 'key'),
    signalGroupKeys: declaredStrings(manifest?.signal_groups, 'key'),
    queryIds: declaredStrings(queries?.queries, 'id'),
    coveredSignals: covered,
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
          ['queries', queries],
          ['symptoms', symptoms],
        ] as const
      ).flatMap(([name, file]) => (file ? [name] : []))
    ),
  };
}

/** Every signal expression and saved query in the raw files, for the lint worker's PromQL/LogQL parse. */
function expressionsOf({ manifest, queries }: ParsedFiles): Array<[QueryDatasource, string]> {
  const items: Array<[QueryDatasource, string]> = [];
  for (const raw of manifest?.signals ?? []) {
    if (isRecord(raw) && typeof raw.expr === 'string') {
      items.push(['prometheus', raw.expr]);
    }
  }
  for (const raw of queries?.queries ?? []) {
    const datasource = isRecord(raw) ? QueryDatasource.safeParse(raw.datasource) : null;
    if (isRecord(raw) && typeof raw.expr === 'string' && datasource?.success) {
      items.push([datasource.data, raw.expr]);
    }
  }
  return items;
}

interface ValidEntries extends ManifestEntries {
  queries: Map<string, Entry<unknown>>;
  symptoms: Map<string, Entry<unknown>>;
}

/** Where an entry is, found only when a message needs it: a clean 10k-runbook catalog never scans for lines. */
function locatorOf(files: CatalogFiles, entries: ValidEntries) {
  const sources: Record<LocationKind, [SourceFile | null, string, Map<string, Entry<unknown>>]> = {
    runbooks: [files.runbooks, 'runbooks', entries.runbooks],
    signals: [files.runbooks, 'signals', entries.signals],
    signalGroups: [files.runbooks, 'signal_groups', entries.groups],
    queries: [files.queries, 'queries', entries.queries],
    symptoms: [files.symptoms, 'symptoms', entries.symptoms],
  };
  return (kind: LocationKind, id: string): SourceLocation | null => {
    const [source, key, list] = sources[kind];
    const entry = list.get(id);
    return source && entry ? { path: source.path, line: source.line(key, entry.index) } : null;
  };
}

/** sha256 of every catalog file and runbook document read. */
function revisionOf(files: CatalogFiles, documents: Map<string, RunbookDocument>): string {
  const hash = createHash('sha256');
  for (const source of [files.runbooks, files.queries, files.symptoms, files.grouping]) {
    hash.update(source ? `${source.path}\0${source.text}\0` : '\0');
  }
  for (const id of [...documents.keys()].sort()) {
    hash.update(`${id}\0${documents.get(id)?.content ?? ''}\0`);
  }
  return hash.digest('hex');
}

const valuesOf = <T>(entries: Map<string, Entry<T>>) => new Map([...entries].map(([id, entry]) => [id, entry.value]));

/** Reads and validates everything; never throws for content problems (see CatalogRead.violations). */
export async function readCatalog(dir: string, options: LoadOptions = {}): Promise<CatalogRead> {
  const absolute = path.resolve(dir);
  const root = path.resolve(options.root ?? path.dirname(absolute));
  const violations: CatalogViolation[] = [];
  const violate: Violate = (v) => violations.push({ severity: 'error', ...v });
  // Awaited last, so that the lint worker thread reads alert rules while this thread reads the rest.
  const alertsRead = options.alerts ?? readAlertIndex(root);
  const files = await readFiles(absolute, root, violations);
  const parsed: ParsedFiles = {
    manifest: parseListFile(files.runbooks, MANIFEST_LISTS, violate),
    queries: parseListFile(files.queries, ['queries'], violate),
    symptoms: parseListFile(files.symptoms, ['symptoms'], violate),
  };
  const grouping = readGrouping(files.grouping, violate);
  const declared = declaredIdsOf(root, parsed);
  options.onExpressions?.(expressionsOf(parsed));

  const manifest = manifestEntries(files.runbooks, parsed.manifest, violate);
  const queries = queryEntries(files.queries, parsed.queries, violate);
  const symptoms = symptomEntries(files.symptoms, parsed.symptoms, violate);
  const read = { queries: parsed.queries !== null, manifest: parsed.manifest !== null };
  checkManifestReferences(files.runbooks, manifest, declared, read.queries, violate);
  checkSymptomReferences(files.symptoms, symptoms, declared, read, violate);

  const documents = readDocuments(root, manifest.runbooks);
  const { remediation, access, responsePolicy, oncall, communication } = files.loaded;
  const alerts = await alertsRead;
  const catalog: Catalog = {
    root,
    dir: absolute,
    loadedAt: options.now ?? new Date(),
    revision: options.revision === false ? '' : revisionOf(files, documents),
    signalGroups: [...manifest.groups.values()].map((entry) => entry.value).sort((a, b) => a.order - b.order),
    signals: valuesOf(manifest.signals),
    runbooks: valuesOf(manifest.runbooks),
    documents,
    queries: valuesOf(queries),
    symptoms: [...symptoms.values()].map((entry) => entry.value),
    grouping,
    ...indexRunbooks(manifest.runbooks, documents),
    alerts,
    actions: remediation.actions,
    approvalPolicy: remediation.approvalPolicy,
    errorBudgetPolicy: remediation.errorBudgetPolicy,
    statusTemplates: communication.statusTemplates,
    postmortemPolicy: communication.postmortemPolicy,
    access,
    responsePolicy,
    oncall,
    locate: locatorOf(files, { ...manifest, queries, symptoms }),
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
