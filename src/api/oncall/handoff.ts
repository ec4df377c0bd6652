/**
 * The handoff summary of a team's shift (issue 11): generated from the store, edited by the outgoing
 * on-call, and posted — stored per team and shift (handoff-repository.ts), written as a
 * `handoff_summary` entry on the timeline of every active incident it lists, and audited.
 *
 * Decisions (docs/oncall.md): the shift is the team's running primary shift (schedule.ts); the
 * summary covers the team's incidents (owner_team) in the caller's scope:
 * - active incidents: open and not `monitoring`, worst first, with state, assignee and ack clock;
 * - ongoing investigations: those being worked (`triaging`, `mitigating`, `reopened`) with their latest note;
 * - upcoming changes: remediation requests pending a decision or approved and not yet run;
 * - known issues: incidents in `monitoring` (mitigated, being watched) and active ones with no runbook.
 */
import { SEVERITY_ORDER } from '../../contract/common';
import type { HandoffItem, HandoffPost, HandoffSummary, PostedHandoff } from '../../contract/oncall';
import { listApprovalRecords } from '../approvals/repository';
import { appendAudit, type AuditContext } from '../audit/append';
import type { Catalog } from '../../catalog/model';
import { conflict } from '../errors';
import type { IncidentRecord, TimelineRecord } from '../incidents/model';
import { insertTimeline, listIncidents, newIdAt, timelineOf } from '../incidents/repository';
import type { RequestScope } from '../access/identity';
import type { Sql, Store } from '../store';
import { insertHandoff, latestHandoff } from './handoff-repository';
import { presentResponse, responsesOf } from './response';
import { teamOnCall } from './who';

const WORKED = ['triaging', 'mitigating', 'reopened'];
const MAX_INCIDENTS = 200;

export interface HandoffActor {
  user: string;
  scope: RequestScope;
  audit: AuditContext;
}

/** The team's running primary shift (or the moment itself when nobody is on call). */
function shiftOf(catalog: Catalog, team: string, now: Date) {
  const primary = catalog.oncall ? teamOnCall(catalog.oncall, team, now).primary : null;
  return {
    from: primary?.from ?? now.toISOString(),
    until: primary?.until ?? now.toISOString(),
    primary: primary?.name ?? null,
  };
}

async function teamIncidents(sql: Sql, scope: RequestScope, team: string) {
  const { items } = await listIncidents(sql, scope, { status: 'open', owner_team: team, limit: MAX_INCIDENTS });
  return items.sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.opened_at.getTime() - b.opened_at.getTime()
  );
}

async function incidentItems(sql: Sql, catalog: Catalog, incidents: IncidentRecord[], now: Date) {
  const responses = await responsesOf(
    sql,
    incidents.map((incident) => incident.id)
  );
  return incidents.map((incident): HandoffItem => {
    const row = responses.get(incident.id);
    const response = row ? presentResponse(catalog, incident, row, now) : null;
    const parts = [incident.status, `assignee ${response?.assignee ?? 'nobody'}`];
    if (response?.ack_status === 'breached' && !response.acknowledged_at) {
      parts.push('NOT acknowledged (ack clock breached)');
    }
    return { incident_id: incident.id, title: `[${incident.severity}] ${incident.title}`, detail: parts.join(', ') };
  });
}

async function investigationItems(sql: Sql, incidents: IncidentRecord[]) {
  const items: HandoffItem[] = [];
  for (const incident of incidents.filter((candidate) => WORKED.includes(candidate.status))) {
    const notes = (await timelineOf(sql, incident.id)).filter((entry: TimelineRecord) =>
      ['note', 'status_update'].includes(entry.kind)
    );
    const latest = notes.at(-1);
    items.push({
      incident_id: incident.id,
      title: incident.title,
      detail: latest ? `latest: ${latest.summary} (${latest.actor})` : 'no notes yet',
    });
  }
  return items;
}

async function changeItems(sql: Sql, scope: RequestScope, incidents: IncidentRecord[], now: Date) {
  const titles = new Map(incidents.map((incident) => [incident.id, incident.title]));
  const items: HandoffItem[] = [];
  for (const status of ['pending', 'approved'] as const) {
    const { records } = await listApprovalRecords(sql, scope, { status, limit: 100 }, now, null);
    for (const record of records.filter((candidate) => titles.has(candidate.incident_id))) {
      items.push({
        incident_id: record.incident_id,
        title: `${record.action_title} (${record.risk_class})`,
        detail: `${status === 'pending' ? 'awaiting decision, expires' : 'approved, not yet run; expires'} ${record.expires_at.toISOString()} — ${titles.get(record.incident_id)}`,
      });
    }
  }
  return items;
}

function knownIssueItems(incidents: IncidentRecord[]): HandoffItem[] {
  return incidents
    .filter((incident) => incident.status === 'monitoring' || incident.missing_runbook)
    .map((incident) => ({
      incident_id: incident.id,
      title: incident.title,
      detail: incident.status === 'monitoring' ? 'mitigated, being watched' : 'no runbook in the catalog',
    }));
}

function markdown(team: string, shift: HandoffSummary['shift'], sections: HandoffSummary['sections']): string {
  const block = (title: string, items: HandoffItem[]) => [
    `### ${title} (${items.length})`,
    ...(items.length ? items.map((i) => `- ${i.title}: ${i.detail}`) : ['- none']),
  ];
  return [
    `## Handoff — ${team}, shift ${shift.from} → ${shift.until}${shift.primary ? ` (primary ${shift.primary})` : ''}`,
    ...block('Active incidents', sections.active_incidents),
    ...block('Ongoing investigations', sections.ongoing_investigations),
    ...block('Upcoming changes', sections.upcoming_changes),
    ...block('Known issues', sections.known_issues),
  ].join('\n');
}

/** The generated summary of the team's running shift, with the latest handoff posted for it. */
export async function handoffSummary(
  store: Store,
  catalog: Catalog,
  scope: RequestScope,
  team: string,
  now: Date
): Promise<HandoffSummary> {
  const shift = shiftOf(catalog, team, now);
  const incidents = await teamIncidents(store, scope, team);
  const active = incidents.filter((incident) => incident.status !== 'monitoring');
  const sections = {
    active_incidents: await incidentItems(store, catalog, active, now),
    ongoing_investigations: await investigationItems(store, active),
    upcoming_changes: await changeItems(store, scope, incidents, now),
    known_issues: knownIssueItems(incidents),
  };
  return {
    team,
    shift,
    generated_at: now.toISOString(),
    sections,
    text: markdown(team, shift, sections),
    posted: await latestHandoff(store, scope, team, new Date(shift.from)),
  };
}

/** Posts the (edited) handoff: stored, on each active incident's timeline, audited — one transaction. */
export async function postHandoff(
  store: Store,
  catalog: Catalog,
  actor: HandoffActor,
  team: string,
  body: HandoffPost,
  now: Date
): Promise<PostedHandoff> {
  const shift = shiftOf(catalog, team, now);
  if (Date.parse(body.shift_from) !== Date.parse(shift.from)) {
    throw conflict('shift_changed', `the ${team} shift changed since the summary was generated; reload it`, {
      shift_from: shift.from,
    });
  }
  return store.transaction(async (tx) => {
    const active = (await teamIncidents(tx, actor.scope, team)).filter((incident) => incident.status !== 'monitoring');
    const posted: PostedHandoff = {
      id: newIdAt(now),
      team,
      shift_from: shift.from,
      shift_until: shift.until,
      text: body.text,
      posted_by: actor.user,
      posted_at: now.toISOString(),
      incident_ids: active.map((incident) => incident.id),
    };
    const project = actor.scope.kind === 'project' ? actor.scope : null;
    await insertHandoff(tx, {
      ...posted,
      tenant: project?.tenant ?? null,
      project: project?.project ?? null,
      correlation_id: actor.audit.correlation_id,
    });
    await insertTimeline(
      tx,
      active.map((incident) => ({
        id: newIdAt(now),
        incident_id: incident.id,
        at: now,
        kind: 'handoff_summary',
        actor: actor.user,
        summary: `Shift handoff for ${team} posted by ${actor.user}`,
        data: { handoff_id: posted.id, team, shift_from: shift.from, text: body.text },
        correlation_id: actor.audit.correlation_id,
      }))
    );
    await appendAudit(
      tx,
      actor.audit,
      { action: 'oncall.handoff_posted', target_type: 'oncall_handoff', target_id: posted.id, after: posted },
      now
    );
    return posted;
  });
}
