/**
 * The catalog as the API shows it: runbook list items with review status, grouped lists, runbook
 * detail (markdown, checklist, signals, alert rules, saved queries), signals and saved queries.
 * Pure functions of a Catalog and the day; the routes only parse requests and call these.
 */
import type {
  ChecklistStep,
  RunbookDetail,
  RunbookEntry,
  RunbookList,
  RunbookListItem,
  RunbookListQuery,
  SavedQuery,
  SavedQueryDetail,
  SavedQueryListQuery,
  SignalList,
} from '../contract/catalog';
import { variablesOf } from './explore';
import type { Catalog } from './model';
import { reviewOf } from './review';

/** The groups of a runbook's signals, in display order. */
function signalGroupsOf(catalog: Catalog, runbook: RunbookEntry): string[] {
  const keys = new Set(
    runbook.signals
      .map((signal) => catalog.signals.get(signal)?.group)
      .filter((group): group is string => Boolean(group))
  );
  return catalog.signalGroups.filter((group) => keys.has(group.key)).map((group) => group.key);
}

export function runbookListItem(catalog: Catalog, runbook: RunbookEntry, today: string): RunbookListItem {
  // The loader guarantees a valid date; the fallback only keeps the type total.
  const review = reviewOf(runbook.last_reviewed_at, today) ?? {
    status: 'overdue' as const,
    dueAt: runbook.last_reviewed_at,
  };
  return {
    ...runbook,
    review_status: review.status,
    review_due_at: review.dueAt,
    signal_groups: signalGroupsOf(catalog, runbook),
  };
}

function matches(item: RunbookListItem, query: RunbookListQuery): boolean {
  if (query.signal && !item.signals.includes(query.signal)) {
    return false;
  }
  if (query.owner_team && item.owner_team !== query.owner_team) {
    return false;
  }
  if (query.severity && item.severity_hint !== query.severity) {
    return false;
  }
  if (query.review && item.review_status !== query.review) {
    return false;
  }
  if (query.q) {
    const needle = query.q.trim().toLowerCase();
    return item.id.toLowerCase().includes(needle) || item.title.toLowerCase().includes(needle);
  }
  return true;
}

/**
 * Runbooks in manifest order, filtered. With `group_by=signal_group`, also the groups in their
 * display order, each with its matching runbooks (a runbook whose signals span groups is in each);
 * groups without a matching runbook are left out.
 */
export function listRunbooks(catalog: Catalog, query: RunbookListQuery, today: string): RunbookList {
  const items = [...catalog.runbooks.values()]
    .map((runbook) => runbookListItem(catalog, runbook, today))
    .filter((item) => matches(item, query));
  if (query.group_by !== 'signal_group') {
    return { items };
  }
  const groups = catalog.signalGroups
    .map((group) => ({ group, runbooks: items.filter((item) => item.signal_groups.includes(group.key)) }))
    .filter((entry) => entry.runbooks.length > 0);
  return { items, groups };
}

/** Saved queries a runbook lists or cites, that exist, in that order. */
function savedQueriesOf(catalog: Catalog, runbook: RunbookEntry): SavedQuery[] {
  const cited = catalog.documents.get(runbook.id)?.citedQueries.map((citation) => citation.id) ?? [];
  const ids = [...new Set([...runbook.queries, ...cited])];
  return ids.map((id) => catalog.queries.get(id)).filter((query): query is SavedQuery => query !== undefined);
}

export function runbookDetail(catalog: Catalog, id: string, today: string): RunbookDetail | null {
  const runbook = catalog.runbooks.get(id);
  if (!runbook) {
    return null;
  }
  const document = catalog.documents.get(id);
  const checklist: ChecklistStep[] = (document?.checklist ?? []).map(({ id: stepId, section, text, body }) => ({
    id: stepId,
    section,
    text,
    body,
  }));
  return {
    ...runbookListItem(catalog, runbook, today),
    content: document?.content ?? null,
    checklist,
    signal_details: runbook.signals.flatMap((key) => {
      const signal = catalog.signals.get(key);
      return signal ? [signal] : [];
    }),
    alert_rules: (catalog.alerts.byRunbook.get(id) ?? []).map(({ file, name, kind, signal_key }) => ({
      file,
      name,
      kind,
      signal_key,
    })),
    saved_queries: savedQueriesOf(catalog, runbook),
  };
}

/** Runbooks of one signal (null when the signal does not exist). */
export function runbooksOfSignal(catalog: Catalog, signalKey: string, today: string): RunbookList | null {
  if (!catalog.signals.has(signalKey)) {
    return null;
  }
  const ids = catalog.runbooksBySignal.get(signalKey) ?? [];
  return {
    items: ids.flatMap((id) => {
      const runbook = catalog.runbooks.get(id);
      return runbook ? [runbookListItem(catalog, runbook, today)] : [];
    }),
  };
}

export function signalList(catalog: Catalog): SignalList {
  const order = new Map(catalog.signalGroups.map((group, index) => [group.key, index]));
  const items = [...catalog.signals.values()]
    .map((signal, index) => ({ signal, index }))
    .sort(
      (a, b) => (order.get(a.signal.group) ?? Infinity) - (order.get(b.signal.group) ?? Infinity) || a.index - b.index
    )
    .map(({ signal }) => ({ ...signal, runbook_ids: [...(catalog.runbooksBySignal.get(signal.key) ?? [])] }));
  return { groups: [...catalog.signalGroups], items };
}

export function savedQueryDetail(catalog: Catalog, query: SavedQuery): SavedQueryDetail {
  return {
    ...query,
    variables: variablesOf(query.expr),
    runbook_ids: [...(catalog.runbooksByQuery.get(query.id) ?? [])],
  };
}

export function listSavedQueries(catalog: Catalog, query: SavedQueryListQuery): SavedQueryDetail[] {
  const needle = query.q?.trim().toLowerCase();
  return [...catalog.queries.values()]
    .filter((saved) => !query.datasource || saved.datasource === query.datasource)
    .filter((saved) => !query.owner_service || saved.owner_service === query.owner_service)
    .filter(
      (saved) =>
        !needle || [saved.id, saved.title, saved.description].some((text) => text.toLowerCase().includes(needle))
    )
    .map((saved) => savedQueryDetail(catalog, saved));
}
