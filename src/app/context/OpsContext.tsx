import React, { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { hasPermission } from '@grafana/runtime';

import type { Me } from '../../contract/access';
import type { Role } from '../../contract/common';
import { toOpsApiError, type OpsApiError } from '../api/errors';
import { createOpsApi, type OpsApi } from '../api/opsApi';
import { STORAGE_KEYS } from '../constants';
import type { AppSettings } from '../settings';
import { grantedBy, initialProject, projectChoices, roleInScope, type Granted } from '../utils/access';
import { readStored, writeStored } from '../utils/storage';

export interface OpsContextValue {
  api: OpsApi;
  settings: AppSettings;
  /** Null until /api/v1/me answered (or when it failed: then `meError` says why). */
  me: Me | null;
  meError: OpsApiError | null;
  meLoading: boolean;
  projectId: string | null;
  projects: string[];
  setProjectId: (projectId: string) => void;
  /**
   * The user's catalog/access.yaml role in the selected project, when known: the most they may do
   * there. Null when unknown; `admin` (no limit) without access.yaml.
   */
  role: Role | null;
  /** What Grafana grants the user: their permissions on the plugin's actions (the Opsdeck roles). */
  granted: Granted;
}

const OpsContext = createContext<OpsContextValue | null>(null);

export function useOps(): OpsContextValue {
  const value = useContext(OpsContext);
  if (!value) {
    throw new Error('useOps() must be used inside <OpsProvider>');
  }
  return value;
}

/** Loads who the user is (/api/v1/me), offers their projects, and binds the API client to the chosen one. */
export function OpsProvider({ settings, children }: { settings: AppSettings; children: React.ReactNode }) {
  // Grafana's permissions are fixed for the page's life (a change of roles takes a reload, as in Grafana).
  const granted = useMemo(() => grantedBy(hasPermission), []);
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<OpsApiError | null>(null);
  const [meLoading, setMeLoading] = useState(true);
  const [projectId, setProjectIdState] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    createOpsApi({ projectId: null })
      .me()
      .then((answer) => {
        if (!cancelled) {
          setMe(answer);
          setProjectIdState(initialProject(answer, readStored(STORAGE_KEYS.project)));
        }
      })
      .catch((thrown: unknown) => {
        if (!cancelled) {
          setMeError(toOpsApiError(thrown));
          // Without /me we cannot list projects; ask for everything and let the API decide.
          setProjectIdState(initialProject(null, null));
        }
      })
      .finally(() => !cancelled && setMeLoading(false));
    return () => {
      cancelled = true;
    };
  }, []);

  const setProjectId = useCallback((next: string) => {
    writeStored(STORAGE_KEYS.project, next);
    setProjectIdState(next);
  }, []);

  const value = useMemo<OpsContextValue>(
    () => ({
      api: createOpsApi({ projectId }),
      settings,
      me,
      meError,
      meLoading,
      projectId,
      projects: projectChoices(me),
      setProjectId,
      role: roleInScope(me, projectId),
      granted,
    }),
    [granted, projectId, settings, me, meError, meLoading, setProjectId]
  );
  return <OpsContext.Provider value={value}>{children}</OpsContext.Provider>;
}

/** For tests and stories: a fixed context without network calls. */
export function StaticOpsProvider({ value, children }: { value: OpsContextValue; children: React.ReactNode }) {
  return <OpsContext.Provider value={value}>{children}</OpsContext.Provider>;
}
