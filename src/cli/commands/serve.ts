import type { Command } from 'commander';

import { CatalogLoadError } from '../../catalog/load';
import { ConfigError, loadConfig } from '../../api/config';
import { ListenError, startServer } from '../../api/server';
import { StoreInUseError } from '../../api/store/data-dir-lock';

export function registerServeCommand(program: Command) {
  program
    .command('serve')
    .description('start the companion API (configuration from OPSDECK_* environment variables)')
    .action(async () => {
      try {
        await startServer(loadConfig(process.env));
      } catch (error) {
        if (error instanceof ConfigError) {
          console.error(`opsdeck: invalid configuration: ${error.message}`);
          process.exit(2);
        }
        // Exit at once: a second process on one embedded data dir would corrupt it (issue 13.1); a taken
        // port is named at once instead of waiting (issue 15.8).
        if (error instanceof CatalogLoadError || error instanceof StoreInUseError || error instanceof ListenError) {
          console.error(`opsdeck: cannot start: ${error.message}`);
          process.exit(2);
        }
        throw error;
      }
    });
}
