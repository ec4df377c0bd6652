/**
 * Which catalog actions fit an incident, with what parameters, in what order. Pure.
 *
 * Confidence from finished runs of the same action on similar incidents (same project only):
 *   confidence = (helped + ½ · succeeded-without-feedback) / runs
 * so a run someone said helped counts fully, a run that merely succeeded counts half (it executed; we
 * do not know that it fixed anything), and failed, did-not-help and made-worse runs count zero. With
 * no run on similar incidents the confidence is null and the explanation says "no history".
 *
 * Order: actions with history by confidence (higher first), then those without; ties by risk class
 * (R1 before R3: the cheaper step first) and then catalog order (runbook order of the incident).
 */
import type { ValidateFunction } from 'ajv';

import type { ActionDefinition } from '../../contract/approvals';
import type { OutcomeCounts, Recommendation } from '../../contract/recommendations';
import { createParameterAjv } from '../../catalog/actions';

export interface Candidate {
  action: ActionDefinition;
  source: 'runbook' | 'signal';
}

/** The incident's runbooks' actions, then those of its signal's runbooks, each action once. */
export function candidateActions(
  actions: Iterable<ActionDefinition>,
  incidentRunbooks: readonly string[],
  signalRunbooks: readonly string[]
): Candidate[] {
  const list = [...actions];
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const addFrom = (runbooks: readonly string[], source: Candidate['source']) => {
    for (const runbookId of runbooks) {
      for (const action of list.filter((a) => a.runbook_id === runbookId)) {
        if (!seen.has(action.id)) {
          seen.add(action.id);
          out.push({ action, source });
        }
      }
    }
  };
  addFrom(incidentRunbooks, 'runbook');
  addFrom(signalRunbooks, 'signal');
  return out;
}

const ajv = createParameterAjv();
const propertyValidators = new WeakMap<object, ValidateFunction>();

function validatorOf(schema: object): ValidateFunction {
  let validate = propertyValidators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    propertyValidators.set(schema, validate);
  }
  return validate;
}

/** A label's text as the property's JSON type, or undefined when it cannot be one. */
function coerce(value: string, schema: Record<string, unknown>): unknown {
  const type = schema.type;
  if (type === 'integer' || type === 'number') {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  if (type === 'boolean') {
    return value === 'true' ? true : value === 'false' ? false : undefined;
  }
  return value;
}

/**
 * Parameters filled from `values` (alert labels and incident fields by name) where the property's own
 * schema accepts the value; declared defaults otherwise. A label that does not fit is left out, never
 * forced: the operator fills it, and the request is validated in full anyway.
 */
export function prefillParameters(
  action: ActionDefinition,
  values: Record<string, string>
): { parameters: Record<string, unknown>; missing: string[] } {
  const properties = (action.parameters.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = Array.isArray(action.parameters.required) ? (action.parameters.required as string[]) : [];
  const parameters: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const raw = values[name];
    const value = raw === undefined ? undefined : coerce(raw, schema);
    if (value !== undefined && validatorOf(schema)(value)) {
      parameters[name] = value;
    } else if ('default' in schema) {
      parameters[name] = schema.default;
    }
  }
  return { parameters, missing: required.filter((name) => !(name in parameters)) };
}

export function confidenceOf(history: OutcomeCounts): number | null {
  if (history.runs === 0) {
    return null;
  }
  const succeededWithoutFeedback = Math.max(
    0,
    history.succeeded - history.helped - history.did_not_help - history.made_worse
  );
  return Math.min(1, (history.helped + 0.5 * succeededWithoutFeedback) / history.runs);
}

export function explain(history: OutcomeCounts, basis: Recommendation['basis']): string {
  if (basis === 'none' || history.runs === 0) {
    return 'no history: this action has not run on a similar incident in this project';
  }
  const where = basis === 'same_signal' ? 'incidents of the same signal' : 'incidents with the same runbook';
  const parts = [`${history.succeeded} of ${history.runs} runs succeeded on ${where}`];
  const said = [
    history.helped && `${history.helped} helped`,
    history.did_not_help && `${history.did_not_help} did not help`,
    history.made_worse && `${history.made_worse} made it worse`,
  ].filter(Boolean);
  if (said.length > 0) {
    parts.push(`feedback: ${said.join(', ')}`);
  }
  return parts.join('; ');
}

const RISK_ORDER = { R1: 1, R2: 2, R3: 3 } as const;

/** Ranks recommendations (rank 1 = top) per the order in this module's comment. */
export function rank(items: Array<Omit<Recommendation, 'rank'>>): Recommendation[] {
  const indexed = items.map((item, index) => ({ item, index }));
  indexed.sort((a, b) => {
    const ca = a.item.confidence;
    const cb = b.item.confidence;
    if ((ca === null) !== (cb === null)) {
      return ca === null ? 1 : -1;
    }
    if (ca !== null && cb !== null && ca !== cb) {
      return cb - ca;
    }
    const risk = RISK_ORDER[a.item.risk_class] - RISK_ORDER[b.item.risk_class];
    return risk !== 0 ? risk : a.index - b.index;
  });
  return indexed.map(({ item }, i) => ({ ...item, rank: i + 1 }));
}
