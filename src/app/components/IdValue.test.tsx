import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { IdValue } from './IdValue';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('IdValue (issue 15: IDs never break mid-string)', () => {
  it('shows the ID monospace on one line with an ellipsis, the full value in a tooltip, and a copy button', async () => {
    render(<IdValue value={TRACE} label="trace ID" />);
    const id = screen.getByText(TRACE);
    expect(id.tagName).toBe('CODE');
    expect(id).toHaveStyle({ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' });
    expect(screen.getByRole('button', { name: `Copy trace ID ${TRACE}` })).toBeInTheDocument();
    await userEvent.hover(id);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(TRACE);
  });
});
