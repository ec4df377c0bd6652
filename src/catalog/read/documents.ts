/**
 * The runbook markdown each runbook entry points to (never read outside the repository), and the
 * indexes from signal and saved query to the runbooks that cover them.
 */
import path from 'node:path';

import type { RunbookEntry } from '../../contract/catalog';
import { isExternalUrl, readTextSync, repoPath } from '../files';
import { parseRunbookMarkdown } from '../markdown';
import type { RunbookDocument } from '../model';
import type { Entry } from './source';

const emptyDocument = (documentPath: string | null): RunbookDocument => ({
  path: documentPath,
  content: null,
  title: null,
  declaredId: null,
  sections: [],
  checklist: [],
  citedQueries: [],
});

function readDocument(root: string, relative: string): RunbookDocument {
  const content = readTextSync(`${root}${path.sep}${relative}`);
  return content === null ? emptyDocument(relative) : { path: relative, content, ...parseRunbookMarkdown(content) };
}

/** Each runbook's document by runbook ID; external URLs and missing files give an empty document. */
export function readDocuments(root: string, runbooks: Map<string, Entry<RunbookEntry>>): Map<string, RunbookDocument> {
  const documents = new Map<string, RunbookDocument>();
  for (const { value: runbook } of runbooks.values()) {
    if (isExternalUrl(runbook.url)) {
      documents.set(runbook.id, emptyDocument(null));
      continue;
    }
    // Never read outside the repository, whatever the url says.
    const relative = repoPath(root, runbook.url);
    documents.set(runbook.id, relative !== null ? readDocument(root, relative) : emptyDocument(runbook.url));
  }
  return documents;
}

/** Runbook IDs by the signals they list, and by the saved queries they list or cite in their markdown. */
export function indexRunbooks(runbooks: Map<string, Entry<RunbookEntry>>, documents: Map<string, RunbookDocument>) {
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
  return { runbooksBySignal, runbooksByQuery };
}
