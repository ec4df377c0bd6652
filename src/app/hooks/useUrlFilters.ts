import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * A list page's filters, kept in the URL query so a filtered list is a link. `keys` (a module constant,
 * so the memo holds) are the query names read; a missing one reads as ''. `setFilter` replaces the history entry (typing is not
 * navigation) and drops `resetOnChange` keys, e.g. a page cursor that belongs to the old filter.
 */
export function useUrlFilters<K extends string>(keys: readonly K[], resetOnChange: readonly string[] = []) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(
    () => Object.fromEntries(keys.map((key) => [key, params.get(key) ?? ''])) as Record<K, string>,
    [keys, params]
  );
  const setFilter = (key: K, value: string) => {
    const next = new URLSearchParams(params);
    resetOnChange.forEach((name) => next.delete(name));
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    setParams(next, { replace: true });
  };
  return { filters, setFilter, params, setParams };
}
