/**
 * Every read the correlation lookup makes of a scoped table (a table with a `project` column, read
 * from the migrated schema so a new one is covered without editing this test) is filtered by the
 * caller's scope, and that filter comes from the one helper, `access/scope.ts` `scopeCondition`,
 * rather than from SQL written in the module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { scopeCondition } from '../../src/api/access/scope';
import { lookupCorrelation } from '../../src/api/correlation/lookup';
import type { Sql } from '../../src/api/store';
import { loadCatalog } from '../../src/catalog/load';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import { INCIDENTS_CATALOG_DIR } from './builders';

const CORRELATION_DIR = path.join(__dirname, '..', '..', 'src', 'api', 'correlation');
const PROBE = { kind: 'project', tenant: 'probe-tenant', project: 'probe-project' } as const;

interface Seen {
  text: string;
  params: unknown[];
}

/** A Sql that runs every query on `sql` and remembers it. */
function recording(sql: Sql, seen: Seen[]): Sql {
  return {
    query: (text, params = []) => {
      seen.push({ text, params });
      return sql.query(text, params);
    },
    exec: (script) => sql.exec(script),
  };
}

/** Table names after FROM or JOIN (the lookup's SQL names tables plainly, without schema or quotes). */
function tablesRead(text: string): string[] {
  return [...text.matchAll(/\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)/gi)].map((match) => match[1].toLowerCase());
}

/**
 * Whether `text` holds the condition scopeCondition makes for PROBE with the placeholders it used:
 * `<alias.>project = $n AND <alias.>tenant = $n+1` where those parameters are the probe's values.
 */
function scopedByHelper(text: string, params: unknown[]): boolean {
  return [...text.matchAll(/\b(?:\w+\.)?project = \$(\d+) AND (?:\w+\.)?tenant = \$(\d+)/g)].some(
    (match) => params[Number(match[1]) - 1] === PROBE.project && params[Number(match[2]) - 1] === PROBE.tenant
  );
}

describe('the shape scopeCondition makes, which this suite recognizes', () => {
  it('is `project = $n AND tenant = $n+1` with the scope values pushed in that order', () => {
    const params: unknown[] = ['x'];
    const condition = scopeCondition(PROBE, params, { tenant: 'i.tenant', project: 'i.project' });
    expect(scopedByHelper(`SELECT 1 FROM incidents i WHERE ${condition}`, params)).toBe(true);
    // A query filtered on another project's values is not "scoped by the helper" for the probe.
    expect(scopedByHelper('SELECT 1 FROM incidents WHERE project = $1 AND tenant = $2', ['other', 'x'])).toBe(false);
  });
});

describe.each(storeKinds('correlation scope'))('correlation lookup reads of scoped tables on %s', (kind) => {
  let testStore: TestStore;
  let scopedTables: Set<string>;

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    const { rows } = await testStore.store.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name = 'project'`
    );
    scopedTables = new Set(rows.map((row) => row.table_name));
  }, 60_000);
  afterAll(async () => {
    await testStore.dispose();
  });

  it('filters every read of a table with a project column by the caller scope', async () => {
    // The tables the lookup is known to read are scoped: otherwise this test would pass vacuously.
    expect([...scopedTables]).toEqual(expect.arrayContaining(['incidents', 'audit_log', 'request_log']));
    const catalog = await loadCatalog(INCIDENTS_CATALOG_DIR);
    const seen: Seen[] = [];
    await lookupCorrelation(recording(testStore.store, seen), 'probe-correlation-0001', PROBE, {
      catalog,
      explore: { datasourceUids: { loki: 'loki', tempo: 'tempo', prometheus: 'prometheus' } },
    });

    const scopedReads = seen.filter(({ text }) => tablesRead(text).some((table) => scopedTables.has(table)));
    expect(scopedReads.flatMap(({ text }) => tablesRead(text))).toEqual(
      expect.arrayContaining(['incidents', 'audit_log', 'request_log'])
    );
    const unscoped = scopedReads.filter(({ text, params }) => !scopedByHelper(text, params)).map(({ text }) => text);
    expect(unscoped).toEqual([]);
  });
});

describe('the correlation module', () => {
  it('writes no tenancy condition of its own', () => {
    const sources = readdirSync(CORRELATION_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(sources).toContain('lookup.ts');
    const handWritten = sources.filter((file) => {
      const text = readFileSync(path.join(CORRELATION_DIR, file), 'utf8');
      // A tenancy condition in SQL (`project = `, `tenant IN`, ...) or the second copy of the helper.
      return /\b(?:project|tenant)\s*(?:=|IN\b|IS\b)/i.test(text) || /\bscopeSql\b/.test(text);
    });
    expect(handWritten).toEqual([]);
  });
});

describe('the tenancy filter', () => {
  const API_DIR = path.join(__dirname, '..', '..', 'src', 'api');
  const sourcesUnder = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        return sourcesUnder(full);
      }
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
    });

  it('is defined once, in access/scope.ts (issue 14: incidents/repository.ts had a second copy, scopeSql)', () => {
    // A function that turns a RequestScope into SQL pushes onto a params array: that signature, anywhere.
    const definesFilter = /function\s+\w+\s*\(\s*scope:\s*RequestScope\s*\|\s*null,\s*params:\s*unknown\[\]/;
    const definers = sourcesUnder(API_DIR)
      .filter((file) => definesFilter.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(API_DIR, file));
    expect(definers).toEqual(['access/scope.ts']);
  });
});
