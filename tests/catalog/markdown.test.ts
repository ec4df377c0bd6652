import { parseRunbookMarkdown, slugify } from '../../src/catalog/markdown';

const RUNBOOK = `# Outbox relay degraded

> Runbook ID: \`ops.outbox.relay\` · Owner: \`platform-messaging\`

## Diagnosis

- [ ] Run saved query \`outbox_relay_lag\` and note the service.
- [x] Check the pods
  and the lease holder.

\`\`\`bash
- [ ] not a step: inside a code block
# not a heading either
\`\`\`

* [ ] Compare saved queries \`dlq_depth_by_queue\` and \`db_query_latency_p95\`.

## Rollback / Recovery

- [ ] Revert the batch size.

### Details

- [ ] Still part of Rollback / Recovery.
- Not a task item.
`;

describe('runbook markdown', () => {
  const parsed = parseRunbookMarkdown(RUNBOOK);

  it('reads the title, the declared ID and the level-2 sections with their lines', () => {
    expect(parsed.title).toBe('Outbox relay degraded');
    expect(parsed.declaredId).toEqual({ id: 'ops.outbox.relay', line: 3 });
    expect(parsed.sections.map(({ title, slug, line }) => ({ title, slug, line }))).toEqual([
      { title: 'Diagnosis', slug: 'diagnosis', line: 5 },
      { title: 'Rollback / Recovery', slug: 'rollback-recovery', line: 18 },
    ]);
  });

  it('turns task items into checklist steps numbered per section, skipping code blocks', () => {
    expect(parsed.checklist.map(({ id, text, checked, line }) => ({ id, text, checked, line }))).toEqual([
      { id: 'diagnosis-1', text: 'Run saved query `outbox_relay_lag` and note the service.', checked: false, line: 7 },
      { id: 'diagnosis-2', text: 'Check the pods and the lease holder.', checked: true, line: 8 },
      {
        id: 'diagnosis-3',
        text: 'Compare saved queries `dlq_depth_by_queue` and `db_query_latency_p95`.',
        checked: false,
        line: 16,
      },
      { id: 'rollback-recovery-1', text: 'Revert the batch size.', checked: false, line: 20 },
      { id: 'rollback-recovery-2', text: 'Still part of Rollback / Recovery.', checked: false, line: 24 },
    ]);
    expect(parsed.checklist.every((step) => step.section === step.id.replace(/-\d+$/, ''))).toBe(true);
  });

  it('finds the saved queries the text cites, with their lines', () => {
    expect(parsed.citedQueries).toEqual([
      { id: 'outbox_relay_lag', line: 7 },
      { id: 'dlq_depth_by_queue', line: 16 },
      { id: 'db_query_latency_p95', line: 16 },
    ]);
  });

  it('slugs headings into stable step-ID prefixes', () => {
    expect(slugify('Rollback / Recovery')).toBe('rollback-recovery');
    expect(slugify('  `kubectl` checks!  ')).toBe('kubectl-checks');
    expect(slugify('…')).toBe('section');
  });

  it('handles a file without headings or steps', () => {
    expect(parseRunbookMarkdown('just text\n')).toEqual({
      title: null,
      declaredId: null,
      sections: [],
      checklist: [],
      citedQueries: [],
    });
  });
});
