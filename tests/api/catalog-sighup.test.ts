/**
 * SIGHUP reloads the catalog of a running `opsdeck serve` (the real entry point, in a child process);
 * an invalid catalog on SIGHUP is logged and the previous one keeps serving.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { RunbookDetail } from '../../src/contract/catalog';
import { FIXTURES_DIR } from '../lint/make-fixtures';

const BIN = path.join(__dirname, '..', '..', 'bin', 'opsdeck.js');
const TOKEN = 'sighup-test-token-0123456789';

function waitFor(
  child: ChildProcessWithoutNullStreams,
  read: () => string,
  pattern: RegExp,
  timeoutMs: number
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(read());
      if (match) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(match);
      }
    };
    const poll = setInterval(check, 50);
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${read()}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`server exited with ${code}:\n${read()}`));
    });
  });
}

describe('SIGHUP', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
  let output = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-sighup-'));
    cpSync(path.join(FIXTURES_DIR, 'valid'), path.join(dir, 'repo'), { recursive: true });
  });
  afterAll(() => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('reloads the catalog, and keeps the previous one when the new one is invalid', async () => {
    child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env.PATH,
        OPSDECK_API_TOKEN: TOKEN,
        OPSDECK_PORT: '0',
        OPSDECK_DATA_DIR: path.join(dir, 'data'),
        OPSDECK_CATALOG_DIR: path.join(dir, 'repo', 'catalog'),
      },
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [, url] = await waitFor(child, () => output, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    const checklist = async () => {
      const response = await fetch(`${url}/api/v1/admin/runbooks/ops.api.error_rate`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      return RunbookDetail.parse(await response.json()).checklist.map((step) => step.text);
    };
    expect(await checklist()).not.toContain('Confirm with the reporter.');

    const markdown = path.join(dir, 'repo', 'catalog', 'runbooks', 'api-error-rate.md');
    writeFileSync(
      markdown,
      readFileSync(markdown, 'utf8').replace(
        '## Verification\n',
        '## Verification\n\n- [ ] Confirm with the reporter.\n'
      )
    );
    child.kill('SIGHUP');
    await waitFor(child, () => output, /catalog reloaded on SIGHUP/, 20_000);
    expect(await checklist()).toContain('Confirm with the reporter.');

    writeFileSync(path.join(dir, 'repo', 'catalog', 'queries.catalog.json'), '{ "version": 1, "queries": [ ');
    child.kill('SIGHUP');
    await waitFor(child, () => output, /catalog reload on SIGHUP rejected/, 20_000);
    expect(output).toContain('catalog-file-syntax');
    expect(await checklist()).toContain('Confirm with the reporter.');
    expect(child.exitCode).toBeNull();

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
