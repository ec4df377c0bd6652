/**
 * Configuration from the environment, validated once at start. A bad value stops the process with
 * one line naming the variable (see `formatConfigError`), never a stack trace.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

import { HostRole } from '../contract/common';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((value) => value === '1' || value === 'true');

const optionalUrl = (protocols: RegExp, hint: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || (protocols.test(value) && URL.canParse(value)), { message: hint });

const EnvSchema = z.object({
  OPSDECK_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  OPSDECK_HOST: z.string().min(1).default('127.0.0.1'),
  OPSDECK_DATABASE_URL: optionalUrl(
    /^postgres(ql)?:\/\//,
    'must be a postgres:// or postgresql:// URL (unset selects the embedded store)'
  ),
  OPSDECK_DATA_DIR: z.string().min(1).default('.opsdeck/data'),
  OPSDECK_API_TOKEN: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  OPSDECK_DEV_INSECURE: flag,
  OPSDECK_WEBHOOK_TOKEN: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  OPSDECK_CATALOG_DIR: z.string().min(1).default('catalog'),
  OPSDECK_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  OPSDECK_PROMETHEUS_URL: optionalUrl(/^https?:\/\//, 'must be an http(s):// URL of the Prometheus HTTP API'),
  OPSDECK_HOST_ROLE: HostRole.default('platform_control'),
  OPSDECK_GRAFANA_URL: z.string().default(''),
  OPSDECK_EXPLORE_LOKI_UID: z.string().min(1).default('loki'),
  OPSDECK_EXPLORE_TEMPO_UID: z.string().min(1).default('tempo'),
  OPSDECK_EXPLORE_PROMETHEUS_UID: z.string().min(1).default('prometheus'),
  OPSDECK_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).default(730),
  OPSDECK_EXECUTOR_BASE_URL: optionalUrl(
    /^https?:\/\//,
    'must be an http(s):// URL (the base of relative action executor URLs)'
  ),
  OPSDECK_EXECUTOR_TOKEN: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  OPSDECK_REMEDIATION_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000),
  OPSDECK_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  OPSDECK_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  OPSDECK_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)
    )
    .refine((entries) => entries.every(isProxyAddress), {
      message: 'must be a comma-separated list of IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal)',
    }),
});

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a CIDR range, or one of proxy-addr's names (what Fastify's trustProxy accepts). */
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) {
    return true;
  }
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return false;
  }
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

export interface Config {
  port: number;
  host: string;
  store: { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string };
  /** Service token required on /api/*; null only in dev-insecure mode. */
  apiToken: string | null;
  devInsecure: boolean;
  /** Token the alert senders (Grafana, Alertmanager) present; never the API token. Null: the intake refuses everyone (except in dev-insecure mode). */
  webhookToken: string | null;
  catalogDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  prometheusUrl: string | null;
  /** Host role this process runs on: the label of its platform_role_* counters (overview in_memory mode). */
  hostRole: HostRole;
  /** Base URL of Grafana for absolute links (empty: links stay relative to Grafana). */
  grafanaUrl: string;
  exploreDatasources: { loki: string; tempo: string; prometheus: string };
  auditRetentionDays: number;
  /** Base URL that relative executor URL templates of catalog actions resolve against. */
  executorBaseUrl: string | null;
  /** Bearer token sent to action executors (never stored in the catalog). */
  executorToken: string | null;
  /** How often the remediation worker looks for due executions, verifications and expiries; 0 = only on demand. */
  remediationIntervalMs: number;
  shutdownTimeoutMs: number;
  /** A request (headers and body) must arrive within this; slower ones are cut with 408. */
  requestTimeoutMs: number;
  /**
   * Addresses whose X-Forwarded-For / X-Forwarded-Proto are believed (the request's IP in audit rows
   * comes from them). Empty: none, the socket's address is the client.
   */
  trustedProxies: string[];
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  if (!e.OPSDECK_API_TOKEN && !e.OPSDECK_DEV_INSECURE) {
    throw new ConfigError(
      'OPSDECK_API_TOKEN',
      'is required (or set OPSDECK_DEV_INSECURE=1 for a local, unauthenticated API)'
    );
  }
  if (e.OPSDECK_API_TOKEN && e.OPSDECK_API_TOKEN.length < 16) {
    throw new ConfigError('OPSDECK_API_TOKEN', 'must be at least 16 characters');
  }
  // The webhook token is handed to every alert sender; the API token lets its holder speak for any
  // Grafana user. They must differ (issue 17 item 12). Without OPSDECK_WEBHOOK_TOKEN the intake answers
  // 401 to everyone (the rest of the API works): alert senders need a token of their own.
  if (e.OPSDECK_WEBHOOK_TOKEN && e.OPSDECK_WEBHOOK_TOKEN.length < 16) {
    throw new ConfigError('OPSDECK_WEBHOOK_TOKEN', 'must be at least 16 characters');
  }
  if (!e.OPSDECK_DEV_INSECURE && e.OPSDECK_WEBHOOK_TOKEN && e.OPSDECK_WEBHOOK_TOKEN === e.OPSDECK_API_TOKEN) {
    throw new ConfigError(
      'OPSDECK_WEBHOOK_TOKEN',
      'must differ from OPSDECK_API_TOKEN: alert senders must not hold the token that acts for Grafana users'
    );
  }
  return {
    port: e.OPSDECK_PORT,
    host: e.OPSDECK_HOST,
    store: e.OPSDECK_DATABASE_URL
      ? { kind: 'postgres', url: e.OPSDECK_DATABASE_URL }
      : { kind: 'embedded', dataDir: e.OPSDECK_DATA_DIR },
    apiToken: e.OPSDECK_API_TOKEN ?? null,
    devInsecure: e.OPSDECK_DEV_INSECURE,
    webhookToken: e.OPSDECK_WEBHOOK_TOKEN ?? null,
    catalogDir: e.OPSDECK_CATALOG_DIR,
    logLevel: e.OPSDECK_LOG_LEVEL,
    prometheusUrl: e.OPSDECK_PROMETHEUS_URL ?? null,
    hostRole: e.OPSDECK_HOST_ROLE,
    grafanaUrl: e.OPSDECK_GRAFANA_URL.replace(/\/+$/, ''),
    exploreDatasources: {
      loki: e.OPSDECK_EXPLORE_LOKI_UID,
      tempo: e.OPSDECK_EXPLORE_TEMPO_UID,
      prometheus: e.OPSDECK_EXPLORE_PROMETHEUS_UID,
    },
    auditRetentionDays: e.OPSDECK_AUDIT_RETENTION_DAYS,
    executorBaseUrl: e.OPSDECK_EXECUTOR_BASE_URL?.replace(/\/+$/, '') ?? null,
    executorToken: e.OPSDECK_EXECUTOR_TOKEN ?? null,
    remediationIntervalMs: e.OPSDECK_REMEDIATION_INTERVAL_MS,
    shutdownTimeoutMs: e.OPSDECK_SHUTDOWN_TIMEOUT_MS,
    requestTimeoutMs: e.OPSDECK_REQUEST_TIMEOUT_MS,
    trustedProxies: e.OPSDECK_TRUSTED_PROXIES,
  };
}

/**
 * Only the store and retention settings, for commands that open the database without serving
 * (`opsdeck audit verify`): they need no API token.
 */
export function loadStoreConfig(env: NodeJS.ProcessEnv = process.env): Pick<Config, 'store' | 'auditRetentionDays'> {
  const parsed = EnvSchema.pick({
    OPSDECK_DATABASE_URL: true,
    OPSDECK_DATA_DIR: true,
    OPSDECK_AUDIT_RETENTION_DAYS: true,
  }).safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  return {
    store: e.OPSDECK_DATABASE_URL
      ? { kind: 'postgres', url: e.OPSDECK_DATABASE_URL }
      : { kind: 'embedded', dataDir: e.OPSDECK_DATA_DIR },
    auditRetentionDays: e.OPSDECK_AUDIT_RETENTION_DAYS,
  };
}

/** The variables, their defaults and meaning: the README's configuration table is checked against it. */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape) as Array<keyof typeof EnvSchema.shape>;
