/**
 * Status-update templates filled from an incident. Pure. A value the incident does not have yet reads
 * as a plain phrase ("not yet resolved", "unknown service") rather than an empty gap in a sentence
 * stakeholders will read.
 */
import type { TemplatePlaceholder } from '../../contract/communication';
import { PLACEHOLDER_PATTERN } from '../../catalog/actions';
import type { IncidentRecord } from '../incidents/model';

/** "2 h 5 min", "45 min", "30 s": how long an incident has lasted, as a status page says it. */
export function humanDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) {
    return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  }
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function templateValues(incident: IncidentRecord, now: Date): Record<TemplatePlaceholder, string> {
  const end = incident.resolved_at ?? now;
  return {
    title: incident.title,
    incident_id: incident.id,
    severity: incident.severity,
    status: incident.status,
    signal: incident.signal_key ?? 'unclassified signal',
    service: incident.service ?? 'an unknown service',
    tenant: incident.tenant,
    project: incident.project,
    owner_team: incident.owner_team ?? 'the on-call team',
    resource_name: incident.resource_name ?? 'no single resource',
    opened_at: incident.opened_at.toISOString(),
    resolved_at: incident.resolved_at ? incident.resolved_at.toISOString() : 'not yet resolved',
    duration: humanDuration(end.getTime() - incident.opened_at.getTime()),
  };
}

/** Fills `{{name}}` placeholders; the catalog lint rejects unknown names, so none is left behind. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER_PATTERN, (whole, name: string) => values[name] ?? whole);
}
