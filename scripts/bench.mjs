#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts in its own process (so one benchmark's heap and JIT
// state never colour another's) and prints one report headed by the machine it ran on.
// `npm run bench -- lint` runs only the benchmarks whose file name contains "lint".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
const files = readdirSync(path.join(root, 'bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log('# Opsdeck benchmark report');
console.log(
  `machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`
);
console.log(`node ${process.version}, ${new Date().toISOString()}`);

let failed = 0;
for (const file of files) {
  console.log(`\n## ${file.replace('.bench.ts', '')}\n`);
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join('bench', file)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    failed += 1;
    console.log(`\n(${file} FAILED with exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
