/**
 * `node bin/opsdeck.js serve` in a child process, as a user or a deploy runs it: for the suites about
 * what happens between processes (a second one on the same data dir, SIGTERM, kill -9, replicas).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const BIN = path.join(__dirname, '..', '..', 'bin', 'opsdeck.js');
export const PROCESS_TOKEN = 'process-test-token-0123456789';
/** Alert senders' token: distinct from the API token (the API refuses to start otherwise, issue 17). */
export const PROCESS_WEBHOOK_TOKEN = 'process-webhook-token-0123456789';

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
}

/**
 * bin/opsdeck.js rebuilds its bundle when the sources are newer; several processes started together
 * would race on that file. Build once, before starting several.
 */
export function ensureBuilt(): void {
  const result = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(`opsdeck did not build: ${result.stderr}`);
  }
}

export function spawnServe(env: Record<string, string>): ServeProcess {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH,
      OPSDECK_API_TOKEN: PROCESS_TOKEN,
      OPSDECK_WEBHOOK_TOKEN: PROCESS_WEBHOOK_TOKEN,
      OPSDECK_PORT: '0',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Resolves with the base URL once the process logs that it listens; rejects if it exits first. */
export function listening(serve: ServeProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in ${timeoutMs} ms:\n${serve.output()}`)),
      timeoutMs
    );
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.output());
      if (match) {
        clearTimeout(timer);
        serve.child.stdout.off('data', check);
        resolve(match[1]);
      }
    };
    serve.child.stdout.on('data', check);
    void serve.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${serve.output()}`));
    });
    check();
  });
}

/** kill -9: no shutdown hook runs. */
export async function killHard(serve: ServeProcess): Promise<void> {
  if (serve.child.exitCode === null && serve.child.signalCode === null) {
    serve.child.kill('SIGKILL');
    await serve.exited;
  }
}
