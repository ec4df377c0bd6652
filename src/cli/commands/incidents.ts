/**
 * `opsdeck incidents` and `opsdeck incident <id>`: what a terminal user wants from a running API —
 * the open incidents worst first, one line each, and one incident with its runbook, alerts (told apart
 * by the labels they do not share) and recent timeline. They call the HTTP API with the service token
 * alone (it reads every project as `service-token`), from OPSDECK_API_TOKEN or the .opsdeck/api-token
 * that `npm start` writes; the URL from --api-url, OPSDECK_API_URL or http://127.0.0.1:$OPSDECK_PORT.
 * The token is never taken from the command line, where `ps` would show it.
 *
 * Exit codes: 0 answered, 1 the API refused (its error code, message and correlation ID are printed),
 * 2 no API answered or no token was found.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { distinguishingLabelNames, labelPairs } from '../../contract/alert-labels';
import { ErrorEnvelope } from '../../contract/common';
import { IncidentDetail, IncidentPage, type IncidentSummary } from '../../contract/incidents';

export interface IncidentsCommandOptions {
  apiUrl?: string;
  project?: string;
  status?: string;
  severity?: string;
  limit?: number;
  json?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number
  ) {
    super(message);
  }
}

function apiTarget(options: IncidentsCommandOptions): { url: string; token: string } {
  const env = options.env ?? process.env;
  const url = (options.apiUrl ?? env.OPSDECK_API_URL ?? `http://127.0.0.1:${env.OPSDECK_PORT ?? '8787'}`).replace(
    /\/$/,
    ''
  );
  const file = path.join(options.cwd ?? process.cwd(), '.opsdeck', 'api-token');
  const token = env.OPSDECK_API_TOKEN || (existsSync(file) ? readFileSync(file, 'utf8').trim() : '');
  if (!token) {
    throw new CliFailure(
      `opsdeck: no API token: set OPSDECK_API_TOKEN or run from the folder where npm start wrote ${file}`,
      2
    );
  }
  return { url, token };
}

async function getJson(options: IncidentsCommandOptions, route: string, project?: string): Promise<unknown> {
  const { url, token } = apiTarget(options);
  let response: Response;
  try {
    response = await fetch(`${url}${route}`, {
      headers: { authorization: `Bearer ${token}`, ...(project ? { 'x-project-id': project } : {}) },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new CliFailure(
      `opsdeck: cannot reach the Opsdeck API at ${url} (${cause}): is it running (npm start)? Set OPSDECK_API_URL otherwise`,
      2
    );
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const envelope = ErrorEnvelope.safeParse(body);
    throw new CliFailure(
      envelope.success
        ? `opsdeck: ${envelope.data.code}: ${envelope.data.message} (HTTP ${response.status}, correlation ${envelope.data.correlation_id})`
        : `opsdeck: the API answered HTTP ${response.status}`,
      1
    );
  }
  return body;
}

const ageOf = (iso: string, now = Date.now()) => {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return seconds < 3600
    ? `${Math.floor(seconds / 60)}m`
    : seconds < 86400
      ? `${Math.floor(seconds / 3600)}h`
      : `${Math.floor(seconds / 86400)}d`;
};

/** Fixed-width columns; the last one (title) is left free. */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')
  );
}

function incidentRows(items: IncidentSummary[]): string[] {
  return table([
    ['SEV', 'STATUS', 'AGE', 'ID', 'PROJECT', 'TITLE'],
    ...items.map((incident) => [
      incident.severity.toUpperCase(),
      incident.status,
      ageOf(incident.opened_at),
      incident.id,
      `${incident.tenant}/${incident.project}`,
      `${incident.title}${incident.missing_runbook ? '  [no runbook]' : `  → ${incident.runbooks[0]?.id ?? ''}`}`,
    ]),
  ]);
}

async function guarded(
  options: IncidentsCommandOptions,
  work: (out: (line: string) => void) => Promise<void>
): Promise<number> {
  const out = options.out ?? ((line: string) => console.log(line));
  const err = options.err ?? ((line: string) => console.error(line));
  try {
    await work(out);
    return 0;
  } catch (error) {
    err(error instanceof CliFailure ? error.message : `opsdeck: ${(error as Error).message}`);
    return error instanceof CliFailure ? error.exitCode : 1;
  }
}

export function runIncidents(options: IncidentsCommandOptions = {}): Promise<number> {
  return guarded(options, async (out) => {
    const query = new URLSearchParams({ status: options.status ?? 'open', limit: String(options.limit ?? 50) });
    if (options.severity) {
      query.set('severity', options.severity);
    }
    const page = IncidentPage.parse(await getJson(options, `/api/v1/incidents?${query}`, options.project));
    if (options.json) {
      out(JSON.stringify(page, null, 2));
      return;
    }
    // Worst first, as on the ops page: severity, then the oldest (the API pages by ID).
    const items = [...page.items].sort(
      (a, b) => a.severity.localeCompare(b.severity) || a.opened_at.localeCompare(b.opened_at)
    );
    if (items.length > 0) {
      incidentRows(items).forEach((line) => out(line));
    }
    const what = `${page.items.length} ${options.status ?? 'open'} incident${page.items.length === 1 ? '' : 's'}`;
    out(page.next_cursor ? `${what} shown; more with --limit 500` : what);
  });
}

export function runIncident(id: string, options: IncidentsCommandOptions = {}): Promise<number> {
  return guarded(options, async (out) => {
    const detail = IncidentDetail.parse(
      await getJson(options, `/api/v1/incidents/${encodeURIComponent(id)}`, options.project)
    );
    if (options.json) {
      out(JSON.stringify(detail, null, 2));
      return;
    }
    out(`${detail.severity.toUpperCase()} ${detail.status}  ${detail.title}`);
    out(
      `id ${detail.id} · ${detail.tenant}/${detail.project} · opened ${detail.opened_at} (${ageOf(detail.opened_at)} ago) · owner ${detail.owner_team ?? '—'}`
    );
    out(
      detail.runbooks.length > 0
        ? `runbooks: ${detail.runbooks.map((r) => `${r.id} (${r.title})`).join(', ')}`
        : 'runbooks: none in the catalog'
    );
    const names = distinguishingLabelNames(detail.alerts);
    out(`alerts (${detail.alert_counts.firing} firing, ${detail.alert_counts.resolved} resolved):`);
    for (const alert of detail.alerts) {
      const distinct = labelPairs(alert.labels, names).join(' ');
      const summary = alert.annotations.summary ?? '';
      out(
        `  ${alert.status.padEnd(8)} ${alert.alertname} ${distinct} since ${alert.starts_at}${summary ? `  ${summary}` : ''}`.replace(
          / {2,}(?=since)/,
          ' '
        )
      );
    }
    const query = detail.saved_queries[0];
    if (query) {
      out(`first saved query: ${query.id}${query.explore_url ? ` ${query.explore_url}` : ''}`);
    }
    out('timeline (latest 10):');
    for (const entry of detail.timeline.slice(-10)) {
      out(`  ${entry.at}  ${entry.kind.padEnd(18)} ${entry.summary}`);
    }
  });
}

export function registerIncidentsCommands(program: Command) {
  const common = (command: Command) =>
    command
      .option('--api-url <url>', 'the API (default: OPSDECK_API_URL, else http://127.0.0.1:$OPSDECK_PORT or 8787)')
      .option('--project <id>', 'X-Project-ID: project, tenant/project or * (default: every project)')
      .option('--json', 'print the API answer as JSON');
  common(
    program
      .command('incidents')
      .description('list incidents, worst first (token: OPSDECK_API_TOKEN or .opsdeck/api-token)')
  )
    .option('--status <status>', 'open (default), triaging, mitigating, monitoring or resolved')
    .option('--severity <sev>', 'sev1 … sev4')
    .option('--limit <n>', 'at most this many (1-500, default 50)', (value) => Number(value))
    .action(async (opts: IncidentsCommandOptions) => {
      process.exitCode = await runIncidents(opts);
    });
  common(program.command('incident <id>').description('one incident: runbooks, alerts told apart, timeline')).action(
    async (id: string, opts: IncidentsCommandOptions) => {
      process.exitCode = await runIncident(id, opts);
    }
  );
}
