// A browser's part of sign-in and sign-out, done over plain HTTP with fetch and a cookie jar:
// the real front, the real provider and its real login form, no browser. For tests that drive
// the front with supertest and need a signed-in user's cookies.
import { LOCAL_USERS, type LocalLogin } from '../../../../tools/oidc/local-identities';

/** Cookies by name, as one browser keeps them for 127.0.0.1 (browsers do not separate ports). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** A Cookie header with the named cookies only (default: all). */
  header(names?: readonly string[]): string {
    return [...this.cookies].filter(([name]) => !names || names.includes(name)).map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export async function send(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
  jar.store(response);
  return response;
}

/**
 * Signs `login` in to the front at `frontUrl` through the provider's login form, following the
 * redirects a browser would; resolves with the jar (holding the front's session cookie), the
 * page it landed on and its status.
 */
export async function signInOverHttp(
  frontUrl: string,
  login: LocalLogin,
  returnTo = '/measurements',
  /** Sent with every request to the front (X-Forwarded-Proto, as a gateway would add it). */
  frontHeaders: Record<string, string> = {},
): Promise<{ jar: CookieJar; landedOn: string; status: number; responses: Response[] }> {
  const jar = new CookieJar();
  const responses: Response[] = [];
  let url = `${frontUrl}/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`;
  let loggedIn = false;
  for (let hop = 0; hop < 15; hop += 1) {
    const response = await send(jar, url, { headers: url.startsWith(frontUrl) ? frontHeaders : {} });
    responses.push(response);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).toString();
      continue;
    }
    if (url.startsWith(frontUrl) && loggedIn) return { jar, landedOn: url.slice(frontUrl.length), status: response.status, responses };
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action || loggedIn) throw new Error(`sign-in as ${login} stopped at ${url} (${response.status}): ${html.slice(0, 400)}`);
    const user = LOCAL_USERS[login];
    const submitted = await send(jar, new URL(action, url).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: user.login, password: user.password }),
    });
    loggedIn = true;
    const next = submitted.headers.get('location');
    if (!next) throw new Error(`login as ${login} refused (${submitted.status})`);
    url = new URL(next, url).toString();
  }
  throw new Error(`sign-in as ${login} did not finish within 15 redirects`);
}
