/** Runbook IDs are forever: see src/catalog/id-lock.ts for the lock file that enforces it. */
import { ID_LOCK_FILE, parseIdLock } from '../../id-lock';
import type { Finding, LintContext, LintRule, LintRuleGroup } from '../types';

function lockOf(context: LintContext) {
  const text = context.readText(context.catalogPath(ID_LOCK_FILE));
  return text === null ? null : parseIdLock(text);
}

const lockMissing: LintRule = {
  id: 'runbook-id-lock-missing',
  severity: 'error',
  description: `catalog/${ID_LOCK_FILE} exists (create it with \`opsdeck lint --write-lock\`)`,
  *check(context): Iterable<Finding> {
    if (lockOf(context) === null) {
      yield {
        path: context.catalogPath(ID_LOCK_FILE),
        line: null,
        message: `the runbook ID lock is missing; create it with \`opsdeck lint --write-lock\` and commit it`,
      };
    }
  },
};

const removed: LintRule = {
  id: 'runbook-id-removed',
  severity: 'error',
  description: `no runbook ID listed in catalog/${ID_LOCK_FILE} disappears from the manifest (renaming a file keeps the ID)`,
  *check(context): Iterable<Finding> {
    const lock = lockOf(context);
    if (!lock || !context.declared.filesRead.has('runbooks')) {
      return;
    }
    const path = context.catalogPath(ID_LOCK_FILE);
    for (const [id, line] of lock.ids) {
      if (!context.declared.runbookIds.has(id)) {
        const alerts = context.catalog.alerts.byRunbook.get(id)?.length ?? 0;
        const used = alerts > 0 ? ` ${alerts} alert rule${alerts > 1 ? 's' : ''} still reference it.` : '';
        yield {
          path,
          line,
          message: `runbook ID ${id} was published but is no longer in runbooks.catalog.json.${used} Restore the entry: a renamed or moved file keeps its ID and only changes url`,
        };
      }
    }
  },
};

const unlocked: LintRule = {
  id: 'runbook-id-unlocked',
  severity: 'error',
  description: `every runbook ID of the manifest is recorded in catalog/${ID_LOCK_FILE}`,
  *check(context): Iterable<Finding> {
    const lock = lockOf(context);
    if (!lock) {
      return;
    }
    for (const id of context.declared.runbookIds) {
      if (!lock.ids.has(id)) {
        const location = context.catalog.locate('runbooks', id);
        yield {
          path: location?.path ?? context.catalogPath('runbooks.catalog.json'),
          line: location?.line ?? null,
          message: `runbook ID ${id} is not in ${context.catalogPath(ID_LOCK_FILE)}; run \`opsdeck lint --write-lock\` and commit the lock with the new runbook`,
        };
      }
    }
  },
};

export const idRules: LintRuleGroup = { name: 'ids', rules: [lockMissing, removed, unlocked] };
