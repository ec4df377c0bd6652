import path from 'node:path';

/** catalog-incidents plus response-policy.yaml and oncall.yaml (tests/fixtures/catalog-oncall/README.md). */
export const ONCALL_CATALOG_DIR = path.join(__dirname, '..', 'fixtures', 'catalog-oncall');
