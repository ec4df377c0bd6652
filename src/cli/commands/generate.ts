import type { Command } from 'commander';
import path from 'node:path';

export interface GenerateCommandOptions {
  root?: string;
  catalogDir?: string;
  check?: boolean;
}

export interface GenerateCommandOutput {
  /** 0: done / up to date; 1: stale or missing generated files (--check) or the sources are invalid. */
  exitCode: 0 | 1;
  stdout: string[];
  stderr: string[];
}

/**
 * `opsdeck generate [--check]` without touching the process (tests call it; the command prints it).
 * The generators and @grafana/grafana-foundation-sdk (a dev dependency) load only here, so
 * `opsdeck serve` in a production image never needs them.
 */
export async function runGenerate(options: GenerateCommandOptions): Promise<GenerateCommandOutput> {
  const { loadGenerateInput, generateFiles } = await import('../../catalog/generate');
  const { checkGenerated, writeGenerated } = await import('../../catalog/generate/output');
  const root = path.resolve(options.root ?? process.cwd());
  const catalogDir = path.resolve(root, options.catalogDir ?? 'catalog');
  const stdout: string[] = [];
  const stderr: string[] = [];
  let files;
  try {
    files = generateFiles(await loadGenerateInput(root, catalogDir));
  } catch (error) {
    return { exitCode: 1, stdout, stderr: [`opsdeck generate: ${(error as Error).message}`] };
  }
  if (options.check) {
    const { stale, missing, orphaned } = await checkGenerated(root, files);
    for (const file of stale) {
      stderr.push(`${file}: stale — it differs from what \`opsdeck generate\` writes`);
    }
    for (const file of missing) {
      stderr.push(`${file}: missing — \`opsdeck generate\` writes it`);
    }
    for (const file of orphaned) {
      stderr.push(`${file}: orphaned — a generated file no source produces any more`);
    }
    const problems = stale.length + missing.length + orphaned.length;
    if (problems > 0) {
      stderr.push(
        `opsdeck generate --check: ${problems} of ${files.length} generated files are out of date; run \`npm run opsdeck -- generate\` and commit the result`
      );
      return { exitCode: 1, stdout, stderr };
    }
    stdout.push(`opsdeck generate --check: all ${files.length} generated files are up to date`);
    return { exitCode: 0, stdout, stderr };
  }
  const { written, unchanged, removed } = await writeGenerated(root, files);
  stdout.push(...written.map((file) => `wrote ${file}`), ...removed.map((file) => `removed ${file}`));
  stdout.push(`opsdeck generate: ${written.length} written, ${unchanged.length} unchanged, ${removed.length} removed`);
  return { exitCode: 0, stdout, stderr };
}

export function registerGenerateCommand(program: Command) {
  program
    .command('generate')
    .description(
      'write the generated GitOps files from catalog/: SLO rules (alerts/prometheus/), Grafana alerting (provisioning/alerting/) and dashboards (dashboards/)'
    )
    .option('--check', 'write nothing; exit 1 when a committed generated file is stale, missing or orphaned')
    .option('--root <dir>', 'repository root', process.cwd())
    .option('--catalog <dir>', 'catalog directory, relative to the root', 'catalog')
    .action(async (options: { check?: boolean; root: string; catalog: string }) => {
      const output = await runGenerate({ root: options.root, catalogDir: options.catalog, check: options.check });
      for (const line of output.stdout) {
        console.log(line);
      }
      for (const line of output.stderr) {
        console.error(line);
      }
      process.exitCode = output.exitCode;
    });
}
