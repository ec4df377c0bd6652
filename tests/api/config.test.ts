import { ConfigError, loadConfig } from '../../src/api/config';

const TOKEN = 'a-service-token-of-32-characters';

describe('loadConfig', () => {
  it('applies the documented defaults with the embedded store', () => {
    const config = loadConfig({ OPSDECK_API_TOKEN: TOKEN });
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      store: { kind: 'embedded', dataDir: '.opsdeck/data' },
      apiToken: TOKEN,
      // No fallback to the API token: alert senders need their own (issue 17 item 12).
      webhookToken: null,
      devInsecure: false,
      catalogDir: 'catalog',
      logLevel: 'info',
      prometheusUrl: null,
    });
  });

  it('selects PostgreSQL for a postgres:// URL', () => {
    const config = loadConfig({ OPSDECK_API_TOKEN: TOKEN, OPSDECK_DATABASE_URL: 'postgres://opsdeck@db:5432/opsdeck' });
    expect(config.store).toEqual({ kind: 'postgres', url: 'postgres://opsdeck@db:5432/opsdeck' });
  });

  it.each([
    [{ OPSDECK_PORT: 'eighty' }, 'OPSDECK_PORT'],
    [{ OPSDECK_PORT: '70000' }, 'OPSDECK_PORT'],
    [{ OPSDECK_DATABASE_URL: 'mysql://db/opsdeck' }, 'OPSDECK_DATABASE_URL'],
    [{ OPSDECK_LOG_LEVEL: 'loud' }, 'OPSDECK_LOG_LEVEL'],
    [{ OPSDECK_PROMETHEUS_URL: 'prometheus:9090' }, 'OPSDECK_PROMETHEUS_URL'],
    [{ OPSDECK_DEV_INSECURE: 'yes' }, 'OPSDECK_DEV_INSECURE'],
    [{ OPSDECK_WEBHOOK_TOKEN: TOKEN }, 'OPSDECK_WEBHOOK_TOKEN'],
    [{ OPSDECK_WEBHOOK_TOKEN: 'short' }, 'OPSDECK_WEBHOOK_TOKEN'],
    [{ OPSDECK_TRUSTED_PROXIES: '10.0.0.1,not-an-address' }, 'OPSDECK_TRUSTED_PROXIES'],
    [{ OPSDECK_TRUSTED_PROXIES: '10.0.0.0/33' }, 'OPSDECK_TRUSTED_PROXIES'],
  ])('names the variable of a bad value %p', (env, variable) => {
    expect(() => loadConfig({ OPSDECK_API_TOKEN: TOKEN, ...env })).toThrow(ConfigError);
    try {
      loadConfig({ OPSDECK_API_TOKEN: TOKEN, ...env });
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as ConfigError).message).not.toContain('\n');
    }
  });

  it('reads trusted proxies as addresses and CIDR ranges; none by default', () => {
    expect(loadConfig({ OPSDECK_API_TOKEN: TOKEN }).trustedProxies).toEqual([]);
    expect(
      loadConfig({ OPSDECK_API_TOKEN: TOKEN, OPSDECK_TRUSTED_PROXIES: ' 10.0.0.0/8, ::1 ,loopback,192.168.1.7' })
        .trustedProxies
    ).toEqual(['10.0.0.0/8', '::1', 'loopback', '192.168.1.7']);
  });

  it('requires a token unless dev-insecure mode is asked for explicitly', () => {
    expect(() => loadConfig({})).toThrow(/OPSDECK_API_TOKEN/);
    expect(() => loadConfig({ OPSDECK_API_TOKEN: 'short' })).toThrow(/at least 16/);
    const insecure = loadConfig({ OPSDECK_DEV_INSECURE: '1' });
    expect(insecure.devInsecure).toBe(true);
    expect(insecure.apiToken).toBeNull();
  });
});
