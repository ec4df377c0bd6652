import { aRunbookList, aRunbookListItem } from '../../../tests/fixtures/builders';
import { groupRunbooks, ownersOf, runbookIdByFile } from './runbooks';

const list = aRunbookList([
  aRunbookListItem(),
  aRunbookListItem({
    id: 'ops.api.errors',
    title: 'API error rate',
    owner_team: 'api-edge',
    severity_hint: 'sev2',
    signal_groups: ['api_edge'],
    review_status: 'overdue',
    url: 'catalog/runbooks/api-error-rate.md',
  }),
  aRunbookListItem({
    id: 'ops.dlq',
    title: 'DLQ backlog',
    severity_hint: 'sev2',
    signal_groups: ['messaging', 'data'],
    review_status: 'due_soon',
    url: 'catalog/runbooks/dlq-backlog.md',
  }),
]);

describe('runbook list', () => {
  it('groups in catalog order; a runbook may sit in several groups', () => {
    const groups = groupRunbooks(list, {});
    expect(groups.map(({ group, runbooks }) => [group.key, runbooks.map((r) => r.id)])).toEqual([
      ['messaging', ['ops.outbox.relay', 'ops.dlq']],
      ['api_edge', ['ops.api.errors']],
      ['data', ['ops.dlq']],
    ]);
  });

  it('filters by owner, severity, review status and text, dropping empty groups', () => {
    expect(groupRunbooks(list, { owner: 'api-edge' }).map(({ group }) => group.key)).toEqual(['api_edge']);
    expect(
      groupRunbooks(list, { severity: 'sev2', review: 'due_soon' }).flatMap(({ runbooks }) => runbooks.map((r) => r.id))
    ).toEqual(['ops.dlq', 'ops.dlq']);
    expect(groupRunbooks(list, { q: 'dlq BACKLOG' }).flatMap(({ runbooks }) => runbooks.map((r) => r.id))).toEqual([
      'ops.dlq',
      'ops.dlq',
    ]);
    expect(groupRunbooks(list, { q: 'nothing-matches' })).toEqual([]);
  });

  it('falls back to one group when the API did not group', () => {
    const groups = groupRunbooks({ items: list.items }, {});
    expect(groups).toHaveLength(1);
    expect(groups[0].runbooks).toHaveLength(3);
  });

  it('lists owners and maps markdown file names to IDs', () => {
    expect(ownersOf(list)).toEqual(['api-edge', 'platform-messaging']);
    expect(runbookIdByFile(list.items).get('dlq-backlog.md')).toBe('ops.dlq');
    expect(runbookIdByFile([{ id: 'x.y', url: 'https://docs.example.com/x' }]).size).toBe(0);
  });
});
