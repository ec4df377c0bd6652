import React, { ChangeEvent, FormEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';

import { testIds } from '../../testIds';

/** Non-secret settings (jsonData); the API token lives only in secureJsonData. */
export type AppSettings = {
  apiUrl?: string;
};

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [apiUrl, setApiUrl] = useState(jsonData?.apiUrl ?? '');
  const [apiToken, setApiToken] = useState('');
  const [isTokenSet, setIsTokenSet] = useState(Boolean(secureJsonFields?.apiToken));

  const canSave = Boolean(apiUrl) && (isTokenSet || Boolean(apiToken));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!canSave) {
      return;
    }
    updatePluginAndReload(plugin.meta.id, {
      enabled,
      pinned,
      jsonData: { apiUrl },
      // Sent once, encrypted by Grafana, never readable by the browser again.
      secureJsonData: isTokenSet ? undefined : { apiToken },
    });
  };

  return (
    <form onSubmit={onSubmit}>
      <FieldSet label="Companion API">
        <Field label="API URL" description="Where Grafana's server reaches the Opsdeck API, e.g. http://opsdeck-api:8787">
          <Input
            width={60}
            id="config-api-url"
            data-testid={testIds.appConfig.apiUrl}
            value={apiUrl}
            placeholder="http://opsdeck-api:8787"
            onChange={(event: ChangeEvent<HTMLInputElement>) => setApiUrl(event.target.value.trim())}
          />
        </Field>
        <Field label="Service token" description="OPSDECK_API_TOKEN; stored encrypted, injected by Grafana's proxy" className={s.marginTop}>
          <SecretInput
            width={60}
            id="config-api-token"
            data-testid={testIds.appConfig.apiToken}
            value={apiToken}
            isConfigured={isTokenSet}
            placeholder="service token"
            onChange={(event: ChangeEvent<HTMLInputElement>) => setApiToken(event.target.value.trim())}
            onReset={() => {
              setApiToken('');
              setIsTokenSet(false);
            }}
          />
        </Field>
        <div className={s.marginTop}>
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={!canSave}>
            Save settings
          </Button>
        </div>
      </FieldSet>
    </form>
  );
};

export default AppConfig;

const updatePluginAndReload = async (pluginId: string, data: Partial<PluginMeta<AppSettings>>) => {
  await lastValueFrom(getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data }));
  // Grafana has no supported way to refresh a plugin's meta in place.
  window.location.reload();
};

const getStyles = (theme: GrafanaTheme2) => ({
  marginTop: css({ marginTop: theme.spacing(3) }),
});
