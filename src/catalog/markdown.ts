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

export function parseRunbookMarkdown(content: string): ParsedMarkdown {
  const sections: MarkdownSection[] = [];
  const checklist: ChecklistItem[] = [];
  const citedQueries: Array<{ id: string; line: number }> = [];
  const perSection = new Map<string, number>();
  let title: string | null = null;
  let declaredId: { id: string; line: number } | null = null;
  let fence: string | null = null;
  let section = 'runbook';
  let openItem: ChecklistItem | null = null;
  let nextCitation = content.indexOf('aved quer');

  // One pass over the text without splitting it: most lines are prose, and only lines whose first
  // non-blank character can start markdown structure (or that cite a saved query) are sliced out.
  let lineNumber = 0;
  for (let start = 0; start <= content.length;) {
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
      if (code === fence.charCodeAt(0)) {
        const fenceMatch = FENCE.exec(content.slice(lineStart, end));
        if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) {
          fence = null;
        }
      }
      continue;
    }
    const continues = openItem !== null && indent >= 2 && code !== -1;
    if (!INTERESTING.has(code) && !cites && !continues) {
      openItem = null;
      continue;
    }
    const line = content.slice(lineStart, end).replace(/\r$/, '');
    const fenceMatch = code === 96 || code === 126 ? FENCE.exec(line) : null;
    if (fenceMatch) {
      fence = fenceMatch[1];
      openItem = null;
      continue;
    }
    if (cites) {
      for (const citation of line.matchAll(CITATION)) {
        for (const id of citation[1].matchAll(BACKTICKED)) {
          citedQueries.push({ id: id[1], line: lineNumber });
        }
      }
    }
    // A task item's text may wrap onto indented lines; they belong to the step.
    if (continues && !LIST_ITEM.test(line)) {
      openItem!.text = `${openItem!.text} ${line.trim()}`;
      continue;
    }
    openItem = null;

    if (code === 35 && indent === 0) {
      const heading = HEADING.exec(line);
      if (heading) {
        const level = heading[1].length;
        const text = heading[2].trim();
        if (level === 1 && title === null) {
          title = text;
        }
        if (level === 2) {
          section = slugify(text);
          sections.push({ title: text, slug: section, level, line: lineNumber });
        }
        continue;
      }
    }
    if (code === 62 && declaredId === null) {
      const declared = DECLARED_ID.exec(line);
      if (declared) {
        declaredId = { id: declared[1].trim(), line: lineNumber };
      }
      continue;
    }
    const task = code === 45 || code === 42 || code === 43 ? TASK_ITEM.exec(line) : null;
    if (task) {
      const n = (perSection.get(section) ?? 0) + 1;
      perSection.set(section, n);
      openItem = {
        id: `${section}-${n}`,
        section,
        text: task[2].trim(),
        line: lineNumber,
        checked: task[1] !== ' ',
      };
      checklist.push(openItem);
    }
  }
  return { title, declaredId, sections, checklist, citedQueries };
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
