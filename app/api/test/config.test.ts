import { ConfigError, loadConfig } from '../src/config';

// The variables without a default besides DATABASE_URL: the identity provider's.
const oidc = {
  OIDC_ISSUER: 'https://login.example.com/realms/ecodata',
  OIDC_AUDIENCE: 'https://api.ecodata.example.com',
  OIDC_ROLE_MAPPING: '{"ecodata-editors":"editor","ecodata-viewers":"viewer"}',
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', ...oidc })).toEqual({
      databaseUrl: 'postgres://u@h/db',
      port: 8080,
      pgPoolMax: 10,
      pgConnectTimeoutMs: 2000,
      pgStatementTimeoutMs: 5000,
      logLevel: 'info',
      appVersion: 'dev',
      appEnv: 'local',
      shutdownTimeoutMs: 10000,
      jsonBodyLimitBytes: 65536,
      csvBodyLimitBytes: 33554432,
      managementPort: 9090,
      auth: {
        issuer: 'https://login.example.com/realms/ecodata',
        audience: 'https://api.ecodata.example.com',
        roleClaim: 'groups',
        roleMapping: { 'ecodata-editors': 'editor', 'ecodata-viewers': 'viewer' },
        algorithms: ['RS256', 'PS256', 'ES256'],
        anonymousRead: false,
        jwksCooldownMs: 30000,
      },
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@h/db',
      ...oidc,
      PORT: '9000',
      MANAGEMENT_PORT: '9100',
      OIDC_ROLE_CLAIM: 'realm_access.roles',
      OIDC_ALGORITHMS: 'ES256, EdDSA',
      ANONYMOUS_READ: 'true',
      OIDC_JWKS_COOLDOWN_MS: '1000',
      PG_POOL_MAX: '3',
      LOG_LEVEL: 'debug',
      APP_VERSION: '1.2.3',
      APP_ENV: 'prod',
      SHUTDOWN_TIMEOUT_MS: '2500',
    });
    expect(config).toMatchObject({ port: 9000, managementPort: 9100, pgPoolMax: 3, logLevel: 'debug', appVersion: '1.2.3', appEnv: 'prod', shutdownTimeoutMs: 2500 });
    expect(config.auth).toMatchObject({ roleClaim: 'realm_access.roles', algorithms: ['ES256', 'EdDSA'], anonymousRead: true, jwksCooldownMs: 1000 });
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '80a', PG_POOL_MAX: '0', APP_ENV: 'staging', LOG_LEVEL: '' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL is required');
    expect(message).toContain('PORT must be a whole number');
    expect(message).toContain('PG_POOL_MAX');
    expect(message).toContain('APP_ENV');
    expect(message).not.toContain('LOG_LEVEL');
  });

  it('rejects a DATABASE_URL that is not a postgres URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', ...oidc })).toThrow('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });

  it('needs the identity provider settings, naming each', () => {
    const message = problems({ DATABASE_URL: 'postgres://u@h/db' });
    expect(message).toContain('OIDC_ISSUER is required');
    expect(message).toContain('OIDC_AUDIENCE is required');
    expect(message).toContain('OIDC_ROLE_MAPPING is required');
  });

  it.each([
    ['OIDC_ALGORITHMS', 'none', 'OIDC_ALGORITHMS must not include none'],
    ['OIDC_ALGORITHMS', 'ES256,HS256', 'OIDC_ALGORITHMS must not include HS256'],
    ['OIDC_ALGORITHMS', 'hs512', 'OIDC_ALGORITHMS must not include hs512'],
    ['OIDC_ALGORITHMS', 'ES257', 'OIDC_ALGORITHMS has unknown algorithm ES257'],
    ['OIDC_ISSUER', 'http://login.example.com', 'OIDC_ISSUER must be an https:// URL'],
    ['OIDC_ISSUER', 'login.example.com', 'OIDC_ISSUER must be a URL'],
    ['OIDC_ROLE_MAPPING', '{"ecodata-admins":"admin"}', 'OIDC_ROLE_MAPPING.ecodata-admins must map to "viewer" or "editor"'],
    ['OIDC_ROLE_MAPPING', '["editor"]', 'OIDC_ROLE_MAPPING must be a JSON object'],
    ['OIDC_ROLE_MAPPING', '{}', 'OIDC_ROLE_MAPPING must map at least one claim value to a role'],
    ['OIDC_ROLE_MAPPING', '{editor}', 'OIDC_ROLE_MAPPING must be a JSON object such as'],
    ['ANONYMOUS_READ', 'yes', 'ANONYMOUS_READ must be true or false'],
  ])('refuses %s=%s', (name, value, expected) => {
    expect(problems({ DATABASE_URL: 'postgres://u@h/db', ...oidc, [name]: value })).toContain(expected);
  });

  it('accepts http:// issuers on loopback hosts only (the local provider)', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', ...oidc, OIDC_ISSUER: 'http://127.0.0.1:4000' }).auth.issuer).toBe('http://127.0.0.1:4000');
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', ...oidc, OIDC_ISSUER: 'http://localhost:4000' }).auth.issuer).toBe('http://localhost:4000');
  });

  it('refuses the same port for the application and management', () => {
    expect(problems({ DATABASE_URL: 'postgres://u@h/db', ...oidc, PORT: '9090' })).toContain('MANAGEMENT_PORT must differ from PORT');
  });
});

function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted the environment');
}
