// Starts the local OpenID provider (provider-server.mjs, the real `oidc-provider` library) in
// its own Node process, for `npm run dev` and the tests, and drives it the way its clients do:
// client-credentials tokens, and a user's token through the real authorization-code + PKCE
// flow (login form included) over plain HTTP. Signing keys are generated here, so rotating
// them is a restart on the same port with a new key.
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { repositoryRoot } from '../repo-root';
import {
  LOCAL_API_AUDIENCE,
  LOCAL_FRONT_CLIENT,
  LOCAL_MACHINE_CLIENTS,
  LOCAL_TOKEN_HELPER_CLIENT,
  LOCAL_USERS,
  type LocalLogin,
  type LocalMachineClient,
  machineClientSecret,
  OTHER_AUDIENCE,
} from './local-identities';

export interface LocalOidcProviderOptions {
  /** Port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /** Redirect URIs registered for the front's client. @default [] */
  readonly frontRedirectUris?: readonly string[];
  /** Post-logout redirect URIs registered for the front's client. @default [] */
  readonly frontPostLogoutRedirectUris?: readonly string[];
  /** Lifetime of users' access tokens, in seconds. @default 300 */
  readonly userAccessTokenTtlSeconds?: number;
  /** Where the provider's own log lines go. @default dropped */
  readonly log?: (line: string) => void;
}

export interface LocalOidcProvider {
  /** The issuer URL, http://127.0.0.1:<port>. */
  readonly issuer: string;
  /** A client-credentials JWT access token; audience LOCAL_API_AUDIENCE unless `resource` is given. */
  machineToken(client: LocalMachineClient, resource?: string): Promise<string>;
  /** A user's JWT access token, through the login form and the authorization-code + PKCE flow. */
  userToken(login: LocalLogin, resource?: string): Promise<string>;
  /** Restarts on the same port signing with a new key; `keepPrevious` still publishes the old one. */
  rotateKeys(options?: { readonly keepPrevious?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

type PrivateJwk = crypto.JsonWebKey & { kid: string; alg: string; use: string };

function newSigningKey(): PrivateJwk {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'ES256', use: 'sig' };
}

function providerConfig(options: LocalOidcProviderOptions, port: number, keys: PrivateJwk[]) {
  const machineClients = Object.entries(LOCAL_MACHINE_CLIENTS).map(([clientId, client]) => ({
    client_id: clientId,
    client_secret: machineClientSecret(clientId as LocalMachineClient),
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    groups: client.groups,
    access_token_ttl: client.accessTokenTtlSeconds,
  }));
  const codeClient = (clientId: string, clientSecret: string, redirectUris: readonly string[], postLogout: readonly string[]) => ({
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogout,
    token_endpoint_auth_method: 'client_secret_basic',
  });
  return {
    port,
    keys,
    // Signs the provider's own session cookies; local only, like everything here.
    cookieKeys: ['local-oidc-provider-cookie-key'],
    users: Object.values(LOCAL_USERS),
    clients: [
      codeClient(LOCAL_FRONT_CLIENT.clientId, LOCAL_FRONT_CLIENT.clientSecret, options.frontRedirectUris ?? [], options.frontPostLogoutRedirectUris ?? []),
      codeClient(LOCAL_TOKEN_HELPER_CLIENT.clientId, LOCAL_TOKEN_HELPER_CLIENT.clientSecret, [LOCAL_TOKEN_HELPER_CLIENT.redirectUri], []),
      ...machineClients,
    ],
    resources: [LOCAL_API_AUDIENCE, OTHER_AUDIENCE].map((indicator) => ({ indicator, scope: 'ecodata' })),
    defaultResource: LOCAL_API_AUDIENCE,
    userAccessTokenTtl: options.userAccessTokenTtlSeconds ?? 300,
  };
}

async function spawnProvider(config: object, log: (line: string) => void): Promise<{ child: ChildProcess; issuer: string }> {
  const script = path.join(repositoryRoot(__dirname), 'tools/oidc/provider-server.mjs');
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, LOCAL_OIDC_CONFIG: JSON.stringify(config), NODE_ENV: 'development' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const line of chunk.toString().split('\n')) if (line) log(line);
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    let firstLine = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      firstLine += chunk.toString();
      const end = firstLine.indexOf('\n');
      if (end >= 0) resolve((JSON.parse(firstLine.slice(0, end)) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => reject(new Error(`the local OpenID provider exited (code ${code}):\n${output}`)));
  });
  return { child, issuer };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startLocalOidcProvider(options: LocalOidcProviderOptions = {}): Promise<LocalOidcProvider> {
  const log = options.log ?? (() => undefined);
  let keys = [newSigningKey()];
  const started = await spawnProvider(providerConfig(options, options.port ?? 0, keys), log);
  const issuer = started.issuer;
  let child = started.child;
  const port = Number(new URL(issuer).port);
  const discovery = () => fetchJson(`${issuer}/.well-known/openid-configuration`) as Promise<Discovery>;

  return {
    issuer,
    machineToken: (client, resource) => localMachineToken(issuer, client, resource),
    async userToken(login, resource = LOCAL_API_AUDIENCE) {
      return runCodeFlow(await discovery(), login, resource);
    },
    async rotateKeys(rotation = {}) {
      keys = rotation.keepPrevious ? [newSigningKey(), ...keys] : [newSigningKey()];
      await stopChild(child);
      ({ child } = await spawnProvider(providerConfig(options, port, keys), log));
    },
    stop: () => stopChild(child),
  };
}

/** A client-credentials token from a local provider that is already running (npm run seed). */
export async function localMachineToken(issuer: string, client: LocalMachineClient, resource: string = LOCAL_API_AUDIENCE): Promise<string> {
  const { token_endpoint } = (await fetchJson(`${issuer}/.well-known/openid-configuration`)) as Discovery;
  return requestToken(token_endpoint, client, machineClientSecret(client), { grant_type: 'client_credentials', resource, scope: 'ecodata' });
}

interface Discovery {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function requestToken(tokenEndpoint: string, clientId: string, clientSecret: string, form: Record<string, string>): Promise<string> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || !body.access_token) {
    throw new Error(`token request for ${clientId} refused: ${response.status} ${body.error ?? ''} ${body.error_description ?? ''}`);
  }
  return body.access_token;
}

/** The browser's part of the authorization-code flow, done with fetch and a cookie jar. */
async function runCodeFlow(discovery: Discovery, login: LocalLogin, resource: string): Promise<string> {
  const client = LOCAL_TOKEN_HELPER_CLIENT;
  const verifier = crypto.randomBytes(32).toString('base64url');
  const state = crypto.randomBytes(16).toString('base64url');
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope: 'openid profile ecodata',
    resource,
    state,
    code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const cookies = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  };

  let url = authorize.toString();
  for (let hop = 0; hop < 10; hop += 1) {
    const response = await send(url);
    const location = response.headers.get('location');
    if (location?.startsWith(client.redirectUri)) {
      const params = new URL(location).searchParams;
      if (params.get('state') !== state) throw new Error('state mismatch in the authorization response');
      const code = params.get('code');
      if (!code) throw new Error(`authorization refused: ${params.get('error')} ${params.get('error_description')}`);
      return requestToken(discovery.token_endpoint, client.clientId, client.clientSecret, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirectUri,
        code_verifier: verifier,
        resource,
      });
    }
    if (location) {
      url = new URL(location, url).toString();
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`unexpected page at ${url} (${response.status}): ${html.slice(0, 300)}`);
    const user = LOCAL_USERS[login];
    const submitted = await send(new URL(action, url).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: user.login, password: user.password }),
    });
    const next = submitted.headers.get('location');
    if (!next) throw new Error(`login as ${login} refused (${submitted.status})`);
    url = new URL(next, url).toString();
  }
  throw new Error('the authorization-code flow did not finish within 10 redirects');
}
