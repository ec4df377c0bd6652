/**
 * SLO specs (catalog/slos/*.yaml, Sloth `prometheus/v1`) and the error budget policy
 * (catalog/error-budget-policy.yaml): reading, validating and resolving them into SLO definitions the
 * generators and the API use. Opsdeck reads two annotations Sloth passes through unchanged:
 * `runbook_id` (required, must name a runbook of the catalog) and `query_id` (optional saved query).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';

import type { CatalogViolation } from '../../contract/catalog';
import { ErrorBudgetPolicyFile, SlothSpec, type SlothSlo } from '../../contract/slo';
import { errorBudget } from './burn';

export const SLO_DIR = 'slos';
export const ERROR_BUDGET_POLICY_FILE = 'error-budget-policy.yaml';

export interface SloSpecFile {
  /** Path relative to the catalog directory, e.g. slos/api-gateway.yaml. */
  file: string;
  spec: SlothSpec;
}

export type SliDefinition = { kind: 'events'; errorQuery: string; totalQuery: string } | { kind: 'raw'; errorRatioQuery: string };

export interface AlertOverrides {
  disable: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** One SLO, resolved: what the rule generator, the dashboards and the API need. */
export interface SloDefinition {
  /** Sloth's ID: `<service>-<slo name>`; the `sloth_id` label of every series. */
  id: string;
  service: string;
  name: string;
  description: string;
  /** Percent, e.g. 99.5. */
  objective: number;
  /** Ratio, e.g. 0.005. */
  budget: number;
  sli: SliDefinition;
  /** Spec labels merged with the SLO's labels (added to every recorded series and alert). */
  labels: Record<string, string>;
  alertName: string;
  alertLabels: Record<string, string>;
  alertAnnotations: Record<string, string>;
  page: AlertOverrides;
  ticket: AlertOverrides;
  runbookId: string;
  queryId: string | null;
  signalKey: string | null;
  /** Catalog-relative spec file. */
  file: string;
}

export class SloSpecError extends Error {
  constructor(readonly violations: CatalogViolation[]) {
    super(`SLO specs are invalid: ${violations.map((v) => `${v.path}: ${v.rule}: ${v.message}`).join('; ')}`);
    this.name = 'SloSpecError';
  }
}

const violation = (file: string, rule: string, message: string): CatalogViolation => ({
  path: file,
  line: null,
  rule,
  severity: 'error',
  message,
});

async function readYaml(full: string, file: string, violations: CatalogViolation[]): Promise<unknown> {
  try {
    return YAML.parse(await readFile(full, 'utf8'));
  } catch (error) {
    violations.push(violation(file, 'slo-file-syntax', (error as Error).message));
    return undefined;
  }
}

/** Reads every catalog/slos/*.yaml (sorted by name, so output is deterministic). */
export async function readSloSpecFiles(catalogDir: string): Promise<{ files: SloSpecFile[]; violations: CatalogViolation[] }> {
  const dir = path.join(catalogDir, SLO_DIR);
  const violations: CatalogViolation[] = [];
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    return { files: [], violations };
  }
  const files: SloSpecFile[] = [];
  for (const name of names) {
    const file = `${SLO_DIR}/${name}`;
    const data = await readYaml(path.join(dir, name), file, violations);
    if (data === undefined) {
      continue;
    }
    const parsed = SlothSpec.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        violations.push(violation(file, 'slo-schema', `${issue.path.join('.') || '(root)'}: ${issue.message}`));
      }
      continue;
    }
    files.push({ file, spec: parsed.data });
  }
  return { files, violations };
}

export async function readErrorBudgetPolicy(catalogDir: string): Promise<ErrorBudgetPolicyFile> {
  const violations: CatalogViolation[] = [];
  const data = await readYaml(path.join(catalogDir, ERROR_BUDGET_POLICY_FILE), ERROR_BUDGET_POLICY_FILE, violations);
  const parsed = ErrorBudgetPolicyFile.safeParse(data);
  if (violations.length > 0 || !parsed.success) {
    const issues = parsed.success ? [] : parsed.error.issues;
    throw new SloSpecError([
      ...violations,
      ...issues.map((issue) => violation(ERROR_BUDGET_POLICY_FILE, 'error-budget-policy-schema', `${issue.path.join('.') || '(root)'}: ${issue.message}`)),
    ]);
  }
  return parsed.data;
}

function sliOf(slo: SlothSlo): SliDefinition {
  return 'events' in slo.sli
    ? { kind: 'events', errorQuery: slo.sli.events.error_query, totalQuery: slo.sli.events.total_query }
    : { kind: 'raw', errorRatioQuery: slo.sli.raw.error_ratio_query };
}

const overrides = (alert: SlothSlo['alerting']['page_alert']): AlertOverrides => ({
  disable: alert?.disable ?? false,
  labels: alert?.labels ?? {},
  annotations: alert?.annotations ?? {},
});

/** What the resolver checks against: the IDs the catalog knows. */
export interface SloCatalogRefs {
  runbooks: ReadonlySet<string>;
  queries: ReadonlySet<string>;
  signals: ReadonlySet<string>;
}

/**
 * Turns spec files into SLO definitions, checking what Sloth does not: a `runbook_id` naming a
 * runbook of the catalog, known `query_id`/`signal_key`, `{{.window}}` in every query, unique IDs.
 */
export function resolveSlos(files: readonly SloSpecFile[], refs: SloCatalogRefs): { slos: SloDefinition[]; violations: CatalogViolation[] } {
  const slos: SloDefinition[] = [];
  const violations: CatalogViolation[] = [];
  const seen = new Map<string, string>();
  for (const { file, spec } of files) {
    for (const slo of spec.slos) {
      const id = `${spec.service}-${slo.name}`;
      const where = `${file} (slo ${slo.name})`;
      if (seen.has(id)) {
        violations.push(violation(file, 'slo-duplicate-id', `SLO id ${id} is also defined in ${seen.get(id)}`));
        continue;
      }
      seen.set(id, file);
      const annotations = slo.alerting.annotations ?? {};
      const labels = { ...(spec.labels ?? {}), ...(slo.labels ?? {}) };
      const alertLabels = slo.alerting.labels ?? {};
      const runbookId = annotations.runbook_id;
      if (!runbookId) {
        violations.push(violation(file, 'slo-runbook-missing', `${where}: alerting.annotations.runbook_id is required`));
      } else if (!refs.runbooks.has(runbookId)) {
        violations.push(violation(file, 'slo-runbook-unknown', `${where}: runbook_id ${runbookId} is not in the runbook manifest`));
      }
      const queryId = annotations.query_id ?? null;
      if (queryId !== null && !refs.queries.has(queryId)) {
        violations.push(violation(file, 'slo-query-unknown', `${where}: query_id ${queryId} is not a saved query`));
      }
      const signalKey = alertLabels.signal_key ?? labels.signal_key ?? null;
      if (signalKey !== null && !refs.signals.has(signalKey)) {
        violations.push(violation(file, 'slo-signal-unknown', `${where}: signal_key ${signalKey} is not a catalog signal`));
      }
      const sli = sliOf(slo);
      const queries = sli.kind === 'events' ? [sli.errorQuery, sli.totalQuery] : [sli.errorRatioQuery];
      if (queries.some((query) => !WINDOW_PLACEHOLDER.test(query))) {
        violations.push(violation(file, 'slo-window-missing', `${where}: every SLI query must use {{.window}} for its range`));
      }
      slos.push({
        id,
        service: spec.service,
        name: slo.name,
        description: slo.description ?? '',
        objective: slo.objective,
        budget: errorBudget(slo.objective),
        sli,
        labels,
        alertName: slo.alerting.name,
        alertLabels,
        alertAnnotations: annotations,
        page: overrides(slo.alerting.page_alert),
        ticket: overrides(slo.alerting.ticket_alert),
        runbookId: runbookId ?? '',
        queryId,
        signalKey,
        file,
      });
    }
  }
  return { slos, violations };
}

const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/;
const WINDOW_PLACEHOLDERS = /\{\{\s*\.window\s*\}\}/g;

/** Sloth's templating: `{{.window}}` becomes the window, e.g. `5m`. */
export const withWindow = (query: string, window: string) => query.replace(WINDOW_PLACEHOLDERS, window);

/** Reads, validates and resolves every SLO of a catalog directory; throws listing every problem. */
export async function loadSlos(catalogDir: string, refs: SloCatalogRefs): Promise<SloDefinition[]> {
  const { files, violations } = await readSloSpecFiles(catalogDir);
  const resolved = resolveSlos(files, refs);
  const all = [...violations, ...resolved.violations];
  if (all.length > 0) {
    throw new SloSpecError(all);
  }
  return resolved.slos;
}
