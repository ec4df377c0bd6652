import { rmSync } from 'node:fs';
import path from 'node:path';

/** Stops the throwaway PostgreSQL cluster global-setup.ts started (if any) and removes the PGlite templates. */
export default async function globalTeardown() {
  globalThis.opsdeckTestCluster?.remove();
  globalThis.opsdeckTestCluster = undefined;
  const template = process.env.OPSDECK_TEST_PGLITE_EMPTY;
  if (template) {
    rmSync(path.dirname(template), { recursive: true, force: true });
  }
}
