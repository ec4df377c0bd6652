import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { readTextSync, repoPath } from '../../src/catalog/files';

describe('catalog file helpers', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads small and large files whole, and null when unreadable', () => {
    const small = path.join(dir, 'a.md');
    const big = path.join(dir, 'big.md');
    writeFileSync(small, '# Café — ✓ 𝄞\n');
    const bigText = `# Big\n${'x'.repeat(200_000)}\n`;
    writeFileSync(big, bigText);
    expect(readTextSync(small)).toBe('# Café — ✓ 𝄞\n');
    expect(readTextSync(big)).toBe(bigText);
    expect(readTextSync(path.join(dir, 'missing.md'))).toBeNull();
  });

  it('maps runbook urls to repo-relative paths and refuses paths outside the root', () => {
    expect(repoPath('/repo', 'catalog/runbooks/a.md')).toBe('catalog/runbooks/a.md');
    expect(repoPath('/repo', './catalog/../catalog/runbooks/a.md')).toBe('catalog/runbooks/a.md');
    expect(repoPath('/repo', '../secrets/key.md')).toBeNull();
    expect(repoPath('/repo', '/etc/passwd')).toBeNull();
  });
});
