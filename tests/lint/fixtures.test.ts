/**
 * `opsdeck lint` against fixture repositories (tests/lint/fixtures/, written by make-fixtures.ts):
 * `valid/` passes, and each `<rule-id>/` breaks exactly that rule and fails with it. Also the CLI's
 * output formats and exit codes, the ID lock writer, and the real repository.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CatalogViolation, LintReport } from '../../src/contract/catalog';
import { allRules, lintRepository } from '../../src/catalog/lint/engine';
import { runLint } from '../../src/cli/commands/lint';
import { FIXTURE_TODAY, FIXTURES_DIR, makeFixtures, MUTATIONS } from './make-fixtures';

const REPO_ROOT = path.join(__dirname, '..', '..');
const fixture = (name: string) => path.join(FIXTURES_DIR, name);
const rules = allRules();
const severityOf = new Map(rules.map((rule) => [rule.id, rule.severity]));

/** Every file under `dir` by its relative path (sorted), with its content. */
function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      files[path.relative(dir, full)] = readFileSync(full, 'utf8');
    }
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

describe('lint fixtures', () => {
  it('has a fixture repository for every registered rule, and a mutation for every fixture', () => {
    const dirs = readdirSync(FIXTURES_DIR).filter((name) => name !== 'valid');
    expect(rules.map((rule) => rule.id).filter((id) => !dirs.includes(id))).toEqual([]);
    expect(dirs.filter((dir) => !severityOf.has(dir))).toEqual([]);
    expect(Object.keys(MUTATIONS).sort()).toEqual(dirs.sort());
  });

  it('are what make-fixtures.ts writes today (regenerate with `npx tsx tests/lint/make-fixtures.ts`)', () => {
    // The fixtures are committed so a reader can run `opsdeck lint` on one; a change to the generator
    // that was not followed by a regeneration would leave the suite testing stale repositories.
    const fresh = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-lint-fixtures-'));
    try {
      makeFixtures(fresh);
      const committed = filesUnder(FIXTURES_DIR);
      const generated = filesUnder(fresh);
      expect(Object.keys(committed)).toEqual(Object.keys(generated));
      const differing = Object.keys(generated).filter((file) => committed[file] !== generated[file]);
      expect(differing).toEqual([]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('passes the valid repository with no finding at all', async () => {
    const result = await lintRepository({ root: fixture('valid'), today: FIXTURE_TODAY });
    expect(result.findings).toEqual([]);
    expect(result.stats).toMatchObject({ runbooks: 2, signals: 3, queries: 3, alert_rules: 3, alert_files: 2 });
  });

  const cases = readdirSync(FIXTURES_DIR)
    .filter((name) => name !== 'valid')
    .sort();

  it.each(cases)('%s: fails with that rule id and no other error', async (ruleId) => {
    const result = await lintRepository({ root: fixture(ruleId), today: FIXTURE_TODAY });
    const hits = result.findings.filter((finding) => finding.rule === ruleId);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(hit.severity).toBe(severityOf.get(ruleId));
      expect(hit.message.length).toBeGreaterThan(10);
    }
    const otherErrors = result.findings.filter((finding) => finding.severity === 'error' && finding.rule !== ruleId);
    expect(otherErrors).toEqual([]);
    expect(result.errors > 0).toBe(severityOf.get(ruleId) === 'error');
  });

  it('points findings at the file and line of the problem', async () => {
    const overdue = await lintRepository({ root: fixture('runbook-review-overdue'), today: FIXTURE_TODAY });
    const manifest = readFileSync(fixture('runbook-review-overdue/catalog/runbooks.catalog.json'), 'utf8').split('\n');
    const [finding] = overdue.findings;
    expect(finding.path).toBe('catalog/runbooks.catalog.json');
    // The line of the runbook entry: its opening brace, followed by the id of the overdue runbook.
    expect(manifest[(finding.line ?? 0) - 1].trim()).toBe('{');
    expect(manifest[finding.line ?? 0]).toContain('"id": "ops.api.error_rate"');

    const secret = await lintRepository({ root: fixture('runbook-secret'), today: FIXTURE_TODAY });
    const markdown = readFileSync(fixture('runbook-secret/catalog/runbooks/api-error-rate.md'), 'utf8').split('\n');
    expect(secret.findings[0].path).toBe('catalog/runbooks/api-error-rate.md');
    expect(markdown[(secret.findings[0].line ?? 0) - 1]).toContain('PGPASSWORD=');
    expect(secret.findings[0].message).not.toContain('Xk9-prod-db-2026');

    const alert = await lintRepository({ root: fixture('alert-runbook-id-missing'), today: FIXTURE_TODAY });
    const rules = readFileSync(fixture('alert-runbook-id-missing/alerts/prometheus/api.yaml'), 'utf8').split('\n');
    expect(alert.findings[0]).toMatchObject({ path: 'alerts/prometheus/api.yaml' });
    expect(rules[(alert.findings[0].line ?? 0) - 1]).toContain('alert: ApiErrorRateHigh');
  });

  it('fails a budget freeze that names an unknown state or an unknown action, naming each', async () => {
    const result = await lintRepository({ root: fixture('budget-freeze-references'), today: FIXTURE_TODAY });
    const messages = result.findings.filter((f) => f.rule === 'budget-freeze-references').map((f) => f.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('freezes.exhausted: not a state that can freeze'),
        expect.stringContaining('deploy.rollout.undoo is not an action of actions.catalog.json'),
      ])
    );
    expect(result.findings.every((f) => f.path === 'catalog/error-budget-policy.yaml')).toBe(true);
    const policy = readFileSync(fixture('budget-freeze-references/catalog/error-budget-policy.yaml'), 'utf8').split(
      '\n'
    );
    expect(result.findings.map((f) => policy[(f.line ?? 0) - 1].trim()).sort()).toEqual([
      'except_actions: [deploy.rollout.undoo]',
      'exhausted:',
    ]);
  });

  it('measures review age against --today', async () => {
    // Reviewed 2026-09-05: 74 days later it is fine, at 75 days it is due within 15 days.
    const early = await lintRepository({ root: fixture('runbook-review-due-soon'), today: '2026-11-18' });
    expect(early.findings).toEqual([]);
    const dueSoon = await lintRepository({ root: fixture('runbook-review-due-soon'), today: '2026-11-19' });
    expect(dueSoon.findings.map((finding) => finding.rule)).toEqual(['runbook-review-due-soon']);
    const late = await lintRepository({ root: fixture('valid'), today: '2027-03-01' });
    expect(late.findings.map((finding) => finding.rule)).toEqual(['runbook-review-overdue', 'runbook-review-overdue']);
  });
});

describe('opsdeck lint (command)', () => {
  it('prints path:line: rule-id: message and exits 1 on an error', async () => {
    const output = await runLint({ root: fixture('alert-runbook-id-unknown'), today: FIXTURE_TODAY });
    expect(output.exitCode).toBe(1);
    expect(output.stdout).toEqual([
      expect.stringMatching(
        /^provisioning\/alerting\/outbox\.yaml:\d+: alert-runbook-id-unknown: .*ops\.outbox\.relay_lag/
      ),
    ]);
    expect(output.stderr.join('\n')).toMatch(/1 error, 0 warnings/);
  });

  it('exits 0 with only warnings and marks them', async () => {
    const output = await runLint({ root: fixture('runbook-review-due-soon'), today: FIXTURE_TODAY });
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toEqual([
      expect.stringMatching(
        /^catalog\/runbooks\.catalog\.json:\d+: runbook-review-due-soon: warning: runbook ops\.api\.error_rate review is due by 2026-12-04/
      ),
    ]);
  });

  it('writes a JSON report with --format json', async () => {
    const output = await runLint({ root: fixture('query-syntax'), today: FIXTURE_TODAY, format: 'json' });
    expect(output.exitCode).toBe(1);
    const report = JSON.parse(output.stdout.join('\n'));
    expect(report).toMatchObject({ ok: false, today: FIXTURE_TODAY, errors: 1, warnings: 0 });
    const finding = CatalogViolation.parse(report.findings[0]);
    expect(finding).toMatchObject({ path: 'catalog/queries.catalog.json', rule: 'query-syntax', severity: 'error' });
    expect(finding.message).toMatch(/LogQL .*column \d+/);
  });

  it('rejects a malformed --today or --format with exit 2', async () => {
    expect((await runLint({ root: fixture('valid'), today: '23/11/2026' })).exitCode).toBe(2);
    expect((await runLint({ root: fixture('valid'), today: '2026-02-30' })).exitCode).toBe(2);
    expect((await runLint({ root: fixture('valid'), format: 'xml' })).exitCode).toBe(2);
  });

  it('lists every rule with its severity', async () => {
    const output = await runLint({ listRules: true });
    expect(output.stdout.map((line) => line.split('\t')[0])).toEqual(rules.map((rule) => rule.id));
    expect(output.stdout.every((line) => /^[a-z0-9-]+\t(error|warning)\t.{10,}/.test(line))).toBe(true);
  });

  it('--write-lock adds new IDs and never removes a published one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-lock-'));
    try {
      cpSync(fixture('runbook-id-unlocked'), dir, { recursive: true });
      const lockFile = path.join(dir, 'catalog/runbook-ids.lock');
      cpSync(fixture('runbook-id-removed/catalog/runbook-ids.lock'), lockFile);
      const before = await runLint({ root: dir, today: FIXTURE_TODAY });
      expect(before.stdout.map((line) => line.split(': ')[1]).sort()).toEqual(['runbook-id-removed']);

      const output = await runLint({ root: dir, today: FIXTURE_TODAY, writeLock: true });
      const lock = readFileSync(lockFile, 'utf8');
      expect(lock).toContain('\nops.api.error_rate\n');
      expect(lock).toContain('\nops.api.errors\n');
      // The removed ID stays in the lock, so the lint keeps failing until the runbook comes back.
      expect(output.exitCode).toBe(1);
      expect(output.stdout).toEqual([
        expect.stringContaining('runbook-id-removed: runbook ID ops.api.errors was published'),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('opsdeck lint (the bundled CLI, with its worker thread)', () => {
  const BIN = path.join(REPO_ROOT, 'bin', 'opsdeck.js');

  it.each([
    'valid',
    'query-syntax',
    'signal-expr-syntax',
    'alert-file-syntax',
    'alert-runbook-id-unknown',
    'runbook-review-due-soon',
  ])(
    '%s: same findings and exit code as the in-process engine',
    async (name) => {
      const cli = spawnSync(
        process.execPath,
        [BIN, 'lint', '--root', fixture(name), '--today', FIXTURE_TODAY, '--format', 'json'],
        {
          encoding: 'utf8',
          timeout: 120_000,
        }
      );
      expect(existsSync(path.join(REPO_ROOT, 'build', 'lint-worker.cjs'))).toBe(true);
      const report = LintReport.parse(JSON.parse(cli.stdout));
      const inProcess = await lintRepository({ root: fixture(name), today: FIXTURE_TODAY });
      expect(report.parallel).toBe(true);
      expect(inProcess.parallel).toBe(false);
      expect(report.findings).toEqual(inProcess.findings);
      expect(cli.status).toBe(inProcess.errors > 0 ? 1 : 0);
    },
    120_000
  );
});

describe('the repository itself', () => {
  it('passes opsdeck lint', async () => {
    const result = await lintRepository({ root: REPO_ROOT });
    expect(result.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(result.stats.runbooks).toBeGreaterThanOrEqual(30);
  });
});
