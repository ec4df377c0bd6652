/**
 * The postmortem draft generated from an incident: impact, timeline, what went well and what to
 * improve from the facts the incident holds, and action items. Pure: everything is passed in.
 *
 * The draft states facts and leaves the judgement (root causes, why) as prompts for the author: a
 * generator that invented a root cause would be worse than none. Action items are not part of the
 * stored markdown: they are tracked rows, rendered into the export (`exportMarkdown`), so the list
 * people tick off and the document never disagree.
 */
import type { Approval } from '../../contract/approvals';
import type { ActionItem } from '../../contract/communication';
import { humanDuration } from '../communication/templates';
import type { IncidentRecord, TimelineRecord } from '../incidents/model';

export interface DraftFacts {
  incident: IncidentRecord;
  timeline: TimelineRecord[];
  approvals: Approval[];
  /** Runbooks opened, stepped through or acted on during the incident. */
  runbooksUsed: string[];
  now: Date;
}

export interface DraftItem {
  title: string;
  owner: string;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function impactLines(incident: IncidentRecord, now: Date): string[] {
  const end = incident.resolved_at ?? now;
  const duration = humanDuration(end.getTime() - incident.opened_at.getTime());
  const ack = incident.acknowledged_at
    ? humanDuration(incident.acknowledged_at.getTime() - incident.opened_at.getTime())
    : 'never acknowledged by a person';
  return [
    `- **Severity:** ${incident.severity}`,
    `- **Duration:** ${duration} (opened ${incident.opened_at.toISOString()}, ${
      incident.resolved_at ? `resolved ${incident.resolved_at.toISOString()}` : 'not resolved yet'
    })`,
    `- **Time to acknowledge:** ${ack}`,
    `- **Affected:** tenant \`${incident.tenant}\`, project \`${incident.project}\`${
      incident.resource_name ? `, resource \`${incident.resource_name}\`` : ''
    }${incident.service ? `, service \`${incident.service}\`` : ''}`,
    `- **SLO budget:** ${
      incident.slo_burn_rate === null
        ? 'not known (no burn rate was reported with the alerts)'
        : `burning at ${incident.slo_burn_rate}× the sustainable rate when last reported`
    }`,
    `- **Alerts:** ${incident.firing_count + incident.resolved_count} (${incident.firing_count} still firing)`,
  ];
}

function timelineTable(timeline: TimelineRecord[]): string[] {
  const rows = timeline.map((entry) => `| ${entry.at.toISOString()} | ${cell(entry.actor)} | ${cell(entry.summary)} |`);
  return ['| Time (UTC) | Who | What |', '|---|---|---|', ...rows];
}

function outcomeOf(approval: Approval): string {
  const feedback = approval.feedback ? `, ${approval.feedback.outcome.replace(/_/g, ' ')}` : '';
  return `${approval.action_title} (${approval.risk_class}): ${approval.status}${feedback}`;
}

function wentWell(facts: DraftFacts): string[] {
  const lines = facts.approvals
    .filter(
      (a) => a.status === 'succeeded' && a.feedback?.outcome !== 'made_worse' && a.feedback?.outcome !== 'did_not_help'
    )
    .map((a) => `- ${outcomeOf(a)}`);
  if (facts.runbooksUsed.length > 0) {
    lines.push(`- Runbooks followed: ${facts.runbooksUsed.map((id) => `\`${id}\``).join(', ')}`);
  }
  return lines.length > 0 ? lines : ['- _What helped the response? (nothing recorded on the timeline)_'];
}

function toImprove(facts: DraftFacts): string[] {
  const lines = facts.approvals
    .filter(
      (a) => a.status === 'failed' || a.feedback?.outcome === 'made_worse' || a.feedback?.outcome === 'did_not_help'
    )
    .map((a) => `- ${outcomeOf(a)}`);
  if (facts.incident.missing_runbook) {
    lines.push('- No catalog runbook answered this incident.');
  }
  if (facts.incident.acknowledged_at === null) {
    lines.push('- Nobody acknowledged the incident.');
  }
  return lines.length > 0 ? lines : ['- _What slowed the response down?_'];
}

/** The action items a reviewer would start from; the author edits, adds and removes. */
export function draftItems(facts: DraftFacts): DraftItem[] {
  const owner = facts.incident.owner_team ?? 'unassigned';
  const items: DraftItem[] = [{ title: `Find and fix the root cause of "${facts.incident.title}"`, owner }];
  for (const approval of facts.approvals) {
    if (approval.status === 'failed' || approval.feedback?.outcome === 'made_worse') {
      items.push({
        title: `Review action ${approval.action_id}: it ${approval.status === 'failed' ? 'failed' : 'made things worse'}`,
        owner,
      });
    }
  }
  if (facts.incident.missing_runbook) {
    items.push({ title: `Write a runbook for ${facts.incident.signal_key ?? facts.incident.title}`, owner });
  }
  return items;
}

export function draftMarkdown(facts: DraftFacts): string {
  const { incident } = facts;
  return [
    `# Postmortem: ${incident.title}`,
    '',
    `Incident \`${incident.id}\` · ${incident.severity} · owner ${incident.owner_team ?? 'unassigned'} · signal ${
      incident.signal_key ?? 'unclassified'
    }`,
    '',
    '## Summary',
    '',
    '_One paragraph for someone who was not there: what broke, who noticed, how it was fixed._',
    '',
    '## Impact',
    '',
    ...impactLines(incident, facts.now),
    '',
    '## Timeline',
    '',
    ...timelineTable(facts.timeline),
    '',
    '## Root causes',
    '',
    '- _Why did it happen? Ask "why" until the answer is something we can change._',
    '',
    '## What went well',
    '',
    ...wentWell(facts),
    '',
    '## What to improve',
    '',
    ...toImprove(facts),
    '',
  ].join('\n');
}

/** The stored markdown plus the tracked action items, as one document. */
export function exportMarkdown(markdown: string, items: ActionItem[]): string {
  const rows = items.map(
    (item) => `| ${cell(item.title)} | ${cell(item.owner)} | ${item.due_at.slice(0, 10)} | ${item.state} |`
  );
  return [
    markdown.trimEnd(),
    '',
    '## Action items',
    '',
    ...(items.length > 0 ? ['| Item | Owner | Due | State |', '|---|---|---|---|', ...rows] : ['_None._']),
    '',
  ].join('\n');
}
