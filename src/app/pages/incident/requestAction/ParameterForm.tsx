import React from 'react';
import { Checkbox, Field, Input, Stack, Text } from '@grafana/ui';

import type { ActionDefinition } from '../../../../contract/approvals';
import { testIds } from '../../../testIds';

type Schema = { type?: string; description?: string; items?: { type?: string } };

/** A form value as the schema's type: numbers as numbers, string arrays from comma-separated text. */
function typed(raw: string, schema: Schema): unknown {
  if ((schema.type === 'integer' || schema.type === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))) {
    return Number(raw);
  }
  if (schema.type === 'array') {
    return raw
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  }
  return raw;
}

const shown = (value: unknown) => (Array.isArray(value) ? value.join(', ') : String(value ?? ''));

/** One field per property of the action's JSON Schema (boolean, number/integer, string, string array). */
export function ParameterForm({
  action,
  values,
  onChange,
}: {
  action: ActionDefinition;
  values: Record<string, unknown>;
  onChange: (name: string, value: unknown) => void;
}) {
  const properties = (action.parameters.properties ?? {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(action.parameters.required) ? (action.parameters.required as string[]) : []);
  if (Object.keys(properties).length === 0) {
    return <Text color="secondary">This action takes no parameters.</Text>;
  }
  return (
    <Stack direction="column" gap={1}>
      {Object.entries(properties).map(([name, schema]) => (
        <div key={name} data-testid={testIds.requestAction.parameter(name)}>
          {schema.type === 'boolean' ? (
            <Checkbox
              label={name}
              description={schema.description}
              value={Boolean(values[name])}
              onChange={(event) => onChange(name, event.currentTarget.checked)}
            />
          ) : (
            <Field
              label={`${name}${required.has(name) ? ' (required)' : ''}`}
              description={schema.description}
              noMargin
            >
              <Input
                aria-label={name}
                value={shown(values[name])}
                onChange={(event) => onChange(name, typed(event.currentTarget.value, schema))}
              />
            </Field>
          )}
        </div>
      ))}
    </Stack>
  );
}
