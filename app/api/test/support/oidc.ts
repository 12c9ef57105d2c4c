// Tokens for the API tests from the REAL local OpenID provider (tools/oidc: the `oidc-provider`
// library in its own process), never from a token-minting stub.
//
// app/api/jest.config.js's globalSetup starts one provider for the whole run (see
// global-setup.ts), exports its issuer in ECODATA_TEST_OIDC_ISSUER and signs in each local user
// once through the real authorization-code + PKCE flow (their tokens live an hour, longer than
// a run, and travel in ECODATA_TEST_USER_TOKENS). Machine tokens are asked for in the test
// process itself, with the client-credentials grant against that provider.
import type { AuthConfig } from '../../src/auth/config';
import { LOCAL_API_AUDIENCE, LOCAL_ROLE_CLAIM, LOCAL_ROLE_MAPPING, type LocalLogin, type LocalMachineClient } from '../../../../tools/oidc/local-identities';
import { localMachineToken, startLocalOidcProvider, type LocalOidcProvider } from '../../../../tools/oidc/local-provider';

export const issuerVariable = 'ECODATA_TEST_OIDC_ISSUER';
const userTokensVariable = 'ECODATA_TEST_USER_TOKENS';
/** Users' access tokens from the shared provider outlive any test run. */
const userTokenTtlSeconds = 3600;

/** For globalSetup: one provider for the run, its issuer and the users' tokens in the environment. */
export async function startSharedProvider(): Promise<LocalOidcProvider> {
  const provider = await startLocalOidcProvider({ userAccessTokenTtlSeconds: userTokenTtlSeconds });
  const logins: LocalLogin[] = ['editor', 'viewer', 'outsider'];
  const tokens = Object.fromEntries(await Promise.all(logins.map(async (login) => [login, await provider.userToken(login)])));
  process.env[issuerVariable] = provider.issuer;
  process.env[userTokensVariable] = JSON.stringify(tokens);
  return provider;
}

/** The issuer of the run's provider; fails with the reason when there is none. */
export function testIssuer(): string {
  const issuer = process.env[issuerVariable];
  if (!issuer) {
    throw new Error(`${issuerVariable} is not set: the API tests need the local OpenID provider that app/api/jest.config.js's globalSetup starts (or pass auth explicitly)`);
  }
  return issuer;
}

/** The API's auth settings for the local provider (what `npm run dev` uses too). */
export function testAuthConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    issuer: overrides.issuer ?? testIssuer(),
    audience: LOCAL_API_AUDIENCE,
    roleClaim: LOCAL_ROLE_CLAIM,
    roleMapping: LOCAL_ROLE_MAPPING,
    algorithms: ['RS256', 'PS256', 'ES256'],
    anonymousRead: false,
    jwksCooldownMs: 30_000,
    ...overrides,
  };
}

/** A signed-in user's access token (authorization code + PKCE at the shared provider). */
export function userToken(login: LocalLogin): string {
  const tokens = JSON.parse(process.env[userTokensVariable] ?? '{}') as Partial<Record<LocalLogin, string>>;
  const token = tokens[login];
  if (!token) throw new Error(`no token for ${login}: ${userTokensVariable} is set by app/api's globalSetup`);
  return token;
}

const machineTokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();

/**
 * A client-credentials access token of a local machine client, for `resource` (default: the
 * API's audience). Reused while it has more than a minute left, except the short-lived client's.
 */
export async function machineToken(client: LocalMachineClient, options: { resource?: string; issuer?: string } = {}): Promise<string> {
  const issuer = options.issuer ?? testIssuer();
  const resource = options.resource ?? LOCAL_API_AUDIENCE;
  const key = `${issuer} ${client} ${resource}`;
  const cached = machineTokens.get(key);
  if (cached && client !== 'short-lived-reporter') {
    const { token, expiresAt } = await cached;
    if (expiresAt - Date.now() > 60_000) return token;
  }
  const fetched = requestMachineToken(issuer, client, resource);
  machineTokens.set(key, fetched);
  fetched.catch(() => machineTokens.delete(key));
  return (await fetched).token;
}

/** The launcher's client-credentials request; the expiry is read from the token itself. */
async function requestMachineToken(issuer: string, client: LocalMachineClient, resource: string): Promise<{ token: string; expiresAt: number }> {
  const token = await localMachineToken(issuer, client, resource);
  const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { exp: number };
  return { token, expiresAt: exp * 1000 };
}

/** The default token of the API tests: the station uploader, an editor machine client. */
export const editorToken = (): Promise<string> => machineToken('station-uploader');
