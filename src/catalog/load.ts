import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';

import {
  GroupingFile,
  QueriesCatalogFile,
  RunbooksCatalogFile,
  SymptomsCatalogFile,
  type CatalogViolation,
} from '../contract/catalog';
import { loadAccess } from './access';
import { loadActions } from './actions';
import type { Catalog } from './model';

export const CATALOG_FILES = {
  runbooks: 'runbooks.catalog.json',
  queries: 'queries.catalog.json',
  symptoms: 'symptoms.catalog.json',
  grouping: 'grouping.yaml',
} as const;

export class CatalogLoadError extends Error {
  constructor(readonly violations: CatalogViolation[]) {
    super(`catalog is invalid: ${violations.map((v) => `${v.path}: ${v.rule}: ${v.message}`).join('; ')}`);
    this.name = 'CatalogLoadError';
  }
}

async function readStructured<S extends z.ZodType>(
  dir: string,
  file: string,
  schema: S,
  violations: CatalogViolation[],
  fallback?: z.input<S>
): Promise<z.output<S> | undefined> {
  const full = path.join(dir, file);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    if (fallback !== undefined) {
      return schema.parse(fallback);
    }
    violations.push({ path: file, line: null, rule: 'catalog-file-missing', severity: 'error', message: `${file} is missing` });
    return undefined;
  }
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    violations.push({ path: file, line: null, rule: 'catalog-file-syntax', severity: 'error', message: (error as Error).message });
    return undefined;
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      violations.push({
        path: file,
        line: null,
        rule: 'catalog-schema',
        severity: 'error',
        message: `${issue.path.join('.') || '(root)'}: ${issue.message}`,
      });
    }
    return undefined;
  }
  return parsed.data;
}

/**
 * Reads and validates the catalog directory. Throws CatalogLoadError listing every problem found,
 * so a reload can keep serving the previous catalog and report all violations at once.
 */
export async function loadCatalog(dir: string, now: Date = new Date()): Promise<Catalog> {
  const absolute = path.resolve(dir);
  const violations: CatalogViolation[] = [];
  const [runbooksFile, queriesFile, symptomsFile, grouping, remediation, access] = await Promise.all([
    readStructured(absolute, CATALOG_FILES.runbooks, RunbooksCatalogFile, violations),
    readStructured(absolute, CATALOG_FILES.queries, QueriesCatalogFile, violations),
    readStructured(absolute, CATALOG_FILES.symptoms, SymptomsCatalogFile, violations),
    readStructured(absolute, CATALOG_FILES.grouping, GroupingFile, violations, { version: 1 }),
    loadActions(absolute, violations),
    loadAccess(absolute, violations),
  ]);
  if (!runbooksFile || !queriesFile || !symptomsFile || !grouping || violations.length > 0) {
    throw new CatalogLoadError(violations);
  }
  const runbooksBySignal = new Map<string, string[]>();
  for (const runbook of runbooksFile.runbooks) {
    for (const signal of runbook.signals) {
      runbooksBySignal.set(signal, [...(runbooksBySignal.get(signal) ?? []), runbook.id]);
    }
  }
  return {
    dir: absolute,
    loadedAt: now,
    signalGroups: [...runbooksFile.signal_groups].sort((a, b) => a.order - b.order),
    signals: new Map(runbooksFile.signals.map((signal) => [signal.key, signal])),
    runbooks: new Map(runbooksFile.runbooks.map((runbook) => [runbook.id, runbook])),
    queries: new Map(queriesFile.queries.map((query) => [query.id, query])),
    symptoms: symptomsFile.symptoms,
    grouping,
    runbooksBySignal,
    actions: remediation.actions,
    approvalPolicy: remediation.approvalPolicy,
    access,
  };
}
