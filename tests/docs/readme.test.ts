/**
 * The README is the landing page: small enough to read at once, and its configuration table lists
 * exactly the variables the API reads (src/api/config.ts), so neither can drift from the other.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { CONFIG_VARIABLES } from '../../src/api/config';

const REPO_ROOT = path.join(__dirname, '..', '..');
const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** The first column of the table under `## Configuration`, without the backticks. */
function configurationTableVariables(markdown: string): string[] {
  const section = markdown.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]);
}

describe('README.md', () => {
  it('stays a landing page of at most ~12 KB (the manuals live in docs/)', () => {
    expect(Buffer.byteLength(README, 'utf8')).toBeLessThanOrEqual(12 * 1024);
  });

  it('documents every configuration variable the API reads, and no other', () => {
    expect(configurationTableVariables(README).sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('links only to files inside the repository', () => {
    // Markdown links and `code` paths alike: a reader of a clone has nothing outside it.
    const outside = [...README.matchAll(/\]\(([^)#]+)[^)]*\)|`(\.\.\/[^`]*)`/g)]
      .map((match) => match[1] ?? match[2])
      .filter((href) => !/^[a-z]+:/.test(href))
      .filter((href) => path.relative(REPO_ROOT, path.resolve(REPO_ROOT, href)).startsWith('..'));
    expect(outside).toEqual([]);
  });
});
