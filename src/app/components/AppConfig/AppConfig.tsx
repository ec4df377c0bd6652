import React, { ChangeEvent, FormEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack, Text, useStyles2 } from '@grafana/ui';

import type { ReadyStatus } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { callEndpoint, proxyUrl } from '../../api/client';
import { toOpsApiError, type OpsApiError } from '../../api/errors';
import type { AppSettings } from '../../settings';
import { testIds } from '../../testIds';
import { CorrelationId } from '../states';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

type Connection =
  | { state: 'idle' }
  | { state: 'testing' }
  | { state: 'ok'; ready: ReadyStatus }
  | { state: 'error'; error: OpsApiError };

// The admin route: this page is for Grafana admins, and it checks the token as the proxy sends it.
const READY_CHECK = { capability: 'catalog:admin' } as const;

const DATASOURCES = [
  { key: 'prometheusDatasourceUid', kind: 'prometheus', label: 'Prometheus datasource UID', placeholder: 'prometheus' },
  { key: 'lokiDatasourceUid', kind: 'loki', label: 'Loki datasource UID', placeholder: 'loki' },
  { key: 'tempoDatasourceUid', kind: 'tempo', label: 'Tempo datasource UID', placeholder: 'tempo' },
] as const;

/** The app's settings: where the API is, its token (write-only), and the datasources Explore links use. */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [settings, setSettings] = useState<AppSettings>({
    apiUrl: jsonData?.apiUrl ?? '',
    webhookTokenHint: jsonData?.webhookTokenHint ?? '',
    prometheusDatasourceUid: jsonData?.prometheusDatasourceUid ?? '',
    lokiDatasourceUid: jsonData?.lokiDatasourceUid ?? '',
    tempoDatasourceUid: jsonData?.tempoDatasourceUid ?? '',
  });
  const [apiToken, setApiToken] = useState('');
  const [isTokenSet, setIsTokenSet] = useState(Boolean(secureJsonFields?.apiToken));
  const [connection, setConnection] = useState<Connection>({ state: 'idle' });
  const set = (key: keyof AppSettings) => (event: ChangeEvent<HTMLInputElement>) =>
    setSettings({ ...settings, [key]: event.target.value.trim() });

  const canSave = Boolean(settings.apiUrl) && (isTokenSet || Boolean(apiToken));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!canSave) {
      return;
    }
    updatePluginAndReload(plugin.meta.id, {
      enabled,
      pinned,
      jsonData: settings,
      // Sent once, encrypted by Grafana, never readable by the browser again.
      secureJsonData: isTokenSet ? undefined : { apiToken },
    });
  };

  const testConnection = async () => {
    setConnection({ state: 'testing' });
    try {
      const ready = await callEndpoint(endpoints.readyz, {}, READY_CHECK);
      setConnection({ state: 'ok', ready });
    } catch (thrown) {
      setConnection({ state: 'error', error: toOpsApiError(thrown) });
    }
  };

  return (
    <form onSubmit={onSubmit}>
      <ApiFields
        settings={settings}
        set={set}
        apiToken={apiToken}
        setApiToken={setApiToken}
        isTokenSet={isTokenSet}
        resetToken={() => {
          setApiToken('');
          setIsTokenSet(false);
        }}
      />
      <ExploreFields settings={settings} set={set} />
      <Stack direction="row" gap={1} alignItems="center">
        <Button type="submit" data-testid={testIds.appConfig.submit} disabled={!canSave}>
          Save settings
        </Button>
        <Button
          type="button"
          variant="secondary"
          icon={connection.state === 'testing' ? 'spinner' : 'plug'}
          onClick={testConnection}
          data-testid={testIds.appConfig.testConnection}
          disabled={connection.state === 'testing'}
        >
          Test connection
        </Button>
        <Text variant="bodySmall" color="secondary">
          Tests the saved settings through {proxyUrl(READY_CHECK.capability, endpoints.readyz.path)}
        </Text>
      </Stack>
      <ConnectionResult connection={connection} />
    </form>
  );
};

type SetSetting = (key: keyof AppSettings) => (event: ChangeEvent<HTMLInputElement>) => void;

/** Where the API is, its token (write-only) and where the webhook token is kept. */
function ApiFields({
  settings,
  set,
  apiToken,
  setApiToken,
  isTokenSet,
  resetToken,
}: {
  settings: AppSettings;
  set: SetSetting;
  apiToken: string;
  setApiToken: (token: string) => void;
  isTokenSet: boolean;
  resetToken: () => void;
}) {
  const base = (settings.apiUrl ?? '').replace(/\/$/, '');
  return (
    <FieldSet label="Companion API">
      <SettingInput
        label="API URL"
        description="Where Grafana's server reaches the Opsdeck API, e.g. http://opsdeck-api:8787"
        id="config-api-url"
        testId={testIds.appConfig.apiUrl}
        width={60}
        value={settings.apiUrl}
        placeholder="http://opsdeck-api:8787"
        onChange={set('apiUrl')}
      />
      <Field
        label="Service token"
        description="OPSDECK_API_TOKEN. Stored encrypted in Grafana and injected by its proxy; never sent back to the browser."
      >
        <SecretInput
          width={60}
          id="config-api-token"
          data-testid={testIds.appConfig.apiToken}
          value={apiToken}
          isConfigured={isTokenSet}
          placeholder="service token"
          onChange={(event: ChangeEvent<HTMLInputElement>) => setApiToken(event.target.value.trim())}
          onReset={resetToken}
        />
      </Field>
      <SettingInput
        label="Webhook token hint"
        description="Where the alert senders' token (OPSDECK_WEBHOOK_TOKEN) is kept, e.g. 'vault: ops/opsdeck/webhook'. A reminder for operators — never the token itself."
        id="config-webhook-hint"
        testId={testIds.appConfig.webhookHint}
        width={60}
        value={settings.webhookTokenHint}
        placeholder="vault: ops/opsdeck/webhook"
        onChange={set('webhookTokenHint')}
      />
      {settings.apiUrl && (
        <Text variant="bodySmall" color="secondary">
          Alert senders post to <code>{base + endpoints.grafanaWebhook.path}</code> (Grafana contact point) and{' '}
          <code>{base + endpoints.alertmanagerWebhook.path}</code> (Alertmanager), with the webhook token as Bearer.
        </Text>
      )}
    </FieldSet>
  );
}

/** One plain text setting with its label and description. */
function SettingInput({
  label,
  description,
  id,
  testId,
  width,
  value,
  placeholder,
  onChange,
}: {
  label: string;
  description: string;
  id: string;
  testId: string;
  width: number;
  value: string | undefined;
  placeholder: string;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
}) {
  return (
    <Field label={label} description={description}>
      <Input
        width={width}
        id={id}
        data-testid={testId}
        value={value ?? ''}
        placeholder={placeholder}
        onChange={onChange}
      />
    </Field>
  );
}

/** The datasource UIDs of this Grafana that saved queries open in. */
function ExploreFields({ settings, set }: { settings: AppSettings; set: SetSetting }) {
  const s = useStyles2(getStyles);
  return (
    <FieldSet label="Explore links" className={s.marginTop}>
      {DATASOURCES.map(({ key, kind, label, placeholder }) => (
        <SettingInput
          key={key}
          label={label}
          description={`The ${kind} datasource saved queries open in`}
          id={`config-${kind}-uid`}
          testId={testIds.appConfig.datasourceUid(kind)}
          width={40}
          value={settings[key]}
          placeholder={placeholder}
          onChange={set(key)}
        />
      ))}
    </FieldSet>
  );
}

function ConnectionResult({ connection }: { connection: Connection }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.marginTop} data-testid={testIds.appConfig.connectionResult} aria-live="polite">
      {connection.state === 'ok' && (
        <Alert severity="success" title="Connected: the Opsdeck API is ready">
          Store: {connection.ready.store}, schema version {connection.ready.schema_version}.
        </Alert>
      )}
      {connection.state === 'error' && (
        <Alert severity="error" title="The Opsdeck API did not answer ready">
          <Stack direction="column" gap={1}>
            <div>
              {connection.error.message} ({connection.error.code}
              {connection.error.status ? `, HTTP ${connection.error.status}` : ''})
            </div>
            {connection.error.correlationId && <CorrelationId id={connection.error.correlationId} />}
          </Stack>
        </Alert>
      )}
    </div>
  );
}

export default AppConfig;

const updatePluginAndReload = async (pluginId: string, data: Partial<PluginMeta<AppSettings>>) => {
  await lastValueFrom(getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data }));
  // Grafana has no supported way to refresh a plugin's meta in place.
  window.location.reload();
};

const getStyles = (theme: GrafanaTheme2) => ({
  marginTop: css({ marginTop: theme.spacing(3) }),
});
