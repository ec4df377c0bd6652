/**
 * Suites that need a system binary (PostgreSQL server, prometheus, chromium, docker-compose) call
 * `binaryAvailable` at load time: when the binary is absent they print one loud
 * `SKIPPED: <suite> needs <binary>` line and skip — unless CI=true, where a missing binary fails.
 */
import { execFileSync } from 'node:child_process';

export function which(binary: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export const isCi = () => process.env.CI === 'true' || process.env.CI === '1';

/** Reports (or, on CI, fails on) a missing prerequisite; returns whether the suite can run. */
export function prerequisite(suite: string, needs: string, available: boolean): boolean {
  if (available) {
    return true;
  }
  if (isCi()) {
    throw new Error(`${suite} needs ${needs}, which is missing on this CI machine (.ci/run installs it)`);
  }
  process.stderr.write(`\nSKIPPED: ${suite} needs ${needs}\n\n`);
  return false;
}

export function binaryAvailable(suite: string, binary: string): boolean {
  return prerequisite(suite, binary, which(binary) !== null);
}
