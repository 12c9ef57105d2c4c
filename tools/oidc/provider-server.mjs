// The local OpenID provider: the certified `oidc-provider` library (not a token-minting stub)
// configured from a JSON document in LOCAL_OIDC_CONFIG (written by local-provider.ts, which
// owns the identities and keys). Plain ES module because oidc-provider ships ES modules only.
// Adds what the library leaves to its host: a login form that checks the local users'
// passwords, and automatic consent for the local clients. Prints one JSON line
// {"issuer": ...} on stdout once it listens.
import http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.LOCAL_OIDC_CONFIG ?? '');
const users = new Map(config.users.map((user) => [user.login, user]));
const clientsById = new Map(config.clients.map((client) => [client.client_id, client]));
const resources = new Map(config.resources.map((resource) => [resource.indicator, resource]));

const server = http.createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(config.port, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map(({ groups: _groups, access_token_ttl: _ttl, ...metadata }) => metadata),
  jwks: { keys: config.keys },
  cookies: { keys: config.cookieKeys },
  // Only an EC key is published: everything is signed ES256.
  clientDefaults: { id_token_signed_response_alg: 'ES256' },
  scopes: ['openid', 'profile', 'offline_access', 'ecodata'],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'] },
  // The front reads the roles from the ID token; put the scope's claims there, not only in
  // userinfo.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => config.defaultResource,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator, client) => {
        if (!resources.has(indicator)) throw new Error(`unknown resource ${indicator}`);
        return {
          scope: resources.get(indicator).scope,
          audience: indicator,
          accessTokenFormat: 'jwt',
          accessTokenTTL: clientsById.get(client.clientId)?.access_token_ttl ?? config.userAccessTokenTtl,
          jwt: { sign: { alg: 'ES256' } },
        };
      },
    },
  },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  findAccount: async (_ctx, sub) => {
    const user = users.get(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      claims: async () => ({ sub, name: user.name, preferred_username: user.login, groups: user.groups }),
    };
  },
  // Roles travel in the access token: a user's groups, or a machine client's.
  extraTokenClaims: async (_ctx, token) => {
    if (token.accountId) {
      const user = users.get(token.accountId);
      return user ? { groups: user.groups, preferred_username: user.login } : undefined;
    }
    return { groups: clientsById.get(token.clientId)?.groups ?? [] };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Sign-in error', `<p>${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`);
  },
});

const page = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>` +
  `<body><p><strong>Local OpenID provider: for development and tests only.</strong></p><h1>${escape(title)}</h1>${body}</body></html>`;

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginForm(uid, message) {
  return page(
    'Sign in to EcoData',
    (message ? `<p role="alert">${escape(message)}</p>` : '') +
      `<form method="post" action="/interaction/${escape(uid)}/login">` +
      '<label>Login <input name="login" autocomplete="username" required autofocus></label> ' +
      '<label>Password <input name="password" type="password" autocomplete="current-password" required></label> ' +
      '<button type="submit">Sign in</button></form>',
  );
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// Consent is granted for exactly what the client asked; the local clients are first-party.
async function grantConsent(details) {
  const { prompt, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const missing = prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== match[1]) ctx.throw(400, 'interaction mismatch');
  ctx.set('Cache-Control', 'no-store');
  if (details.prompt.name === 'consent') {
    const grantId = await grantConsent(details);
    return provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (!match[2]) {
    ctx.type = 'html';
    ctx.body = loginForm(details.uid);
    return;
  }
  if (ctx.method !== 'POST') ctx.throw(405);
  const form = await readForm(ctx.req);
  const user = users.get(form.get('login') ?? '');
  if (!user || user.password !== form.get('password')) {
    ctx.status = 401;
    ctx.type = 'html';
    ctx.body = loginForm(details.uid, 'Unknown login or wrong password.');
    return;
  }
  return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: user.login } }, { mergeWithLastSubmission: false });
});

server.on('request', provider.callback());
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The launcher holds our stdin open: when it dies, however it dies, so do we (no orphan).
process.stdin.on('end', stop);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
