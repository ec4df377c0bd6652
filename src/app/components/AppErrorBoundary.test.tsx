import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { testIds } from '../testIds';
import { AppErrorBoundary, isChunkLoadError } from './AppErrorBoundary';

function Thrower({ error }: { error: Error | null }) {
  if (error) {
    throw error;
  }
  return <div>page content</div>;
}

const chunkError = () =>
  Object.assign(new Error('Loading chunk page-ops failed.\n(missing: /public/plugins/x/page-ops.js)'), {
    name: 'ChunkLoadError',
  });

describe('AppErrorBoundary', () => {
  let consoleError: jest.SpyInstance;
  beforeEach(() => {
    window.sessionStorage.clear();
    // React logs caught render errors; they are expected here.
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => consoleError.mockRestore());

  it('recognises chunk-load errors from webpack and from native dynamic import', () => {
    expect(isChunkLoadError(chunkError())).toBe(true);
    expect(isChunkLoadError(new TypeError('Failed to fetch dynamically imported module: /x.js'))).toBe(true);
    expect(isChunkLoadError(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isChunkLoadError('Loading chunk 1 failed')).toBe(false);
  });

  it('reloads once on a chunk-load error, then offers a reload button instead of looping', async () => {
    const reload = jest.fn();
    const { unmount } = render(
      <AppErrorBoundary reload={reload}>
        <Thrower error={chunkError()} />
      </AppErrorBoundary>
    );
    expect(reload).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId(testIds.app.errorBoundary)).toHaveTextContent(/updated or the network dropped/);
    unmount();

    render(
      <AppErrorBoundary reload={reload}>
        <Thrower error={chunkError()} />
      </AppErrorBoundary>
    );
    expect(reload).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByRole('button', { name: /reload/i }));
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it('shows other errors with a retry, and clears them when the route changes', async () => {
    const { rerender } = render(
      <AppErrorBoundary resetKey="/ops">
        <Thrower error={new Error('kaboom')} />
      </AppErrorBoundary>
    );
    expect(screen.getByTestId(testIds.app.errorBoundary)).toHaveTextContent('kaboom');
    rerender(
      <AppErrorBoundary resetKey="/runbooks">
        <Thrower error={null} />
      </AppErrorBoundary>
    );
    expect(screen.getByText('page content')).toBeInTheDocument();
  });
});
