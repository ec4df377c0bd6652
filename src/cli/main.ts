/**
 * The `opsdeck` command. Each subcommand lives in its own file under src/cli/commands/.
 */
import { Command } from 'commander';

import { registerAuditCommand } from './commands/audit';
import { registerBackupCommands } from './commands/backup';
import { registerGenerateCommand } from './commands/generate';
import { registerIncidentsCommands } from './commands/incidents';
import { registerLintCommand } from './commands/lint';
import { registerServeCommand } from './commands/serve';

export function buildCli(): Command {
  const program = new Command('opsdeck')
    .description('Opsdeck: decision-first incident workspace for Grafana — API server and GitOps tooling')
    .showHelpAfterError();
  registerServeCommand(program);
  registerLintCommand(program);
  registerAuditCommand(program);
  registerBackupCommands(program);
  registerGenerateCommand(program);
  registerIncidentsCommands(program);
  return program;
}

/** Entry point of bin/opsdeck.js (which runs the bundle build/opsdeck.cjs). */
export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    console.error(`opsdeck: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
