import React from 'react';
import { Alert, Button, Stack } from '@grafana/ui';

import { readSession, writeSession } from '../utils/storage';
import { testIds } from '../testIds';
import { STORAGE_KEYS } from '../constants';

const RELOAD_KEY = STORAGE_KEYS.chunkReload;
/** A second chunk failure within this window shows the message instead of reloading again (no reload loops). */
const RELOAD_GUARD_MS = 30_000;

/** Webpack's ChunkLoadError, or the browser's failed dynamic import, after a plugin upgrade or a network blip. */
export function isChunkLoadError(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  return (
    error.name === 'ChunkLoadError' ||
    /Loading (CSS )?chunk [\w-]+ failed/i.test(error.message) ||
    /Failed to fetch dynamically imported module/i.test(error.message) ||
    /error loading dynamically imported module/i.test(error.message)
  );
}

interface Props {
  children: React.ReactNode;
  /** Changing it (e.g. the route) clears the error: the user can navigate away from a broken page. */
  resetKey?: string;
  /** Injected in tests; the real one reloads the page to fetch the new chunks. */
  reload?: () => void;
}

interface State {
  error: Error | null;
  resetKey?: string;
}

export class AppErrorBoundary extends React.Component<Props, State> {
  state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  componentDidCatch(error: Error) {
    if (isChunkLoadError(error)) {
      const last = Number(readSession(RELOAD_KEY) ?? 0);
      if (Date.now() - last > RELOAD_GUARD_MS) {
        writeSession(RELOAD_KEY, String(Date.now()));
        this.reload();
      }
    }
  }

  private reload = () => (this.props.reload ?? (() => window.location.reload()))();

  render() {
    const { error } = this.state;
    if (!error) {
      return this.props.children;
    }
    const chunk = isChunkLoadError(error);
    return (
      <div data-testid={testIds.app.errorBoundary}>
        <Alert severity="error" title={chunk ? 'Opsdeck was updated or the network dropped' : 'This page failed'}>
          <Stack direction="column" gap={1}>
            <div>
              {chunk ? 'Part of the app could not be loaded. Reloading fetches the current version.' : error.message}
            </div>
            <Stack gap={1}>
              {chunk ? (
                <Button icon="sync" onClick={this.reload}>
                  Reload
                </Button>
              ) : (
                <Button icon="sync" variant="secondary" onClick={() => this.setState({ error: null })}>
                  Try again
                </Button>
              )}
            </Stack>
          </Stack>
        </Alert>
      </div>
    );
  }
}

/**
 * `React.lazy` with one retry: a chunk that failed to load (a deploy replaced it, a network blip) is
 * requested once more before the error boundary takes over.
 */
export function lazyWithRetry<T extends React.ComponentType<any>>(load: () => Promise<{ default: T }>) {
  return React.lazy(() =>
    load().catch(
      () => new Promise<{ default: T }>((resolve, reject) => setTimeout(() => load().then(resolve, reject), 500))
    )
  );
}
