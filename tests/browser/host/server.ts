/**
 * The host's server side: stands in for Grafana's HTTP server for one app plugin.
 * - serves the host page (with grafanaBootData for the requested theme/role/user), the host bundle,
 *   the BUILT plugin from dist/ at /public/plugins/<id>/, @grafana/ui's icons and the Inter fonts;
 * - signs a user in (?user=…&role=Viewer|Editor|Admin&grant=Approver,…&revoke=Operator,…) with the
 *   permissions Grafana would give them: the plugin.json roles granted to their basic role (and the basic
 *   roles below it, as Grafana's basic roles inherit), plus the roles a Grafana admin assigned (`grant`),
 *   minus the ones taken away (`revoke`); they go to the page as bootData.user.permissions;
 * - answers /api/plugin-proxy/<id>/<route>/… the way Grafana's plugin proxy does: the first route of
 *   dist/plugin.json matching path and method wins; its `reqAction` is evaluated against the signed-in
 *   user's permissions (`reqRole` against the basic role only when a route has no reqAction), a refusal is
 *   403 "plugin proxy route access denied"; then it fills `{{ .JsonData.* }}` and
 *   `{{ .SecureJsonData.* }}` templates in their url and headers, adds X-Grafana-User (as with
 *   send_user_header) and forwards to the running companion API;
 * - keeps the app's settings (jsonData, and which secure fields are set) for the config page;
 * - for the nested datasource (dist/datasource/): serves its module at /public/plugins/<ds-id>/, keeps one
 *   instance (uid `opsdeck`, GET/PUT /api/datasources/uid/opsdeck, secure fields reported, never
 *   returned) and answers /api/datasources/proxy/uid/opsdeck/<route>/… by the routes of
 *   dist/datasource/plugin.json, the way Grafana's data proxy does;
 * - the datasource is a backend datasource: /api/ds/query, /api/datasources/uid/opsdeck/health and
 *   …/resources/… go to dsbridge (tests/browser/host/dsbridge.ts), which runs the built Go executable
 *   as Grafana's server does, with this instance's settings and the signed-in user.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const SPINNER_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2a10 10 0 1 0 10 10h-2a8 8 0 1 1-8-8V2z"/></svg>';

const ROLE_RANK: Record<string, number> = { Viewer: 1, Editor: 2, Admin: 3 };

const MIME: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.md': 'text/markdown',
};

/** The one datasource instance the host keeps (Grafana's provisioning gives the Opsdeck one this uid). */
const DATASOURCE_UID = 'opsdeck';

/** A file under `dir` named by a URL path, never above it. */
function inside(dir: string, relative: string): string {
  return path.join(dir, path.normalize(relative).replace(/^(\.\.[/\\])+/, ''));
}

interface PluginRoute {
  path: string;
  method?: string;
  reqRole?: string;
  reqAction?: string;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface HostOptions {
  root: string;
  hostBuildDir: string;
  /** Where the plugin proxy forwards (the companion API's base URL). */
  apiUrl: string;
  apiToken: string;
  /** The signed-in user when the page URL names none (?user=…&role=…). */
  defaultUser: string;
  defaultRole: 'Viewer' | 'Editor' | 'Admin';
  /**
   * dsbridge's URL: Grafana's server side of the backend datasource. Absent for hosts that never load the
   * datasource (the storm spec, the ops-page bench): its calls then answer 503.
   */
  dsBridgeUrl?: string;
  /** The Opsdeck roles a Grafana admin assigned to the default user (when the URL names neither user nor grant). */
  defaultGrant: string[];
}

type BasicRole = 'Viewer' | 'Editor' | 'Admin';
interface PluginRole {
  role: { name: string; permissions: Array<{ action: string }> };
  grants: string[];
}

/** A signed-in user: login, basic role, and the plugin roles assigned to (or taken from) them. */
export interface HostUser {
  login: string;
  role: BasicRole;
  grant: string[];
  revoke: string[];
}

const listParam = (value: string | null) => (value ? value.split(',').filter(Boolean) : []);

/** Grafana's RBAC for one user: the plugin roles their basic role inherits, plus grants, minus revokes. */
export function permissionsOf(user: HostUser, roles: PluginRole[]): Record<string, boolean> {
  const held = roles.filter((r) => {
    if (user.revoke.includes(r.role.name)) {
      return false;
    }
    const byBasicRole = r.grants.some((basic) => (ROLE_RANK[basic] ?? 99) <= (ROLE_RANK[user.role] ?? 0));
    return byBasicRole || user.grant.includes(r.role.name);
  });
  return Object.fromEntries(held.flatMap((r) => r.role.permissions.map((p) => [p.action, true] as const)));
}

export interface HostServer {
  url: string;
  close(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<HostServer> {
  const dist = path.join(options.root, 'dist');
  const pluginJson = JSON.parse(readFileSync(path.join(dist, 'plugin.json'), 'utf8'));
  const pluginId: string = pluginJson.id;
  const routes: PluginRoute[] = pluginJson.routes ?? [];
  const settings = {
    enabled: true,
    pinned: true,
    jsonData: {
      apiUrl: options.apiUrl,
      prometheusDatasourceUid: 'prometheus',
      lokiDatasourceUid: 'loki',
      tempoDatasourceUid: 'tempo',
      webhookTokenHint: 'env OPSDECK_WEBHOOK_TOKEN on the API host',
    },
    secureJsonFields: { apiToken: true },
  };
  const secureJsonData: Record<string, string> = { apiToken: options.apiToken };

  const dataSourceDir = path.join(dist, 'datasource');
  const dataSourcePluginJson = JSON.parse(readFileSync(path.join(dataSourceDir, 'plugin.json'), 'utf8'));
  const dataSourceId: string = dataSourcePluginJson.id;
  const dataSourceRoutes: PluginRoute[] = dataSourcePluginJson.routes ?? [];
  const dataSource = {
    id: 1,
    uid: DATASOURCE_UID,
    orgId: 1,
    name: 'Opsdeck',
    type: dataSourceId,
    typeName: dataSourcePluginJson.name,
    typeLogoUrl: `public/plugins/${dataSourceId}/img/logo.svg`,
    access: 'proxy' as const,
    url: `/api/datasources/proxy/uid/${DATASOURCE_UID}`,
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    withCredentials: false,
    isDefault: false,
    readOnly: false,
    jsonData: { apiUrl: options.apiUrl, defaultProject: '*' } as Record<string, unknown>,
  };
  const dataSourceSecure: Record<string, string> = { apiToken: options.apiToken };
  // Grafana's `updated`: the SDK keeps one backend instance per settings version, so a save makes a new one.
  let dataSourceUpdated = Date.now();

  const fontFiles: Record<string, string> = {
    'inter/Inter-Regular.woff2': '@fontsource/inter/files/inter-latin-400-normal.woff2',
    'inter/Inter-Medium.woff2': '@fontsource/inter/files/inter-latin-500-normal.woff2',
    'inter/Inter-Italic.woff2': '@fontsource/inter/files/inter-latin-400-italic.woff2',
    'inter/Inter-MediumItalic.woff2': '@fontsource/inter/files/inter-latin-500-italic.woff2',
  };
  const modules = path.join(options.root, 'node_modules');

  function sendFile(response: http.ServerResponse, file: string) {
    if (!existsSync(file)) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${file}`);
      return;
    }
    response.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    response.end(readFileSync(file));
  }

  const pluginRoles: PluginRole[] = pluginJson.roles ?? [];

  function userOf(url: URL): HostUser {
    const named = url.searchParams.has('user') || url.searchParams.has('grant');
    return {
      login: url.searchParams.get('user') ?? options.defaultUser,
      role: (url.searchParams.get('role') as BasicRole | null) ?? options.defaultRole,
      grant: named ? listParam(url.searchParams.get('grant')) : options.defaultGrant,
      revoke: listParam(url.searchParams.get('revoke')),
    };
  }

  /** The user of a proxied call: the page's, remembered in a cookie (Grafana has its session cookie). */
  function cookieUser(request: http.IncomingMessage): HostUser {
    const cookie = /opsdeck_host_user=([^;]+)/.exec(request.headers.cookie ?? '');
    if (!cookie) {
      return { login: options.defaultUser, role: options.defaultRole, grant: options.defaultGrant, revoke: [] };
    }
    return JSON.parse(decodeURIComponent(cookie[1])) as HostUser;
  }

  function hostPage(url: URL): string {
    const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
    const user = userOf(url);
    const { role, login } = user;
    const bootData = {
      settings: {
        appSubUrl: '',
        appUrl: url.origin + '/',
        buildInfo: { version: '12.3.0', commit: 'host', env: 'production' },
        featureToggles: {},
      },
      user: {
        id: 1,
        login,
        name: login,
        email: `${login}@example.com`,
        orgId: 1,
        orgName: 'Main Org.',
        orgRole: role,
        permissions: permissionsOf(user, pluginRoles),
        isSignedIn: true,
        isGrafanaAdmin: false,
        theme,
        timezone: 'utc',
        locale: 'en-US',
        language: 'en-US',
      },
      navTree: [],
      assets: { dark: '', light: '' },
    };
    const host = { pluginId, pluginJson: { ...pluginJson, ...settings }, dataSourcePluginJson };
    const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Opsdeck · plugin host</title>
<link rel="stylesheet" href="/host/host.css">
<script>
window.grafanaBootData = ${json(bootData)};
window.__grafana_public_path__ = '/public/';
window.opsdeckHost = ${json(host)};
</script>
</head>
<body class="theme-${theme}">
<div id="reactRoot"></div>
<script src="/host/host.js"></script>
</body>
</html>`;
  }

  async function readBody(request: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** Fills a route's `{{ .JsonData.x }}` and `{{ .SecureJsonData.x }}` from one plugin's (or instance's) settings. */
  function filler(jsonData: Record<string, unknown>, secure: Record<string, string>) {
    return (template: string) =>
      template
        .replace(/\{\{\s*\.JsonData\.(\w+)\s*\}\}/g, (_m, key: string) => String(jsonData[key] ?? ''))
        .replace(/\{\{\s*\.SecureJsonData\.(\w+)\s*\}\}/g, (_m, key: string) => secure[key] ?? '');
  }

  /** Grafana's server calling the backend datasource: the same path on dsbridge, with the instance's settings. */
  async function toBackend(request: http.IncomingMessage, response: http.ServerResponse, url: URL) {
    const { login: user, role } = cookieUser(request);
    const instance = {
      uid: DATASOURCE_UID,
      jsonData: dataSource.jsonData,
      secureJsonData: dataSourceSecure,
      user,
      role,
      updated: dataSourceUpdated,
    };
    const method = request.method ?? 'GET';
    if (!options.dsBridgeUrl) {
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"no backend datasource here"}');
      return;
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await readBody(request));
    try {
      const answer = await fetch(new URL(url.pathname + url.search, options.dsBridgeUrl), {
        method,
        headers: { 'content-type': 'application/json', 'x-opsdeck-instance': JSON.stringify(instance) },
        body,
      });
      response
        .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
        .end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      response
        .writeHead(502, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: `plugin unavailable: ${(error as Error).message}` }));
    }
  }

  /** Grafana's plugin proxy (app routes) and data proxy (datasource routes): one route table each. */
  async function proxy(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    url: URL,
    rest: string,
    routes: PluginRoute[],
    fill: (template: string) => string
  ) {
    const user = cookieUser(request);
    const login = user.login;
    const method = request.method ?? 'GET';
    const route = routes.find((candidate) => {
      // `read/*` matches what follows it; a bare `opsdeck` (the datasource's route) matches itself and below.
      const prefix = candidate.path.replace(/\*$/, '');
      const matches = prefix.endsWith('/') ? rest.startsWith(prefix) : rest === prefix || rest.startsWith(`${prefix}/`);
      return matches && (!candidate.method || candidate.method === '*' || candidate.method === method);
    });
    if (!route) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: 'Plugin route not found' }));
      return;
    }
    // As Grafana's hasAccessToRoute: reqAction when set (plugin actions are evaluated without a scope), else reqRole.
    const allowed = route.reqAction
      ? permissionsOf(user, pluginRoles)[route.reqAction] === true
      : (ROLE_RANK[user.role] ?? 0) >= (ROLE_RANK[route.reqRole ?? 'Viewer'] ?? 0);
    if (!allowed) {
      response
        .writeHead(403, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: 'plugin proxy route access denied' }));
      return;
    }
    const target = new URL(
      fill(route.url).replace(/\/$/, '') +
        '/' +
        rest.slice(route.path.replace(/\*$/, '').length).replace(/^\//, '') +
        url.search
    );
    const headers: Record<string, string> = { 'x-grafana-user': login, 'x-grafana-org-id': '1' };
    for (const name of ['content-type', 'accept', 'x-project-id', 'x-correlation-id']) {
      const value = request.headers[name];
      if (typeof value === 'string') {
        headers[name] = value;
      }
    }
    for (const header of route.headers ?? []) {
      headers[header.name.toLowerCase()] = fill(header.content);
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await readBody(request));
    try {
      const answer = await fetch(target, { method, headers, body });
      const passHeaders: Record<string, string> = {};
      for (const name of ['content-type', 'x-correlation-id']) {
        const value = answer.headers.get(name);
        if (value) {
          passHeaders[name] = value;
        }
      }
      response.writeHead(answer.status, passHeaders).end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      response
        .writeHead(502, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: `Bad Gateway: ${(error as Error).message}` }));
    }
  }

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://host.local');
    const pathname = decodeURIComponent(url.pathname);
    try {
      if (pathname === '/favicon.ico') {
        sendFile(response, path.join(dist, 'img', 'logo.svg'));
      } else if (pathname === '/') {
        response.writeHead(302, { location: `/a/${pluginId}/ops` }).end();
      } else if (
        pathname.startsWith('/a/') ||
        pathname.startsWith('/plugins/') ||
        pathname.startsWith('/datasources/')
      ) {
        // The page's user, remembered for the proxy calls it makes (Grafana has its session cookie).
        const user = encodeURIComponent(JSON.stringify(userOf(url)));
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'set-cookie': `opsdeck_host_user=${user}; Path=/; SameSite=Strict`,
        });
        response.end(hostPage(url));
      } else if (pathname.startsWith('/host/')) {
        sendFile(response, path.join(options.hostBuildDir, path.basename(pathname)));
      } else if (pathname.startsWith(`/public/plugins/${pluginId}/`)) {
        sendFile(response, inside(dist, pathname.slice(`/public/plugins/${pluginId}/`.length)));
      } else if (pathname === '/public/build/img/icons/unicons/spinner.svg') {
        // Grafana's public folder has this icon; @grafana/ui's package does not ship it.
        response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SPINNER_SVG);
      } else if (pathname.startsWith('/public/build/img/icons/')) {
        sendFile(
          response,
          inside(
            path.join(modules, '@grafana/ui/dist/public/img/icons'),
            pathname.slice('/public/build/img/icons/'.length)
          )
        );
      } else if (pathname.startsWith('/public/fonts/')) {
        const rel = pathname.slice('/public/fonts/'.length);
        const file =
          fontFiles[rel] ??
          (rel.startsWith('roboto/') ? '@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2' : null);
        sendFile(response, file ? path.join(modules, file) : path.join(modules, 'missing-font'));
      } else if (pathname === `/api/plugins/${pluginId}/settings`) {
        if (request.method === 'POST') {
          const update = JSON.parse((await readBody(request)).toString() || '{}');
          Object.assign(settings.jsonData, update.jsonData ?? {});
          for (const [key, value] of Object.entries<string>(update.secureJsonData ?? {})) {
            secureJsonData[key] = value;
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(settings));
      } else if (pathname.startsWith(`/api/plugin-proxy/${pluginId}/`)) {
        await proxy(
          request,
          response,
          url,
          pathname.slice(`/api/plugin-proxy/${pluginId}/`.length),
          routes,
          filler(settings.jsonData, secureJsonData)
        );
      } else if (pathname.startsWith(`/public/plugins/${dataSourceId}/`)) {
        sendFile(response, inside(dataSourceDir, pathname.slice(`/public/plugins/${dataSourceId}/`.length)));
      } else if (pathname === `/api/datasources/uid/${DATASOURCE_UID}`) {
        if (request.method === 'PUT') {
          // As Grafana: jsonData replaced, a secure value stored (never echoed), a reset field cleared.
          const update = JSON.parse((await readBody(request)).toString() || '{}');
          dataSource.jsonData = update.jsonData ?? dataSource.jsonData;
          dataSourceUpdated = Date.now();
          for (const [key, value] of Object.entries<string>(update.secureJsonData ?? {})) {
            dataSourceSecure[key] = value;
          }
          for (const [key, set] of Object.entries<boolean>(update.secureJsonFields ?? {})) {
            if (!set && !update.secureJsonData?.[key]) {
              delete dataSourceSecure[key];
            }
          }
        }
        // Which secure values are set, never the values: read off what is stored.
        const secureJsonFields = Object.fromEntries(Object.keys(dataSourceSecure).map((key) => [key, true]));
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ...dataSource, secureJsonFields }));
      } else if (
        pathname === '/api/ds/query' ||
        pathname === `/api/datasources/uid/${DATASOURCE_UID}/health` ||
        pathname.startsWith(`/api/datasources/uid/${DATASOURCE_UID}/resources/`)
      ) {
        await toBackend(request, response, url);
      } else if (pathname.startsWith(`/api/datasources/proxy/uid/${DATASOURCE_UID}/`)) {
        await proxy(
          request,
          response,
          url,
          pathname.slice(`/api/datasources/proxy/uid/${DATASOURCE_UID}/`.length),
          dataSourceRoutes,
          filler(dataSource.jsonData, dataSourceSecure)
        );
      } else {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: `not served by the plugin host: ${pathname}` }));
      }
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
