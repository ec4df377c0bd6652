/**
 * The Chromium plugin host: a stand-in for the parts of Grafana 12's frontend a plugin meets.
 *
 * What it does, as Grafana does it:
 * - boot config: `window.grafanaBootData` (user, org role, theme) is written by the host server into the
 *   page before this bundle runs, so @grafana/runtime's `config` reads it at import time;
 * - plugin loading: SystemJS 6 with its AMD extra loads the BUILT dist/module.js from
 *   /public/plugins/opsdeck-ops-app/ with the shared dependencies Grafana provides (react, react-dom,
 *   react-router, @grafana/data|ui|runtime, rxjs, @emotion/css, lodash, i18next, …) set in the SystemJS
 *   registry under their bare names through an import map — the real packages, not fakes;
 * - runtime services: backendSrv (fetch through /api/…), locationService + a react-router v6 Router
 *   over its history, PluginPage (title, subtitle, actions, content), link interception for in-app
 *   navigation, and the theme (ThemeContext + GlobalStyles) from `?theme=dark|light`;
 * - mounting: the app root at /a/opsdeck-ops-app/* with the plugin's meta (jsonData from the settings
 *   the host server keeps), the config page at /plugins/opsdeck-ops-app, and the nested datasource's
 *   settings and query editors at /datasources/edit/opsdeck (./dataSourcePage.tsx).
 *
 * - RBAC on the client: the signed-in user with the permissions the host server computed from the
 *   plugin's roles (bootData.user.permissions), set as Grafana's current user, so `hasPermission` answers;
 *
 * What it does NOT do: Grafana's server (the host server in server.ts forwards plugin-proxy and
 * data-proxy calls and evaluates their reqAction), navigation tree from the server, dashboards and panels, Explore itself.
 */
import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';

import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as i18next from 'i18next';
import * as lodash from 'lodash';
import * as React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as ReactRouter from 'react-router';
import * as ReactRouterDom from 'react-router-dom';
import * as rxjs from 'rxjs';
import { css } from '@emotion/css';
import {
  AppPlugin,
  createTheme,
  type AppPluginMeta,
  type DataSourcePluginMeta,
  type GrafanaTheme2,
} from '@grafana/data';
import {
  config,
  locationService,
  setBackendSrv,
  setCurrentUser,
  setTemplateSrv,
  type PluginPageProps,
} from '@grafana/runtime';
// Grafana's core sets PluginPage through a setter @grafana/runtime 12.4 no longer exports publicly; the
// file path is the same module the package index re-exports, so the plugin sees the host's PluginPage.
// @ts-expect-error -- the ESM file has no declaration beside it; its signature is typed just below.
import { setPluginPage as untypedSetPluginPage } from '../../../node_modules/@grafana/runtime/dist/esm/components/PluginPage.mjs';
import { GlobalStyles, Icon, ThemeContext, useStyles2 } from '@grafana/ui';

import { HostBackendSrv } from './backendSrv';
import {
  DATASOURCE_PAGE,
  DataSourcePage,
  HostTemplateSrv,
  loadDataSource,
  type LoadedDataSource,
} from './dataSourcePage';

const setPluginPage: (component: React.ComponentType<PluginPageProps>) => void = untypedSetPluginPage;

declare global {
  interface Window {
    System: {
      set(id: string, module: object): void;
      addImportMap(map: { imports: Record<string, string> }): void;
      import(id: string): Promise<Record<string, unknown>>;
    };
    __grafana_public_path__: string;
    /** Written by the host server: the plugin's id and its built plugin.json. */
    opsdeckHost: {
      pluginId: string;
      pluginJson: AppPluginMeta & { includes?: Array<{ name: string; path: string; addToNav?: boolean }> };
      /** The nested datasource's built plugin.json. */
      dataSourcePluginJson: DataSourcePluginMeta;
    };
  }
}

const { pluginId } = window.opsdeckHost;
const APP_BASE = `/a/${pluginId}`;

// --- shared dependencies, as Grafana exposes them to plugins ---
const SHARED: Record<string, object> = {
  react: React,
  'react/jsx-runtime': jsxRuntime,
  'react-dom': ReactDOM,
  'react-router': ReactRouter,
  'react-router-dom': ReactRouterDom,
  rxjs,
  lodash,
  i18next,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
};
/**
 * SystemJS copies a module's exports when it is set, so this runs after the runtime services below are
 * in place (as in Grafana, where they are set at boot, before any plugin loads).
 */
function registerSharedDependencies() {
  const imports: Record<string, string> = {};
  for (const [name, module] of Object.entries(SHARED)) {
    const id = `grafana-host:${name}`;
    window.System.set(id, module);
    imports[name] = id;
  }
  window.System.addImportMap({ imports });
}

// --- runtime services ---
setBackendSrv(new HostBackendSrv());
// Grafana sets the signed-in user (with the permissions its RBAC computed) at boot, for hasPermission.
setCurrentUser(config.bootData.user);
setTemplateSrv(new HostTemplateSrv());

function HostPluginPage({ children, pageNav, subTitle, actions, background }: PluginPageProps) {
  const s = useStyles2(getPageStyles);
  const location = ReactRouter.useLocation();
  const navItem = navItems().find((item) => location.pathname.startsWith(item.path));
  const title = pageNav?.text ?? navItem?.name ?? 'Opsdeck';
  return (
    <div className={background === 'canvas' ? s.canvas : s.page}>
      <div className={s.header}>
        <div className={s.titleBlock}>
          <h1 className={s.title}>{title}</h1>
          {subTitle && <div className={s.subTitle}>{subTitle}</div>}
        </div>
        {actions && <div className={s.actions}>{actions}</div>}
      </div>
      <div>{children}</div>
    </div>
  );
}
setPluginPage(HostPluginPage);

function navItems() {
  const includes = window.opsdeckHost.pluginJson.includes ?? [];
  return includes
    .filter((include) => include.addToNav)
    .map((include) => ({ name: include.name, path: (include.path ?? '').replace('%PLUGIN_ID%', pluginId) }));
}

// Grafana intercepts clicks on same-origin links and navigates without a page load.
document.addEventListener('click', (event) => {
  const anchor = (event.target as HTMLElement | null)?.closest?.('a');
  if (
    !anchor ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    anchor.target === '_blank'
  ) {
    return;
  }
  const href = anchor.getAttribute('href');
  if (href && href.startsWith('/') && !href.startsWith('//')) {
    event.preventDefault();
    locationService.push(href);
  }
});

/** react-router v6 over locationService's history (history v4 listens with (location, action)). */
function HostRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [state, setState] = React.useState({ location: history.location, action: history.action });
  React.useLayoutEffect(
    () =>
      history.listen((location: typeof history.location, action: typeof history.action) =>
        setState({ location, action })
      ),
    [history]
  );
  return (
    <ReactRouter.Router
      location={state.location}
      navigationType={state.action as ReactRouter.NavigationType}
      navigator={history}
    >
      {children}
    </ReactRouter.Router>
  );
}

// --- plugin loading ---
async function loadPlugin(): Promise<AppPlugin> {
  const [exports, settings] = await Promise.all([
    window.System.import(`/public/plugins/${pluginId}/module.js`),
    fetch(`/api/plugins/${pluginId}/settings`).then((response) => response.json() as Promise<Partial<AppPluginMeta>>),
  ]);
  const plugin = exports.plugin;
  if (!(plugin instanceof AppPlugin)) {
    throw new Error('dist/module.js does not export an AppPlugin named `plugin`');
  }
  const meta: AppPluginMeta = {
    ...window.opsdeckHost.pluginJson,
    ...settings,
    baseUrl: `public/plugins/${pluginId}`,
    module: `public/plugins/${pluginId}/module.js`,
  };
  plugin.meta = meta;
  plugin.init(meta);
  return plugin;
}

function Shell({ plugin, dataSource }: { plugin: AppPlugin; dataSource?: LoadedDataSource }) {
  const s = useStyles2(getShellStyles);
  const location = ReactRouter.useLocation();
  const Root = plugin.root;
  const ConfigPage = plugin.configPages?.[0]?.body;
  return (
    <div className={s.shell}>
      <header className={s.topbar}>
        <Icon name="grafana" size="lg" />
        <span className={s.crumbs}>Home › Apps › Opsdeck</span>
      </header>
      <div className={s.body}>
        <nav className={s.nav} aria-label="Opsdeck">
          <div className={s.navTitle}>Opsdeck</div>
          {navItems().map((item) => (
            <a
              key={item.path}
              href={item.path}
              className={location.pathname.startsWith(item.path) ? s.navActive : s.navLink}
            >
              {item.name}
            </a>
          ))}
        </nav>
        <main className={s.main}>
          <ReactRouter.Routes>
            <ReactRouter.Route
              path={`${APP_BASE}/*`}
              element={
                Root ? (
                  <Root
                    meta={plugin.meta}
                    basename={APP_BASE}
                    query={{}}
                    path={location.pathname}
                    onNavChanged={() => undefined}
                  />
                ) : null
              }
            />
            <ReactRouter.Route
              path={`/plugins/${pluginId}`}
              element={
                ConfigPage ? (
                  <HostPluginPage pageNav={{ text: 'Configuration' }}>
                    <ConfigPage plugin={plugin} query={{}} />
                  </HostPluginPage>
                ) : null
              }
            />
            <ReactRouter.Route
              path={`${DATASOURCE_PAGE}:uid`}
              element={dataSource ? <DataSourcePage loaded={dataSource} /> : null}
            />
          </ReactRouter.Routes>
        </main>
      </div>
    </div>
  );
}

function Host({
  plugin,
  dataSource,
  theme,
}: {
  plugin: AppPlugin;
  dataSource?: LoadedDataSource;
  theme: GrafanaTheme2;
}) {
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <HostRouter>
        <Shell plugin={plugin} dataSource={dataSource} />
      </HostRouter>
    </ThemeContext.Provider>
  );
}

async function main() {
  const theme = createTheme({ colors: { mode: config.theme2.isLight ? 'light' : 'dark' } });
  registerSharedDependencies();
  const plugin = await loadPlugin();
  const { pathname } = window.location;
  const dataSource = pathname.startsWith(DATASOURCE_PAGE)
    ? await loadDataSource(pathname.slice(DATASOURCE_PAGE.length), window.opsdeckHost.dataSourcePluginJson)
    : undefined;
  createRoot(document.getElementById('reactRoot')!).render(
    <Host plugin={plugin} dataSource={dataSource} theme={theme} />
  );
  document.body.setAttribute('data-host-ready', 'true');
}

main().catch((error: Error) => {
  document.body.setAttribute('data-host-error', error.message);
  throw error;
});

const getShellStyles = (theme: GrafanaTheme2) => {
  const link = {
    display: 'block',
    padding: theme.spacing(0.75, 2),
    color: theme.colors.text.secondary,
    borderLeft: '3px solid transparent',
    '&:hover': { color: theme.colors.text.primary, background: theme.colors.action.hover },
  };
  return {
    shell: css({
      minHeight: '100vh',
      display: 'flex',
      flexDirection: 'column',
      background: theme.colors.background.canvas,
    }),
    topbar: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1.5),
      height: 48,
      padding: theme.spacing(0, 2),
      background: theme.colors.background.primary,
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    }),
    crumbs: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
    body: css({ display: 'flex', flex: 1 }),
    nav: css({
      width: 220,
      flexShrink: 0,
      background: theme.colors.background.primary,
      borderRight: `1px solid ${theme.colors.border.weak}`,
      paddingTop: theme.spacing(2),
    }),
    navTitle: css({ padding: theme.spacing(0, 2, 1), fontWeight: theme.typography.fontWeightMedium }),
    navLink: css(link),
    navActive: css({
      ...link,
      color: theme.colors.text.primary,
      borderLeftColor: theme.colors.primary.main,
      background: theme.colors.action.selected,
    }),
    main: css({ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column', '& > *': { flex: 1 } }),
  };
};

const getPageStyles = (theme: GrafanaTheme2) => {
  const page = { padding: theme.spacing(2, 3, 4), minHeight: '100%' };
  return {
    page: css({ ...page, background: theme.colors.background.primary }),
    canvas: css({ ...page, background: theme.colors.background.canvas }),
    header: css({
      display: 'flex',
      flexWrap: 'wrap',
      justifyContent: 'space-between',
      alignItems: 'flex-start',
      gap: theme.spacing(2),
      marginBottom: theme.spacing(3),
    }),
    titleBlock: css({ minWidth: 0 }),
    title: css({ fontSize: theme.typography.h2.fontSize, margin: 0 }),
    subTitle: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(0.5) }),
    actions: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
  };
};
