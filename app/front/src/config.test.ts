import { ConfigError, loadConfig } from './config';

const VALID = {
  API_URL: 'http://api:8080/',
  PUBLIC_URL: 'https://ecodata.example.org/',
  OIDC_ISSUER: 'https://login.example.org/realms/eco',
  OIDC_CLIENT_ID: 'ecodata-front',
  OIDC_CLIENT_SECRET: 'from-a-secret',
  OIDC_API_AUDIENCE: 'https://api.ecodata.example.org',
  OIDC_ROLE_MAPPING: '{"eco-editors":"editor","eco-viewers":"viewer"}',
  SESSION_SECRET: 'x'.repeat(32),
};

function errorOf(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the production defaults', () => {
    const config = loadConfig(VALID);
    expect(config).toMatchObject({
      apiUrl: 'http://api:8080',
      apiManagementUrl: 'http://api:8080',
      publicUrl: 'https://ecodata.example.org',
      port: 8080,
      managementPort: 9090,
      anonymousRead: false,
      trustProxy: false,
      oidc: { roleClaim: 'groups', roleMapping: { 'eco-editors': 'editor', 'eco-viewers': 'viewer' } },
    });
  });

  it('reads the booleans and the management URL', () => {
    const config = loadConfig({ ...VALID, ANONYMOUS_READ: 'true', TRUST_PROXY: 'true', API_MANAGEMENT_URL: 'http://api:9090', MANAGEMENT_PORT: '9191' });
    expect([config.anonymousRead, config.trustProxy, config.apiManagementUrl, config.managementPort]).toEqual([true, true, 'http://api:9090', 9191]);
    expect(errorOf({ ...VALID, TRUST_PROXY: 'yes' })).toContain('TRUST_PROXY: TRUST_PROXY must be true or false');
  });

  it('names every missing secret and identity setting', () => {
    const message = errorOf({ API_URL: 'http://api:8080' });
    for (const name of ['PUBLIC_URL', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_API_AUDIENCE', 'OIDC_ROLE_MAPPING', 'SESSION_SECRET']) {
      expect(message).toContain(`${name}:`);
    }
  });

  it('refuses a short session secret, a bad role mapping and a plain-http issuer off this machine', () => {
    expect(errorOf({ ...VALID, SESSION_SECRET: 'short' })).toContain('SESSION_SECRET must be at least 32 characters');
    expect(errorOf({ ...VALID, OIDC_ROLE_MAPPING: 'editors=editor' })).toContain('OIDC_ROLE_MAPPING must be JSON');
    expect(errorOf({ ...VALID, OIDC_ROLE_MAPPING: '{"eco-admins":"admin"}' })).toContain('OIDC_ROLE_MAPPING values must be "viewer" or "editor"');
    expect(errorOf({ ...VALID, OIDC_ROLE_MAPPING: '{}' })).toContain('must map at least one claim value');
    expect(errorOf({ ...VALID, OIDC_ISSUER: 'http://login.example.org' })).toContain('OIDC_ISSUER must use https');
    expect(loadConfig({ ...VALID, OIDC_ISSUER: 'http://127.0.0.1:4000' }).oidc.issuer).toBe('http://127.0.0.1:4000');
  });
});
