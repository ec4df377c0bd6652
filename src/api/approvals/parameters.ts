import type { ValidateFunction } from 'ajv';

import type { ActionDefinition } from '../../contract/approvals';
import { createParameterAjv } from '../../catalog/actions';

const ajv = createParameterAjv();
/** Compiled once per action object; a catalog reload brings new objects and so new validators. */
const validators = new WeakMap<ActionDefinition, ValidateFunction>();

/** Validates (and fills declared defaults into) a request's parameters with the action's JSON Schema. */
export function parameterValidator(action: ActionDefinition): ValidateFunction {
  let validate = validators.get(action);
  if (!validate) {
    validate = ajv.compile(action.parameters);
    validators.set(action, validate);
  }
  return validate;
}
