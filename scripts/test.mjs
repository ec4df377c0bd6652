#!/usr/bin/env node
// `npm test`: every check, in the order a failure is cheapest to find. Each step is one command;
// a failing step does not hide the others — all run, then a summary names what failed.
// Suites needing a system binary print `SKIPPED: <suite> needs <binary>` when it is absent
// (and fail instead when CI=true). Set OPSDECK_TEST_ONLY=step1,step2 to run a subset.
// A step with `background: true` starts at its place and runs beside the next steps; its output is
// held and printed, with its result, when the runner reaches the step named in `joinBefore` (or the end).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
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
  // The 3-minute soak (tests/soak, issue 13) mostly waits on one API process: it runs beside the
  // single-threaded steps up to the build, which leave the second core idle, instead of adding its
  // minutes to the run. It starts its own throwaway PostgreSQL like node-suites (jest's global setup).
  {
    name: 'soak',
    command: npx('jest', '--selectProjects', 'node', '--ci', 'tests/soak'),
    env: { ...nodeTestEnv, OPSDECK_SOAK: '1' },
    background: true,
    joinBefore: 'node-suites',
  },
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', command: ['npm', 'run', '--silent', 'lint'] },
  { name: 'opsdeck-lint', command: ['node', 'bin/opsdeck.js', 'lint'] },
  { name: 'generate-check', command: ['node', 'bin/opsdeck.js', 'generate', '--check'] },
  {
    name: 'promtool-check-rules',
    command: ['node', 'scripts/promtool.mjs', 'check', 'rules', 'alerts/prometheus/*.yaml'],
  },
  { name: 'promtool-test-rules', command: ['node', 'scripts/promtool.mjs', 'test', 'rules', 'alerts/tests/*.yaml'] },
  // One worker: as fast as two on this 2-core machine (60 s either way), and it leaves the soak beside it
  // a core. With two, the soak's open loop, calibrated while only single-threaded steps ran, fell behind
  // when this step started (4.7 % of its requests skipped at the in-flight cap, against a 5 % limit).
  { name: 'plugin-unit', command: npx('jest', '--selectProjects', 'plugin', '--maxWorkers', '1', '--ci') },
  { name: 'build', command: ['npm', 'run', '--silent', 'build'] },
  // After build: the protocol test launches dist/datasource's executable as Grafana does.
  { name: 'go-test', command: ['node', 'scripts/go-checks.mjs', 'test'] },
  {
    name: 'node-suites',
    command: npx('jest', '--selectProjects', 'node', '--maxWorkers', '2', '--ci'),
    env: { ...nodeTestEnv, OPSDECK_SKIP_FUZZ: '1' },
  },
  // Issue 17's property suite (10,000 cases per endpoint on PostgreSQL, about three CPU-minutes) on one
  // worker beside the browser suite, which runs one Playwright worker and leaves most of a core idle:
  // inside node-suites it added ~100 s to a clean-clone CI run that was already at 15 minutes.
  {
    name: 'fuzz',
    command: npx('jest', '--selectProjects', 'node', '--maxWorkers', '1', '--ci', 'tests/hostile/fuzz-'),
    env: nodeTestEnv,
    background: true,
  },
  { name: 'browser', command: ['node', 'scripts/playwright-suites.mjs', 'browser'] },
  { name: 'e2e', command: ['node', 'scripts/playwright-suites.mjs', 'e2e'] },
];

function report(step, status, started) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = status === 0;
  console.log(`━━━ ${step.name}: ${ok ? 'passed' : `FAILED (exit ${status})`} in ${seconds} s`);
  return { name: step.name, ok, seconds };
}

function run(step) {
  const started = Date.now();
  console.log(`\n━━━ ${step.name}: ${step.command.join(' ')}`);
  const result = spawnSync(step.command[0], step.command.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...step.env },
  });
  return report(step, result.status ?? result.signal, started);
}

/**
 * Starts a background step; the returned join() prints its output and resolves with its result. The
 * output goes to a file, not a pipe: the foreground steps run with spawnSync, which blocks this
 * process, so a pipe would not be drained and a chatty step would stall once its buffer filled.
 */
function start(step) {
  const started = Date.now();
  console.log(
    `\n━━━ ${step.name} (in the background until ${step.joinBefore ?? 'the end'}): ${step.command.join(' ')}`
  );
  const logFile = path.join(os.tmpdir(), `opsdeck-test-${step.name}-${process.pid}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(step.command[0], step.command.slice(1), {
    cwd: root,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...step.env },
  });
  closeSync(fd);
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  return async () => {
    const status = await exited;
    console.log(`\n━━━ ${step.name} (background) output:`);
    process.stdout.write(readFileSync(logFile));
    rmSync(logFile, { force: true });
    return report(step, status, started);
  };
}

const only = process.env.OPSDECK_TEST_ONLY?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const selected = only ? STEPS.filter((step) => only.includes(step.name)) : STEPS;
const results = [];
const background = [];
const joinWaiting = async (name) => {
  for (const item of background.filter((b) => name === null || b.joinBefore === name)) {
    background.splice(background.indexOf(item), 1);
    results.push(await item.join());
  }
};
for (const step of selected) {
  await joinWaiting(step.name);
  if (step.background) {
    background.push({ joinBefore: step.joinBefore, join: start(step) });
  } else {
    results.push(run(step));
  }
}
await joinWaiting(null);
console.log('\nSummary');
for (const r of results) {
  console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.name} (${r.seconds} s)`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
