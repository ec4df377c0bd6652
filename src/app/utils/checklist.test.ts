import { aChecklistStep, aTimelineEntry, minutesAfter } from '../../../tests/fixtures/builders';
import { checklistState, stepKey, stepsBySection } from './checklist';

describe('checklistState', () => {
  it('takes the latest tick per step from the timeline, whatever order it arrives in', () => {
    const tick = (id: string, at: string, stepId: string, done: boolean) =>
      aTimelineEntry({
        id,
        at,
        kind: 'checklist_step_done',
        data: { runbook_id: 'ops.outbox.relay', step_id: stepId, done },
      });
    const state = checklistState([
      tick('3', minutesAfter(3), 'diagnosis-1', false),
      tick('1', minutesAfter(1), 'diagnosis-1', true),
      tick('2', minutesAfter(2), 'diagnosis-2', true),
      aTimelineEntry({ id: '4', kind: 'note', data: { runbook_id: 'ops.outbox.relay', step_id: 'diagnosis-3' } }),
    ]);
    expect(state.get(stepKey('ops.outbox.relay', 'diagnosis-1'))).toBe(false);
    expect(state.get(stepKey('ops.outbox.relay', 'diagnosis-2'))).toBe(true);
    expect(state.has(stepKey('ops.outbox.relay', 'diagnosis-3'))).toBe(false);
  });
});

describe('stepsBySection', () => {
  it('keeps document order and groups consecutive steps of a section', () => {
    const groups = stepsBySection([
      aChecklistStep({ id: 'd-1', section: 'Diagnosis' }),
      aChecklistStep({ id: 'd-2', section: 'Diagnosis' }),
      aChecklistStep({ id: 'm-1', section: 'Mitigation' }),
    ]);
    expect(groups.map((group) => [group.section, group.steps.map((step) => step.id)])).toEqual([
      ['Diagnosis', ['d-1', 'd-2']],
      ['Mitigation', ['m-1']],
    ]);
  });
});
