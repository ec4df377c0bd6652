import React, { useState } from 'react';
import { Alert, Button, Stack } from '@grafana/ui';

import type { CatalogReloadResult } from '../../../contract/catalog';
import { toOpsApiError, type OpsApiError } from '../../api/errors';
import { ErrorState } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { testIds } from '../../testIds';

/**
 * "Reload catalog": makes the API read the GitOps catalog from disk now (instead of waiting for a
 * deploy or SIGHUP). Shown only to users whom Grafana grants `catalog:admin` (the Opsdeck Admin role):
 * an admin control is noise to everyone else, and the route would refuse them anyway.
 */
export function CatalogReload({ onReloaded }: { onReloaded: () => Promise<void> }) {
  const { api, granted } = useOps();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CatalogReloadResult | null>(null);
  const [error, setError] = useState<OpsApiError | null>(null);
  if (!granted['catalog:admin']) {
    return null;
  }
  const reload = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.reloadCatalog());
      await onReloaded();
    } catch (thrown) {
      setResult(null);
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack direction="column" gap={1}>
      <Button
        icon="sync"
        variant="secondary"
        onClick={reload}
        disabled={busy}
        data-testid={testIds.runbooks.reloadCatalog}
        tooltip="Read the catalog from disk now; an invalid catalog keeps the current one"
      >
        {busy ? 'Reloading…' : 'Reload catalog'}
      </Button>
      {result && (
        <Alert severity="success" title="Catalog reloaded" data-testid={testIds.runbooks.reloadResult}>
          Revision {result.revision.slice(0, 12)}: {result.runbooks} runbooks, {result.signals} signals,{' '}
          {result.queries} saved queries, {result.alert_rules} alert rules
          {result.warnings.length > 0 ? `, ${result.warnings.length} governance warnings` : ''}.
        </Alert>
      )}
      {error && <ErrorState title="The catalog was not reloaded" error={error} />}
    </Stack>
  );
}
