import { useCallback, useEffect, useRef, useState } from 'react';

import { OpsApiError, toOpsApiError } from '../api/errors';

export interface AsyncState<T> {
  /** The last good answer; kept while a refresh is in flight or after a refresh failed. */
  data: T | undefined;
  error: OpsApiError | undefined;
  /** True only before the first answer (or after the inputs changed): pages show a loading state then. */
  loading: boolean;
  /** True while a background refresh runs: pages keep showing `data`, so scroll and focus survive. */
  refreshing: boolean;
  loadedAt: number | undefined;
  reload: () => Promise<void>;
}

/**
 * Runs `load` when `key` changes and on `reload()`. Answers that arrive after a newer call started are
 * dropped, so a slow refresh never overwrites a fresher page.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const [state, setState] = useState<Omit<AsyncState<T>, 'reload'>>({
    data: undefined,
    error: undefined,
    loading: true,
    refreshing: false,
    loadedAt: undefined,
  });
  const sequence = useRef(0);
  const mounted = useRef(true);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  }, [load]);

  const run = useCallback(async (background: boolean) => {
    const mine = ++sequence.current;
    setState((previous) =>
      background ? { ...previous, refreshing: true } : { ...previous, loading: true, error: undefined }
    );
    try {
      const data = await loadRef.current();
      if (mounted.current && mine === sequence.current) {
        setState({ data, error: undefined, loading: false, refreshing: false, loadedAt: Date.now() });
      }
    } catch (thrown) {
      if (mounted.current && mine === sequence.current) {
        setState((previous) => ({ ...previous, error: toOpsApiError(thrown), loading: false, refreshing: false }));
      }
    }
  }, []);

  useEffect(() => {
    mounted.current = true;
    setState((previous) => ({ ...previous, data: undefined }));
    run(false);
    return () => {
      mounted.current = false;
    };
  }, [key, run]);

  const reload = useCallback(() => run(true), [run]);
  return { ...state, reload };
}
