#!/usr/bin/env node
// Runs promtool on the repository's rule files for `npm test`: `node scripts/promtool.mjs check rules
// alerts/prometheus/*.yaml` or `... test rules alerts/tests/*.yaml`. Expands the glob itself (no shell),
// fails when it matches nothing, and when promtool is absent prints `SKIPPED: <step> needs promtool`
// (exit 0) — or fails when CI=true, where .ci/run installs it.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const step = `promtool ${args.filter((arg) => !arg.includes('/')).join(' ')}`;

function expand(pattern) {
  if (!pattern.includes('*')) {
    return [pattern];
  }
  const dir = path.dirname(pattern);
  const matcher = new RegExp(
    `^${path
      .basename(pattern)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`
  );
  let names;
  try {
    names = readdirSync(path.join(root, dir));
  } catch {
    return [];
  }
  return names
    .filter((name) => matcher.test(name))
    .sort()
    .map((name) => path.posix.join(dir, name));
}

const expanded = args.flatMap(expand);
const files = expanded.filter((arg) => arg.includes('/'));
if (files.length === 0) {
  console.error(`${step}: no files match ${args.filter((arg) => arg.includes('/')).join(' ')}`);
  process.exit(1);
}
const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
if (probe.error) {
  if (process.env.CI === 'true' || process.env.CI === '1') {
    console.error(`${step} needs promtool, which is missing on this CI machine (.ci/run installs it)`);
    process.exit(1);
  }
  console.error(`SKIPPED: ${step} needs promtool`);
  process.exit(0);
}
// promtool test resolves rule_files relative to each test file; run from the repository root.
const result = spawnSync('promtool', expanded, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
