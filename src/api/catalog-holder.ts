import type { Catalog } from '../catalog/model';

/**
 * Holds the catalog the API serves. Readers call `current()` once per request and use that object
 * throughout, so a concurrent reload (SIGHUP, POST /api/v1/admin/catalog/reload) swaps it atomically.
 */
export interface CatalogHolder {
  current(): Catalog;
  replace(next: Catalog): void;
  /** Catalog directory, for reloads. */
  readonly dir: string;
}

export function createCatalogHolder(initial: Catalog): CatalogHolder {
  let catalog = initial;
  return {
    dir: initial.dir,
    current: () => catalog,
    replace(next) {
      catalog = next;
    },
  };
}
