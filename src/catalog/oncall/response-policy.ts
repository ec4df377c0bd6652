/**
 * catalog/response-policy.yaml: the response clocks per severity and the escalation triggers. Optional:
 * without it the shipped defaults below apply (the same values as the file in this repository).
 */
import type { CatalogViolation } from '../../contract/catalog';
import { durationSeconds, NEXT_BUSINESS_DAY, ResponsePolicyFile } from '../../contract/oncall';
import { isTimeZone, readYamlFile } from './read-yaml';

export const RESPONSE_POLICY_FILE = 'response-policy.yaml';

/** sev1 5m/15m/30m; sev2 15m/30m/2h; sev3 1h/4h/next business day; sev4 best effort. */
export const DEFAULT_RESPONSE_POLICY: ResponsePolicyFile = {
  version: 1,
  business_hours: { timezone: 'UTC', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' },
  severities: {
    sev1: { acknowledge: '5m', initial_response: '15m', escalate_unresolved: '30m' },
    sev2: { acknowledge: '15m', initial_response: '30m', escalate_unresolved: '2h' },
    sev3: { acknowledge: '1h', initial_response: '4h', escalate_unresolved: 'next_business_day' },
    sev4: 'best_effort',
  },
  triggers: {
    open_longer_than: { after: '2h', to_level: 3 },
    customer_impact_users_above: { value: 1000, to_level: 3 },
    revenue_impact_above: { value: 10000, to_level: 3 },
    labels: { names: ['security', 'data_integrity'], to_level: 3 },
  },
};

export async function loadResponsePolicy(dir: string, violations: CatalogViolation[]): Promise<ResponsePolicyFile> {
  const { value } = await readYamlFile(dir, RESPONSE_POLICY_FILE, ResponsePolicyFile, violations);
  if (!value) {
    return DEFAULT_RESPONSE_POLICY;
  }
  const hours = value.business_hours;
  const problems: string[] = [];
  if (!isTimeZone(hours.timezone)) {
    problems.push(`business_hours.timezone ${hours.timezone} is not an IANA time zone`);
  }
  if (hours.start >= hours.end) {
    problems.push(`business_hours.start (${hours.start}) must be before end (${hours.end})`);
  }
  for (const message of problems) {
    violations.push({ path: RESPONSE_POLICY_FILE, line: null, rule: 'response-policy-business-hours', severity: 'error', message });
  }
  const order = clockOrderProblems(value);
  for (const message of order) {
    violations.push({ path: RESPONSE_POLICY_FILE, line: null, rule: 'response-policy-clock-order', severity: 'error', message });
  }
  return problems.length + order.length > 0 ? DEFAULT_RESPONSE_POLICY : value;
}

/** acknowledge ≤ initial response ≤ escalate-if-unresolved, for the clocks given as durations. */
function clockOrderProblems(policy: ResponsePolicyFile): string[] {
  const problems: string[] = [];
  for (const [severity, clocks] of Object.entries(policy.severities)) {
    if (clocks === 'best_effort') {
      continue;
    }
    const seconds = [clocks.acknowledge, clocks.initial_response, clocks.escalate_unresolved].map((clock) =>
      clock === NEXT_BUSINESS_DAY ? Number.POSITIVE_INFINITY : durationSeconds(clock)
    );
    if (seconds[0] > seconds[1] || seconds[1] > seconds[2]) {
      problems.push(
        `${severity}: acknowledge (${clocks.acknowledge}) ≤ initial_response (${clocks.initial_response}) ≤ escalate_unresolved (${clocks.escalate_unresolved}) must hold`
      );
    }
  }
  return problems;
}
