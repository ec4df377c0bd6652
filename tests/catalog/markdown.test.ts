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

describe('checklist step bodies (issue 15)', () => {
  it('keeps the code block, nested list and links that follow a step as its body', () => {
    const parsed = parseRunbookMarkdown(
      [
        '## Diagnosis',
        '',
        '- [ ] Check the relay pods and leader lease:',
        '',
        '```bash',
        'kubectl -n messaging get pods -l app=outbox-relay -o wide',
        'kubectl -n messaging get lease outbox-relay-leader',
        '```',
        '',
        '- [ ] Read the lag, which wraps',
        '  onto a second line:',
        '  - the [dashboard](https://grafana.example/d/x)',
        '  - the saved query `outbox_relay_lag`',
        '- [ ] Nothing more here',
        '',
        'A paragraph after the list is not a step body.',
        '',
        '## Mitigation',
        '- [ ] Scale up:',
        '    ```',
        '    kubectl scale deploy/outbox-relay --replicas=3',
        '    ```',
      ].join('\n')
    );
    expect(parsed.checklist.map((item) => [item.id, item.text, item.body])).toEqual([
      [
        'diagnosis-1',
        'Check the relay pods and leader lease:',
        '```bash\nkubectl -n messaging get pods -l app=outbox-relay -o wide\nkubectl -n messaging get lease outbox-relay-leader\n```',
      ],
      [
        'diagnosis-2',
        'Read the lag, which wraps onto a second line:',
        '- the [dashboard](https://grafana.example/d/x)\n- the saved query `outbox_relay_lag`',
      ],
      ['diagnosis-3', 'Nothing more here', ''],
      ['mitigation-1', 'Scale up:', '```\nkubectl scale deploy/outbox-relay --replicas=3\n```'],
    ]);
  });

  it('gives the step of catalog/runbooks/outbox-relay.md its three kubectl lines', async () => {
    const { readFile } = await import('node:fs/promises');
    const content = await readFile(`${__dirname}/../../catalog/runbooks/outbox-relay.md`, 'utf8');
    const step = parseRunbookMarkdown(content).checklist.find((item) => item.text.startsWith('Check the relay pods'));
    expect(step?.body.match(/^kubectl /gm)).toHaveLength(3);
  });
});
