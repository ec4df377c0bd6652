#!/usr/bin/env node
// Bundles the companion API and the `opsdeck` CLI (src/cli/main.ts and everything it imports) into
// build/opsdeck.cjs with esbuild: one file, npm packages left external, SQL migrations inlined as text.
// Skips the work when the bundle is newer than every source file (pass --force to rebuild).
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const API_BUNDLE = path.join(root, 'build', 'opsdeck.cjs');
/** The `opsdeck lint` worker thread (src/catalog/lint/worker.ts): small, so that it starts in milliseconds. */
export const LINT_WORKER_BUNDLE = path.join(root, 'build', 'lint-worker.cjs');
const SOURCE_DIRS = ['src/api', 'src/catalog', 'src/cli', 'src/contract'].map((dir) => path.join(root, dir));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function apiBundleIsFresh() {
  if (!existsSync(API_BUNDLE) || !existsSync(LINT_WORKER_BUNDLE)) {
    return false;
  }
  const built = statSync(API_BUNDLE).mtimeMs;
  return (
    SOURCE_DIRS.every((dir) => !existsSync(dir) || newestMtime(dir) <= built) &&
    statSync(path.join(root, 'package.json')).mtimeMs <= built
  );
}

export async function buildApi({ force = false, quiet = false } = {}) {
  if (!force && apiBundleIsFresh()) {
    return { built: false, file: API_BUNDLE };
  }
  const started = Date.now();
  await build({
    entryPoints: [path.join(root, 'src/cli/main.ts')],
    outfile: API_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    loader: { '.sql': 'text' },
    sourcemap: true,
    logLevel: quiet ? 'error' : 'warning',
  });
  await build({
    entryPoints: [path.join(root, 'src/catalog/lint/worker.ts')],
    outfile: LINT_WORKER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: quiet ? 'error' : 'warning',
  });
  if (!quiet) {
    console.log(`built ${path.relative(process.cwd(), API_BUNDLE)} in ${Date.now() - started} ms`);
  }
  return { built: true, file: API_BUNDLE };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildApi({ force: process.argv.includes('--force') }).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
