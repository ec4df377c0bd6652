/**
 * runbooks.catalog.json: signal groups, signals and runbook entries, each validated entry by entry,
 * unique by ID, and checked against the IDs the other catalog files declare.
 */
import { RunbookEntry, Signal, SignalGroup } from '../../contract/catalog';
import { CATALOG_FILES } from '../files';
import { parseIsoDate } from '../review';
import { uniqueIn, validEntries, type Entry, type SourceFile, type Violate } from './source';

export const MANIFEST_LISTS = ['signal_groups', 'signals', 'runbooks'] as const;

export interface ManifestEntries {
  groups: Map<string, Entry<SignalGroup>>;
  signals: Map<string, Entry<Signal>>;
  runbooks: Map<string, Entry<RunbookEntry>>;
}

/** The IDs the reference checks look up (every declared ID, valid entry or not). */
export interface ReferenceIds {
  signalGroupKeys: ReadonlySet<string>;
  signalKeys: ReadonlySet<string>;
  runbookIds: ReadonlySet<string>;
  queryIds: ReadonlySet<string>;
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

/** The manifest's valid entries by ID; invalid and repeated ones are reported. */
export function manifestEntries(
  source: SourceFile | null,
  manifest: Record<string, unknown[]> | null,
  violate: Violate
): ManifestEntries {
  if (!source || !manifest) {
    return { groups: new Map(), signals: new Map(), runbooks: new Map() };
  }
  const groups = validEntries(source, 'signal_groups', manifest.signal_groups, SignalGroup, 'key', violate);
  const signals = validEntries(source, 'signals', manifest.signals, Signal, 'key', violate);
  const runbooks = validEntries(
    source,
    'runbooks',
    manifest.runbooks,
    RunbookEntry,
    'id',
    violate,
    classifyRunbookIssue
  );
  return {
    groups: uniqueIn(source, 'signal_groups', groups, (g) => g.key, 'signal group', violate),
    signals: uniqueIn(source, 'signals', signals, (s) => s.key, 'signal', violate),
    runbooks: uniqueIn(source, 'runbooks', runbooks, (r) => r.id, 'runbook', violate, 'runbook-id-duplicate'),
  };
}

/**
 * Signals name a declared group and saved query; runbooks name declared signals and saved queries and
 * carry a calendar date. Saved queries are only checked when queries.catalog.json was read.
 */
export function checkManifestReferences(
  source: SourceFile | null,
  entries: ManifestEntries,
  declared: ReferenceIds,
  queriesRead: boolean,
  violate: Violate
): void {
  if (!source) {
    return;
  }
  const at = (list: string, index: number, field: string) => ({
    path: source.path,
    line: source.line(list, index, field),
  });
  for (const { value: signal, index } of entries.signals.values()) {
    if (!declared.signalGroupKeys.has(signal.group)) {
      violate({
        ...at('signals', index, 'group'),
        rule: 'signal-group-unknown',
        message: `signal ${signal.key}: group ${signal.group} is not in signal_groups`,
      });
    }
    if (queriesRead && !declared.queryIds.has(signal.query_id)) {
      violate({
        ...at('signals', index, 'query_id'),
        rule: 'signal-query-unknown',
        message: `signal ${signal.key}: saved query ${signal.query_id} is not in ${CATALOG_FILES.queries}`,
      });
    }
  }
  for (const { value: runbook, index } of entries.runbooks.values()) {
    for (const signal of runbook.signals.filter((key) => !declared.signalKeys.has(key))) {
      violate({
        ...at('runbooks', index, 'signals'),
        rule: 'runbook-signal-unknown',
        message: `runbook ${runbook.id}: signal ${signal} is not defined in signals`,
      });
    }
    for (const query of runbook.queries.filter((id) => queriesRead && !declared.queryIds.has(id))) {
      violate({
        ...at('runbooks', index, 'queries'),
        rule: 'runbook-query-unknown',
        message: `runbook ${runbook.id}: saved query ${query} is not in ${CATALOG_FILES.queries}`,
      });
    }
    if (parseIsoDate(runbook.last_reviewed_at) === null) {
      violate({
        ...at('runbooks', index, 'last_reviewed_at'),
        rule: 'runbook-date-invalid',
        message: `runbook ${runbook.id}: last_reviewed_at ${runbook.last_reviewed_at} is not a calendar date`,
      });
    }
  }
}
