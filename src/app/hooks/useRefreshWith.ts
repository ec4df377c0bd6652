import { useEffect, useRef } from 'react';

/**
 * Reloads when `refreshKey` changes, but not on mount (the first load is the caller's own): the ops
 * page's self-loading Decision Header tiles refresh whenever the overview does (its generated_at),
 * keeping their last answer while they reload.
 */
export function useRefreshWith(refreshKey: string, reload: () => Promise<void>) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void reload();
  }, [refreshKey, reload]);
}
