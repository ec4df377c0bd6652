/** The overview benchmark's data: a 1,000-runbook catalog and 10,000 open incidents (plus closed ones and approvals). */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export const OPEN_INCIDENTS = 10_000;
export const CLOSED_INCIDENTS = 5_000;
export const RUNBOOKS = 1_000;
const SIGNALS = 100;

/** A catalog of 1,000 runbooks over 100 signals in 10 groups, with their saved queries and markdown. */
export async function writeBenchCatalog(root: string): Promise<string> {
  const dir = path.join(root, 'catalog');
  await mkdir(path.join(dir, 'runbooks'), { recursive: true });
  const groups = Array.from({ length: 10 }, (_, g) => ({ key: `group_${g}`, title: `Group ${g}`, order: g + 1 }));
  const signals = Array.from({ length: SIGNALS }, (_, i) => ({
    key: `bench_signal_${i}`,
    group: `group_${i % 10}`,
    title: `Bench signal ${i}`,
    description: `Share of failing requests of service-${i % 40}`,
    default_severity: 'sev2',
    owner_service: `service-${i % 40}`,
    expr: `sum(rate(http_requests_total{service="service-${i % 40}",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="service-${i % 40}"}[5m]))`,
    comparison: '>',
    threshold: 0.05,
    warn_threshold: 0.02,
    unit: 'ratio',
    dashboard: { uid: 'opsdeck-domain-signals', panel_id: 2000 + i },
    query_id: `bench_query_${i}`,
  }));
  const runbooks = Array.from({ length: RUNBOOKS }, (_, i) => ({
    id: `bench.area${Math.floor(i / 100)}.runbook_${i}`,
    title: `Bench runbook ${i}`,
    severity_hint: 'sev2',
    owner_team: `team-${i % 40}`,
    last_reviewed_at: new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10),
    url: `catalog/runbooks/rb-${i}.md`,
    signals: [`bench_signal_${i % SIGNALS}`],
    queries: [`bench_query_${i % SIGNALS}`, 'api_error_by_correlation_id'],
  }));
  const queries = [
    ...Array.from({ length: SIGNALS }, (_, i) => ({
      id: `bench_query_${i}`,
      title: `Bench query ${i}`,
      datasource: 'prometheus',
      expr: 'sum by (service) (rate(http_requests_total{service="$service",code=~"5.."}[$window]))',
      owner_service: `service-${i % 40}`,
      description: '5xx rate of the service',
    })),
    {
      id: 'api_error_by_correlation_id',
      title: 'API errors by correlation ID',
      datasource: 'loki',
      expr: '{service="api-gateway"} | json | correlation_id="$correlation_id"',
      owner_service: 'api-gateway',
      description: 'API log lines of one request',
    },
    {
      id: 'trace_by_id',
      title: 'Trace by ID',
      datasource: 'tempo',
      expr: '$trace_id',
      owner_service: 'api-gateway',
      description: 'One trace',
    },
  ];
  await writeFile(
    path.join(dir, 'runbooks.catalog.json'),
    JSON.stringify({ version: 1, signal_groups: groups, signals, runbooks }, null, 2)
  );
  await writeFile(path.join(dir, 'queries.catalog.json'), JSON.stringify({ version: 1, queries }, null, 2));
  await writeFile(path.join(dir, 'symptoms.catalog.json'), JSON.stringify({ version: 1, symptoms: [] }));
  await writeFile(
    path.join(dir, 'grouping.yaml'),
    'version: 1\nkey_labels: [signal_key, alertname]\nscope_labels: [tenant, project]\n'
  );
  await Promise.all(
    runbooks.map((runbook) =>
      writeFile(
        path.join(root, runbook.url),
        `# ${runbook.title}\n\n> Runbook ID: \`${runbook.id}\` · Owner: \`${runbook.owner_team}\` · Severity hint: \`sev2\` · Signals: \`${runbook.signals[0]}\`\n\n## Diagnosis\n\n- [ ] Run saved query \`${runbook.queries[0]}\`.\n\n## Mitigation\n\n- [ ] Roll back the last deploy.\n`
      )
    )
  );
  return dir;
}

/**
 * 10,000 open and 5,000 closed incidents spread over 100 signals, 20 tenants × 50 projects, 3 host
 * roles, 40 services (into the schema the started API migrated).
 */
/** Inserts incidents numbered `first` … `first + count - 1` (open, or closed). */
function insertIncidents(client: pg.Client, first: number, count: number, closed: boolean) {
  return client.query(
    `INSERT INTO incidents (id, grouping_key, title, status, severity, signal_key, signal_group, tenant, project, owner_team, service,
         runbook_ids, missing_runbook, query_id, firing_count, resolved_count, correlation_ids, trace_ids, resource_name, host_role,
         slo_burn_rate, opened_at, acknowledged_at, resolved_at, closed_at, updated_at, last_alert_at)
       SELECT 'B' || lpad(i::text, 25, '0'),
         'bench_signal_' || (i % ${SIGNALS}) || '/t-' || (i % 20) || '/p-' || (i % 50),
         'Bench incident ' || i,
         ${closed ? "'closed'" : "(ARRAY['detected','triaging','mitigating','monitoring','reopened'])[1 + i % 5]"},
         CASE WHEN i % 50 = 0 THEN 'sev1' WHEN i % 5 = 0 THEN 'sev2' WHEN i % 2 = 0 THEN 'sev3' ELSE 'sev4' END,
         'bench_signal_' || (i % ${SIGNALS}), 'group_' || (i % 10), 't-' || (i % 20), 'p-' || (i % 50), 'team-' || (i % 40), 'service-' || (i % 40),
         CASE WHEN i % 10 = 0 THEN '[]'::jsonb ELSE jsonb_build_array('bench.area' || ((i % ${RUNBOOKS}) / 100) || '.runbook_' || (i % ${RUNBOOKS})) END,
         i % 10 = 0,
         CASE WHEN i % 7 = 0 THEN 'bench_query_' || (i % ${SIGNALS}) END,
         ${closed ? '0' : '1 + i % 5'}, i % 3,
         jsonb_build_array('req-bench-' || i),
         CASE WHEN i % 4 = 0 THEN jsonb_build_array(md5(i::text)) ELSE '[]'::jsonb END,
         NULL,
         (ARRAY['platform_control','app_control','worker_compute'])[1 + i % 3],
         CASE WHEN i % 3 = 0 THEN (i % 17)::float8 END,
         now() - (i || ' seconds')::interval,
         CASE WHEN i % 2 = 0 THEN now() - (i || ' seconds')::interval + interval '2 minutes' END,
         ${closed ? "now() - interval '1 minute'" : 'NULL'}, ${closed ? 'now()' : 'NULL'},
         now(), now() - (i % 600 || ' seconds')::interval
       FROM generate_series(${first}, ${first + count - 1}) AS i`
  );
}

/** Issue 13: the overview with 100,000 open incidents — `count` more open ones, numbered from `first`. */
export async function addOpenIncidents(url: string, first: number, count: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await insertIncidents(client, first, count, false);
  await client.query('VACUUM ANALYZE incidents');
  await client.end();
}

export async function seedIncidents(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const incidents = (first: number, count: number, closed: boolean) => insertIncidents(client, first, count, closed);
  await incidents(1, OPEN_INCIDENTS, false);
  await incidents(OPEN_INCIDENTS + 1, CLOSED_INCIDENTS, true);
  await client.query(
    `INSERT INTO approvals (id, incident_id, tenant, project, action_id, action_title, risk_class, status, requires_approval, policy_reason,
       min_approvals, requested_by, requested_at, expires_at, parameters, evidence, similar_past_outcomes, saved_query_links, correlation_id, updated_at)
     SELECT 'A' || i, 'B' || lpad(i::text, 25, '0'), 't-' || (i % 20), 'p-' || (i % 50), 'restart', 'Restart', 'R2', 'pending', true, 'R2',
       1, 'oncall', now(), now() + interval '1 hour', '{}', '{}', '[]', '[]', 'req-a-' || i, now()
     FROM generate_series(1, 200) AS i`
  );
  await client.query("INSERT INTO intake_state (source, last_received_at, payloads) VALUES ('alertmanager', now(), 1)");
  await client.query('VACUUM ANALYZE incidents');
  await client.query('VACUUM ANALYZE approvals');
  await client.end();
}
