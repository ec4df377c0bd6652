import React, { ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput } from '@grafana/ui';

import type { OpsDataSourceOptions, OpsSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<OpsDataSourceOptions, OpsSecureJsonData>;

/** Where the API is, its service token (write-only: Grafana stores it encrypted), and the default project. */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const setJson = (key: keyof OpsDataSourceOptions) => (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: event.currentTarget.value.trim() } });
  return (
    <FieldSet label="Opsdeck API">
      <Field
        label="API URL"
        description="Where Grafana's server reaches the companion API, e.g. http://opsdeck-api:8787"
      >
        <Input
          id="opsdeck-ds-api-url"
          width={60}
          value={jsonData.apiUrl ?? ''}
          placeholder="http://opsdeck-api:8787"
          onChange={setJson('apiUrl')}
        />
      </Field>
      <Field
        label="Service token"
        description="OPSDECK_API_TOKEN. Stored encrypted by Grafana and read only by the datasource's backend on Grafana's server; never sent back to the browser."
      >
        <SecretInput
          id="opsdeck-ds-api-token"
          width={60}
          isConfigured={Boolean(secureJsonFields?.apiToken)}
          value={options.secureJsonData?.apiToken ?? ''}
          placeholder="service token"
          onChange={(event: ChangeEvent<HTMLInputElement>) =>
            onOptionsChange({ ...options, secureJsonData: { apiToken: event.currentTarget.value.trim() } })
          }
          onReset={() =>
            onOptionsChange({
              ...options,
              secureJsonFields: { ...secureJsonFields, apiToken: false },
              secureJsonData: { ...options.secureJsonData, apiToken: '' },
            })
          }
        />
      </Field>
      <Field
        label="Default project"
        description="X-Project-ID for queries that name none: a project, tenant/project, or * for every project."
      >
        <Input
          id="opsdeck-ds-default-project"
          width={40}
          value={jsonData.defaultProject ?? ''}
          placeholder="*"
          onChange={setJson('defaultProject')}
        />
      </Field>
    </FieldSet>
  );
}
