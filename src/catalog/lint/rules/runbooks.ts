/** The runbook markdown itself: the sections operators expect, a checklist, and honest references. */
import path from 'node:path';

import { isExternalUrl, listFiles, relativePath } from '../../files';
import { REQUIRED_SECTIONS } from '../../markdown';
import type { RunbookDocument } from '../../model';
import type { Finding, LintContext, LintRule, LintRuleGroup } from '../types';

function* documents(
  context: LintContext
): Iterable<{ id: string; document: RunbookDocument & { path: string; content: string } }> {
  for (const [id, document] of context.catalog.documents) {
    if (document.path !== null && document.content !== null) {
      yield { id, document: document as RunbookDocument & { path: string; content: string } };
    }
  }
}

const sectionMissing: LintRule = {
  id: 'runbook-section-missing',
  severity: 'error',
  description: `runbook markdown has the sections ${REQUIRED_SECTIONS.map((s) => s.title).join(', ')} (as ## headings)`,
  *check(context): Iterable<Finding> {
    for (const { id, document } of documents(context)) {
      const slugs = new Set(document.sections.map((section) => section.slug));
      const missing = REQUIRED_SECTIONS.filter((required) => !required.slugs.some((slug) => slugs.has(slug))).map(
        (s) => s.title
      );
      if (missing.length > 0) {
        yield {
          path: document.path,
          line: 1,
          message: `runbook ${id} lacks the section${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"## ${m}"`).join(', ')}`,
        };
      }
    }
  },
};

const checklistMissing: LintRule = {
  id: 'runbook-checklist-missing',
  severity: 'warning',
  description: 'runbook markdown has task-list items (`- [ ] …`) that the app turns into the operator checklist',
  *check(context): Iterable<Finding> {
    for (const { id, document } of documents(context)) {
      if (document.checklist.length === 0) {
        yield {
          path: document.path,
          line: 1,
          message: `runbook ${id} has no "- [ ]" steps, so on-call gets no checklist in Diagnosis, Mitigation and Verification`,
        };
      }
    }
  },
};

const idMismatch: LintRule = {
  id: 'runbook-id-mismatch',
  severity: 'error',
  description:
    'the ID a markdown file declares (`> Runbook ID: `…``) is the ID of the manifest entry that points at it',
  *check(context): Iterable<Finding> {
    for (const { id, document } of documents(context)) {
      if (document.declaredId && document.declaredId.id !== id) {
        yield {
          path: document.path,
          line: document.declaredId.line,
          message: `file declares runbook ID ${document.declaredId.id} but the manifest entry ${id} points at it; IDs are stable, so fix the url or the declaration, not the ID`,
        };
      }
    }
  },
};

const urlUnresolved: LintRule = {
  id: 'runbook-url-unresolved',
  severity: 'error',
  description: 'a runbook url is a readable file in the repository, or an https:// link',
  *check(context): Iterable<Finding> {
    for (const runbook of context.catalog.runbooks.values()) {
      // Located only for a finding: a clean catalog never computes line numbers.
      const where = () => {
        const location = context.catalog.locate('runbooks', runbook.id);
        return { path: location?.path ?? '', line: location?.line ?? null };
      };
      if (isExternalUrl(runbook.url)) {
        if (!/^https:\/\/[^\s/]+/.test(runbook.url)) {
          yield {
            ...where(),
            message: `runbook ${runbook.id}: url ${runbook.url} is neither a repository path nor an https:// link`,
          };
        }
      } else if (context.catalog.documents.get(runbook.id)?.content == null) {
        yield {
          ...where(),
          message: `runbook ${runbook.id}: url ${runbook.url} does not resolve to a readable file in the repository (paths are relative to the repository root)`,
        };
      }
    }
  },
};

const headerMissing: LintRule = {
  id: 'runbook-header-missing',
  severity: 'error',
  description: 'runbook markdown starts with a `# Title` and the `> Runbook ID: `…`` header line',
  *check(context): Iterable<Finding> {
    for (const { id, document } of documents(context)) {
      const missing = [
        document.title === null ? 'a "# Title" heading' : null,
        document.declaredId === null ? `the line "> Runbook ID: \`${id}\` · Owner: …"` : null,
      ].filter(Boolean);
      if (missing.length > 0) {
        yield { path: document.path, line: 1, message: `runbook ${id} lacks ${missing.join(' and ')}` };
      }
    }
  },
};

const queriesIncomplete: LintRule = {
  id: 'runbook-queries-unlisted',
  severity: 'warning',
  description: "the saved queries a runbook's markdown cites are listed in its manifest entry's `queries`",
  *check(context): Iterable<Finding> {
    for (const { id, document } of documents(context)) {
      const listed = new Set(context.catalog.runbooks.get(id)?.queries ?? []);
      const unlisted = [...new Set(document.citedQueries.map((cited) => cited.id))].filter(
        (query) => !listed.has(query) && context.declared.queryIds.has(query)
      );
      if (unlisted.length > 0) {
        const location = context.catalog.locate('runbooks', id);
        yield {
          path: location?.path ?? document.path,
          line: location?.line ?? null,
          message: `runbook ${id} cites ${unlisted.join(', ')} in its markdown; add them to its queries`,
        };
      }
    }
  },
};

const citedQueryUnknown: LintRule = {
  id: 'runbook-cited-query-unknown',
  severity: 'error',
  description: 'every saved query the markdown cites (``saved query `id` ``) exists',
  *check(context): Iterable<Finding> {
    if (!context.declared.filesRead.has('queries')) {
      return;
    }
    for (const { id, document } of documents(context)) {
      for (const cited of document.citedQueries) {
        if (!context.declared.queryIds.has(cited.id)) {
          yield {
            path: document.path,
            line: cited.line,
            message: `runbook ${id} cites saved query ${cited.id}, which is not in queries.catalog.json`,
          };
        }
      }
    }
  },
};

const orphaned: LintRule = {
  id: 'runbook-file-orphaned',
  severity: 'warning',
  description: 'every markdown file under catalog/runbooks/ belongs to a manifest entry',
  *check(context): Iterable<Finding> {
    if (!context.declared.filesRead.has('runbooks')) {
      return;
    }
    const referenced = context.declared.runbookPaths;
    for (const file of listFiles(path.join(context.catalog.dir, 'runbooks'), ['.md'])) {
      const relative = relativePath(context.root, file);
      if (!referenced.has(relative) && path.basename(file).toLowerCase() !== 'readme.md') {
        yield {
          path: relative,
          line: null,
          message: 'no runbook in runbooks.catalog.json has this file as its url; add an entry or delete the file',
        };
      }
    }
  },
};

export const runbookRules: LintRuleGroup = {
  name: 'runbooks',
  rules: [
    urlUnresolved,
    headerMissing,
    sectionMissing,
    checklistMissing,
    idMismatch,
    citedQueryUnknown,
    queriesIncomplete,
    orphaned,
  ],
};
