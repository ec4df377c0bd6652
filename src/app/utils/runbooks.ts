// Filtering and grouping of the runbook list (client-side: the catalog is small and filters feel instant).
import type { ReviewStatus, RunbookList, RunbookListItem, SignalGroup } from '../../contract/catalog';

export interface RunbookFilters {
  q?: string;
  owner?: string;
  severity?: string;
  review?: ReviewStatus | '';
}

export function matchesFilters(runbook: RunbookListItem, filters: RunbookFilters): boolean {
  const q = filters.q?.trim().toLowerCase();
  if (
    q &&
    !`${runbook.title} ${runbook.id} ${runbook.signals.join(' ')} ${runbook.tags.join(' ')}`.toLowerCase().includes(q)
  ) {
    return false;
  }
  if (filters.owner && runbook.owner_team !== filters.owner) {
    return false;
  }
  if (filters.severity && runbook.severity_hint !== filters.severity) {
    return false;
  }
  if (filters.review && runbook.review_status !== filters.review) {
    return false;
  }
  return true;
}

const UNGROUPED: SignalGroup = { key: 'all', title: 'All runbooks', order: 0 };

/** Groups in their catalog order with only the runbooks that pass the filters; empty groups are dropped. */
export function groupRunbooks(
  list: RunbookList,
  filters: RunbookFilters
): Array<{ group: SignalGroup; runbooks: RunbookListItem[] }> {
  const groups = list.groups ?? [{ group: UNGROUPED, runbooks: list.items }];
  return groups
    .slice()
    .sort((a, b) => a.group.order - b.group.order)
    .map(({ group, runbooks }) => ({ group, runbooks: runbooks.filter((runbook) => matchesFilters(runbook, filters)) }))
    .filter(({ runbooks }) => runbooks.length > 0);
}

export function ownersOf(list: RunbookList): string[] {
  return Array.from(new Set(list.items.map((runbook) => runbook.owner_team))).sort();
}

/** Maps relative markdown links (`deployment-rollback.md`, `catalog/runbooks/x.md`) to runbook IDs by file name. */
export function runbookIdByFile(items: Array<Pick<RunbookListItem, 'id' | 'url'>>): Map<string, string> {
  const byFile = new Map<string, string>();
  for (const runbook of items) {
    const file = runbook.url.split('/').pop();
    if (file && file.endsWith('.md')) {
      byFile.set(file, runbook.id);
    }
  }
  return byFile;
}
