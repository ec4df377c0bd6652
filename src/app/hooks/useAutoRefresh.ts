import { useEffect, useRef } from 'react';

/**
 * Calls `refresh` every `intervalMs` while not paused (0 = off) and while the tab is visible. The page
 * re-renders in place with the new data — nothing unmounts — so scroll position and keyboard focus stay.
 */
export function useAutoRefresh(refresh: () => void, intervalMs: number, paused: boolean) {
  const refreshRef = useRef(refresh);
  useEffect(() => {
    refreshRef.current = refresh;
  }, [refresh]);

  useEffect(() => {
    if (paused || intervalMs <= 0) {
      return undefined;
    }
    const timer = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') {
        refreshRef.current();
      }
    }, intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs, paused]);
}
