/**
 * GET /readyz: the store answers within READY_TIMEOUT_MS and is migrated to the schema this build
 * expects; anything else is 503 not_ready, so a load balancer keeps traffic away.
 */
import type { ReadyStatus } from '../contract/common';
import { ApiError } from './errors';
import type { Store } from './store';
import { LATEST_SCHEMA_VERSION, schemaVersion } from './store/migrator';

const READY_TIMEOUT_MS = 2_000;

export async function readiness(store: Store): Promise<ReadyStatus> {
  let version: number;
  try {
    version = await withTimeout(
      (async () => {
        await store.ping();
        return schemaVersion(store.health);
      })(),
      READY_TIMEOUT_MS
    );
  } catch (error) {
    throw new ApiError(503, 'not_ready', `store is not reachable: ${(error as Error).message}`, {
      store: store.kind,
    });
  }
  if (version < LATEST_SCHEMA_VERSION) {
    throw new ApiError(503, 'not_ready', `store schema is at version ${version}, expected ${LATEST_SCHEMA_VERSION}`, {
      store: store.kind,
      schema_version: version,
      expected_version: LATEST_SCHEMA_VERSION,
    });
  }
  return { status: 'ready', store: store.kind, schema_version: version };
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
