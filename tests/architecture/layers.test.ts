/**
 * dependency-cruiser enforces the layers of src/api (src/api/README.md, .dependency-cruiser.cjs): a copy
 * of src/ passes, and the same copy with violating imports written into it fails, naming each rule.
 * Runs on a temp copy (node_modules linked), so the real tree is never touched.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

// depcruise reads ~340 modules twice; tens of seconds on a loaded 2-core machine.
jest.setTimeout(240_000);

async function cruise(dir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [DEPCRUISE, 'src', '--config', '.dependency-cruiser.cjs'], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** Each violation: the file it is written into, the import, and the rule that must name it. */
const VIOLATIONS = [
  {
    file: 'src/api/incidents/lifecycle.ts',
    code: "import type { FastifyRequest } from 'fastify';\nexport type LayersProbe1 = FastifyRequest;\n",
    rule: 'api-domain-not-into-fastify',
  },
  {
    file: 'src/api/kpis/service.ts',
    code: "import type { RouteAuth } from '../plugins/auth';\nexport type LayersProbe2 = RouteAuth;\n",
    rule: 'api-domain-not-into-http',
  },
  {
    file: 'src/api/routes/kpis/index.ts',
    code: "import type { Sql } from '../../store';\nexport type LayersProbe3 = Sql;\n",
    rule: 'api-routes-not-into-store',
  },
  {
    file: 'src/api/routes/slos/index.ts',
    code: "import { kpiIncidents } from '../../kpis/repository';\nexport const layersProbe4 = kpiIncidents;\n",
    rule: 'api-routes-not-into-repositories',
  },
  // The two routes that were REPOSITORY_DEBT until their SQL-calling logic moved into services: the
  // rules now hold for them too, so reaching back into the repository fails like anywhere else.
  {
    file: 'src/api/routes/postmortems/index.ts',
    code: "import { decodeItemCursor } from '../../postmortems/repository';\nexport const layersProbe5 = decodeItemCursor;\n",
    rule: 'api-routes-not-into-repositories',
  },
  {
    file: 'src/api/routes/updates/index.ts',
    code: "import { externalFeed } from '../../communication/updates-repository';\nexport const layersProbe6 = externalFeed;\n",
    rule: 'api-routes-not-into-repositories',
  },
  {
    file: 'src/api/routes/updates/index.ts',
    code: "import type { Store } from '../../store';\nexport type LayersProbe7 = Store;\n",
    rule: 'api-routes-not-into-store',
  },
];

describe('the layers of src/api, checked by dependency-cruiser', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'opsdeck-layers-'));
    cpSync(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
    for (const file of ['.dependency-cruiser.cjs', 'tsconfig.json', 'tsconfig.node.json', 'package.json']) {
      cpSync(path.join(ROOT, file), path.join(dir, file));
    }
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  });

  afterAll(() => {
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes on the tree as committed, then fails on each violating import, naming its rule', async () => {
    const clean = await cruise(dir);
    expect(clean.output).toContain('no dependency violations found');
    expect(clean.ok).toBe(true);

    for (const violation of VIOLATIONS) {
      appendFileSync(path.join(dir, violation.file), `\n${violation.code}`);
    }
    const broken = await cruise(dir);
    expect(broken.ok).toBe(false);
    for (const violation of VIOLATIONS) {
      expect(broken.output).toMatch(new RegExp(`${violation.rule}: ${violation.file.replace(/[.]/g, '[.]')} →`));
    }
  });
});
