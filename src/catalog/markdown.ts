/**
 * What Opsdeck reads from a runbook's markdown: title, sections, the operator's checklist (GitHub
 * task-list items `- [ ] …`), the ID the file declares and the saved queries it cites. A single
 * line-by-line pass; fenced code blocks are skipped so that a `- [ ]` or `#` inside an example stays text.
 */
import type { ChecklistItem, MarkdownSection, RunbookDocument } from './model';

const FENCE = /^\s*(`{3,}|~{3,})/;
const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const TASK_ITEM = /^\s*[-*+]\s+\[([ xX])\]\s+(.*)$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s/;
const DECLARED_ID = /^>\s*Runbook ID:\s*`([^`]+)`/i;
const CITATION = /saved quer(?:y|ies)\s+((?:`[a-z][a-z0-9_]*`(?:\s*(?:,|and|or|\/)\s*)*)+)/gi;
const BACKTICKED = /`([a-z][a-z0-9_]*)`/g;

/** `Rollback / Recovery` → `rollback-recovery`: the stable prefix of a section's step IDs. */
export function slugify(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/`/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'section'
  );
}

export type ParsedMarkdown = Omit<RunbookDocument, 'path' | 'content'>;

const SPACE = 32;
const TAB = 9;
/** First characters of the lines the parser looks at: # ` ~ - * + > */
const INTERESTING = new Set([35, 96, 126, 45, 42, 43, 62]);

/** What the pass has found so far; `section` and `openItem` are where the pass is. */
interface ParseState {
  title: string | null;
  declaredId: { id: string; line: number } | null;
  sections: MarkdownSection[];
  checklist: ChecklistItem[];
  citedQueries: Array<{ id: string; line: number }>;
  section: string;
  openItem: ChecklistItem | null;
  perSection: Map<string, number>;
}

/** The saved queries a line cites ("saved query `a`", "saved queries `a`, `b`"). */
function collectCitations(line: string, lineNumber: number, out: ParseState['citedQueries']): void {
  for (const citation of line.matchAll(CITATION)) {
    for (const id of citation[1].matchAll(BACKTICKED)) {
      out.push({ id: id[1], line: lineNumber });
    }
  }
}

/** A line that may start structure (outside a fence): a heading, the declared ID or a task item. */
function readStructureLine(state: ParseState, line: string, code: number, indent: number, lineNumber: number): void {
  if (code === 35 && indent === 0) {
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1].length;
      const text = heading[2].trim();
      if (level === 1 && state.title === null) {
        state.title = text;
      }
      if (level === 2) {
        state.section = slugify(text);
        state.sections.push({ title: text, slug: state.section, level, line: lineNumber });
      }
      return;
    }
  }
  if (code === 62 && state.declaredId === null) {
    const declared = DECLARED_ID.exec(line);
    if (declared) {
      state.declaredId = { id: declared[1].trim(), line: lineNumber };
    }
    return;
  }
  const task = code === 45 || code === 42 || code === 43 ? TASK_ITEM.exec(line) : null;
  if (task) {
    const n = (state.perSection.get(state.section) ?? 0) + 1;
    state.perSection.set(state.section, n);
    state.openItem = {
      id: `${state.section}-${n}`,
      section: state.section,
      text: task[2].trim(),
      body: '',
      line: lineNumber,
      checked: task[1] !== ' ',
    };
    state.checklist.push(state.openItem);
  }
}

/** Whether the line at [lineStart, end) closes the open `fence` (same character, at least as long). */
function closesFence(content: string, lineStart: number, end: number, code: number, fence: string): boolean {
  if (code !== fence.charCodeAt(0)) {
    return false;
  }
  const fenceMatch = FENCE.exec(content.slice(lineStart, end));
  return fenceMatch !== null && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length;
}

export function parseRunbookMarkdown(content: string): ParsedMarkdown {
  const state: ParseState = {
    title: null,
    declaredId: null,
    sections: [],
    checklist: [],
    citedQueries: [],
    section: 'runbook',
    openItem: null,
    perSection: new Map(),
  };
  let fence: string | null = null;
  let nextCitation = content.indexOf('aved quer');

  // One pass over the text without splitting it: most lines are prose, and only lines whose first
  // non-blank character can start markdown structure (or that cite a saved query) are sliced out.
  let lineNumber = 0;
  for (let start = 0; start <= content.length; ) {
    let end = content.indexOf('\n', start);
    if (end === -1) {
      end = content.length;
    }
    lineNumber++;
    let first = start;
    while (first < end && (content.charCodeAt(first) === SPACE || content.charCodeAt(first) === TAB)) {
      first++;
    }
    const indent = first - start;
    const code = first < end ? content.charCodeAt(first) : -1;
    while (nextCitation !== -1 && nextCitation < start) {
      nextCitation = content.indexOf('aved quer', nextCitation + 1);
    }
    const cites = nextCitation !== -1 && nextCitation < end;
    const lineStart = start;
    start = end + 1;

    if (fence !== null) {
      fence = closesFence(content, lineStart, end, code, fence) ? null : fence;
      continue;
    }
    const continues = state.openItem !== null && indent >= 2 && code !== -1;
    if (!INTERESTING.has(code) && !cites && !continues) {
      state.openItem = null;
      continue;
    }
    const line = content.slice(lineStart, end).replace(/\r$/, '');
    const fenceMatch = code === 96 || code === 126 ? FENCE.exec(line) : null;
    if (fenceMatch) {
      fence = fenceMatch[1];
      state.openItem = null;
      continue;
    }
    if (cites) {
      collectCitations(line, lineNumber, state.citedQueries);
    }
    // A task item's text may wrap onto indented lines; they belong to the step.
    if (continues && !LIST_ITEM.test(line)) {
      state.openItem!.text = `${state.openItem!.text} ${line.trim()}`;
      continue;
    }
    state.openItem = null;
    readStructureLine(state, line, code, indent, lineNumber);
  }
  const { title, declaredId, sections, checklist, citedQueries } = state;
  if (checklist.length > 0) {
    attachStepBodies(content, checklist);
  }
  return { title, declaredId, sections, checklist, citedQueries };
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * A step's body: after the task line and its wrapped text, the blank lines, fenced code blocks (at any
 * indent: runbooks often put the commands at column 0 right under the step) and indented lines (nested
 * lists, indented text) up to the first unindented line or the next task item. Dedented, so that an
 * indented fence still renders as code. Only files with a checklist pay for this second pass.
 */
function attachStepBodies(content: string, checklist: ChecklistItem[]): void {
  const lines = content.split('\n').map((line) => line.replace(/\r$/, ''));
  for (const item of checklist) {
    let i = item.line;
    while (i < lines.length && lines[i].trim() !== '' && indentOf(lines[i]) >= 2 && !LIST_ITEM.test(lines[i]) && !FENCE.test(lines[i])) {
      i++;
    }
    const body: string[] = [];
    let fence: string | null = null;
    for (; i < lines.length; i++) {
      const line = lines[i];
      const opens = FENCE.exec(line);
      if (fence !== null) {
        body.push(line);
        if (opens && opens[1][0] === fence[0] && opens[1].length >= fence.length) {
          fence = null;
        }
      } else if (opens) {
        fence = opens[1];
        body.push(line);
      } else if (line.trim() === '' || (indentOf(line) >= 2 && !TASK_ITEM.test(line))) {
        body.push(line);
      } else {
        break;
      }
    }
    const kept = body.join('\n').replace(/^\s*\n/, '').trimEnd().split('\n');
    const margin = Math.min(...kept.filter((line) => line.trim() !== '').map(indentOf));
    item.body = kept.every((line) => line.trim() === '') ? '' : kept.map((line) => line.slice(Math.min(margin, indentOf(line)))).join('\n');
  }
}

/** The sections every runbook has, in this order; alternatives are accepted slugs. */
export const REQUIRED_SECTIONS: ReadonlyArray<{ title: string; slugs: readonly string[] }> = [
  { title: 'Meaning', slugs: ['meaning'] },
  { title: 'Impact', slugs: ['impact'] },
  { title: 'Diagnosis', slugs: ['diagnosis'] },
  { title: 'Mitigation', slugs: ['mitigation'] },
  { title: 'Rollback / Recovery', slugs: ['rollback-recovery', 'rollback-and-recovery', 'rollback', 'recovery'] },
  { title: 'Escalation', slugs: ['escalation'] },
  { title: 'Verification', slugs: ['verification'] },
];
