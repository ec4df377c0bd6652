#!/usr/bin/env node
// `npm test`: every check, in the order a failure is cheapest to find. Each step is one command;
// a failing step does not hide the others — all run, then a summary names what failed.
// Suites needing a system binary print `SKIPPED: <suite> needs <binary>` when it is absent
// (and fail instead when CI=true). Set OPSDECK_TEST_ONLY=step1,step2 to run a subset.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npx = (...args) => ['npx', '--no-install', ...args];
// PGlite's CommonJS build uses dynamic import(); jest's VM needs this flag to allow it.
const nodeTestEnv = {
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning']
    .filter(Boolean)
    .join(' '),
};

export const STEPS = [
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', command: ['npm', 'run', '--silent', 'lint'] },
  { name: 'opsdeck-lint', command: ['node', 'bin/opsdeck.js', 'lint'] },
  { name: 'generate-check', command: ['node', 'bin/opsdeck.js', 'generate', '--check'] },
  {
    name: 'promtool-check-rules',
    command: ['node', 'scripts/promtool.mjs', 'check', 'rules', 'alerts/prometheus/*.yaml'],
  },
  { name: 'promtool-test-rules', command: ['node', 'scripts/promtool.mjs', 'test', 'rules', 'alerts/tests/*.yaml'] },
  { name: 'plugin-unit', command: npx('jest', '--selectProjects', 'plugin', '--maxWorkers', '2', '--ci') },
  { name: 'build', command: ['npm', 'run', '--silent', 'build'] },
  // After build: the protocol test launches dist/datasource's executable as Grafana does.
  { name: 'go-test', command: ['node', 'scripts/go-checks.mjs', 'test'] },
  {
    name: 'node-suites',
    command: npx('jest', '--selectProjects', 'node', '--maxWorkers', '2', '--ci'),
    env: nodeTestEnv,
  },
  { name: 'browser', command: ['node', 'scripts/playwright-suites.mjs', 'browser'] },
  { name: 'e2e', command: ['node', 'scripts/playwright-suites.mjs', 'e2e'] },
];

function run(step) {
  const started = Date.now();
  console.log(`\n━━━ ${step.name}: ${step.command.join(' ')}`);
  const result = spawnSync(step.command[0], step.command.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...step.env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`━━━ ${step.name}: ${ok ? 'passed' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s`);
  return { name: step.name, ok, seconds };
}

const only = process.env.OPSDECK_TEST_ONLY?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const selected = only ? STEPS.filter((step) => only.includes(step.name)) : STEPS;
const results = selected.map(run);
console.log('\nSummary');
for (const r of results) {
  console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.name} (${r.seconds} s)`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
