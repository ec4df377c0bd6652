/**
 * The API as production starts it (configuration from the environment → store, migrated → catalog →
 * listen), in its own process, so that a benchmark's load generator never shares its event loop.
 */
import { loadConfig } from '../../src/api/config';
import { startServer } from '../../src/api/server';

startServer(loadConfig(process.env)).catch((error: unknown) => {
  process.stderr.write(`bench server failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
