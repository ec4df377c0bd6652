// Which checklist steps are ticked, as the incident timeline records them (the latest entry per step wins).
import type { ChecklistStep } from '../../contract/catalog';
import type { TimelineEntry } from '../../contract/incidents';

export const stepKey = (runbookId: string, stepId: string) => `${runbookId}#${stepId}`;

export function checklistState(timeline: TimelineEntry[]): Map<string, boolean> {
  const ordered = timeline
    .filter((entry) => entry.kind === 'checklist_step_done')
    .slice()
    .sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at.localeCompare(b.at)));
  const state = new Map<string, boolean>();
  for (const entry of ordered) {
    const { runbook_id: runbookId, step_id: stepId, done } = entry.data;
    if (typeof runbookId === 'string' && typeof stepId === 'string') {
      state.set(stepKey(runbookId, stepId), done !== false);
    }
  }
  return state;
}

/** Steps grouped by their runbook section, in document order. */
export function stepsBySection(steps: ChecklistStep[]): Array<{ section: string; steps: ChecklistStep[] }> {
  const groups: Array<{ section: string; steps: ChecklistStep[] }> = [];
  for (const step of steps) {
    const last = groups[groups.length - 1];
    if (last && last.section === step.section) {
      last.steps.push(step);
    } else {
      groups.push({ section: step.section, steps: [step] });
    }
  }
  return groups;
}
