// The identities of the LOCAL OpenID provider (`npm run dev` and the tests): fixed, documented,
// and worthless anywhere else. Nothing here is a real credential: every secret below is
// published in this repository on purpose, and the provider only ever listens on 127.0.0.1.

/** The API's audience (RFC 8707 resource indicator) in the local provider. */
export const LOCAL_API_AUDIENCE = 'https://api.ecodata.local';
/** A second resource the local provider issues tokens for: tokens the API must refuse. */
export const OTHER_AUDIENCE = 'https://other.ecodata.local';

/** The claim the local provider puts roles in, and how the apps map its values to roles. */
export const LOCAL_ROLE_CLAIM = 'groups';
export const LOCAL_ROLE_MAPPING: Readonly<Record<string, 'viewer' | 'editor'>> = {
  'ecodata-editors': 'editor',
  'ecodata-viewers': 'viewer',
};

export interface LocalUser {
  readonly login: string;
  readonly password: string;
  readonly name: string;
  readonly groups: readonly string[];
}

/** One person per role, plus one who has none. `sub` is the login. */
export const LOCAL_USERS = {
  editor: { login: 'editor', password: 'editor-local-only', name: 'Eddie Editor (local)', groups: ['ecodata-editors'] },
  viewer: { login: 'viewer', password: 'viewer-local-only', name: 'Vera Viewer (local)', groups: ['ecodata-viewers'] },
  outsider: { login: 'outsider', password: 'outsider-local-only', name: 'Otto Outsider (local)', groups: [] },
} as const satisfies Record<string, LocalUser>;
export type LocalLogin = keyof typeof LOCAL_USERS;

/** The front's confidential client (authorization code + PKCE, refresh tokens). */
export const LOCAL_FRONT_CLIENT = { clientId: 'ecodata-front', clientSecret: 'local-only-front-secret' } as const;

/** Machine clients (client credentials); their tokens' `sub` is the client id. */
export const LOCAL_MACHINE_CLIENTS = {
  'station-uploader': { groups: ['ecodata-editors'], accessTokenTtlSeconds: 600 },
  'readonly-reporter': { groups: ['ecodata-viewers'], accessTokenTtlSeconds: 600 },
  'unmapped-client': { groups: [], accessTokenTtlSeconds: 600 },
  'short-lived-reporter': { groups: ['ecodata-viewers'], accessTokenTtlSeconds: 2 },
} as const;
export type LocalMachineClient = keyof typeof LOCAL_MACHINE_CLIENTS;
export const machineClientSecret = (clientId: LocalMachineClient): string => `${clientId}-local-only`;

/**
 * A client that only `userToken()` uses to run the authorization-code flow over HTTP (tests,
 * scripts): its redirect URI is never fetched, the code is read from the redirect's Location.
 */
export const LOCAL_TOKEN_HELPER_CLIENT = {
  clientId: 'token-helper',
  clientSecret: 'token-helper-local-only',
  redirectUri: 'http://127.0.0.1/token-helper/callback',
} as const;
