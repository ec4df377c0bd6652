import React from 'react';
import { render, screen, within } from '@testing-library/react';

import { aChecklistStep } from '../../../tests/fixtures/builders';
import { RunbookChecklist } from './RunbookChecklist';

describe('RunbookChecklist step bodies (issue 15)', () => {
  it('shows each step with its commands (with a copy button), nested list and links, rendered safely', () => {
    const step = aChecklistStep({
      id: 'diagnosis-1',
      text: 'Check the relay pods and leader lease:',
      body: [
        '```bash',
        'kubectl -n messaging get pods -l app=outbox-relay -o wide',
        'kubectl -n messaging get lease outbox-relay-leader',
        '```',
        '',
        '- the [lag dashboard](https://grafana.example/d/lag)',
        '- <img src=x onerror="alert(1)"> raw html stays inert',
      ].join('\n'),
    });
    render(<RunbookChecklist runbookId="ops.outbox.relay" steps={[step]} checked={new Map()} testId="step" />);
    const item = screen.getByTestId('step');
    expect(item).toHaveTextContent('Check the relay pods and leader lease:');
    const code = within(item).getByText(/kubectl -n messaging get pods/);
    expect(code.closest('pre')).not.toBeNull();
    expect(code.textContent).toContain('get lease outbox-relay-leader');
    expect(within(item).getByRole('button', { name: /copy/i })).toBeInTheDocument();
    expect(within(item).getByRole('link', { name: 'lag dashboard' })).toHaveAttribute(
      'href',
      'https://grafana.example/d/lag'
    );
    expect(item.querySelector('img')).toBeNull();
    expect(item.innerHTML).not.toContain('onerror');
  });

  it('shows a step without a body as its sentence alone', () => {
    render(
      <RunbookChecklist
        runbookId="r"
        steps={[aChecklistStep({ text: 'Page the owner', body: '' })]}
        checked={new Map()}
        testId="step"
      />
    );
    expect(screen.getByTestId('step')).toHaveTextContent(/^Page the owner$/);
    expect(screen.queryByRole('button', { name: /copy/i })).not.toBeInTheDocument();
  });
});
