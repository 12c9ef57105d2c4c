// Sign in as the local editor, then create, edit (including a stale edit), delete a
// measurement through the front's HTML forms, as a browser without JavaScript would: cookie
// jar, the provider's login form, CSRF token from each form, urlencoded POSTs,
// POST-redirect-GET. The API is read directly (with a machine token) to confirm what the
// forms changed.
import { LOCAL_USERS } from '../../oidc/local-identities';
import { request, type HttpResponse } from './http';

/** A cookie jar for one host (the front and the local provider both listen on 127.0.0.1). */
export class FormClient {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async get(path: string): Promise<HttpResponse> {
    return this.keep(await request(new URL(path, this.base).toString(), { headers: this.cookieHeader() }));
  }

  async post(path: string, fields: Readonly<Record<string, string>>): Promise<HttpResponse> {
    return this.keep(await request(new URL(path, this.base).toString(), {
      method: 'POST',
      headers: { ...this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }));
  }

  /** The Cookie header this client sends, for other request makers (the load of stopUnderLoad). */
  cookieHeader(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  /**
   * Signs in through the front's /auth/sign-in and the provider's real login form, following
   * every redirect, and ends on the front's page after the callback.
   */
  async signIn(login: keyof typeof LOCAL_USERS): Promise<HttpResponse> {
    let url = new URL('/auth/sign-in', this.base).toString();
    for (let hop = 0; hop < 15; hop += 1) {
      const response = await this.get(url);
      const location = response.headers.location;
      if (location) {
        url = new URL(location, url).toString();
        continue;
      }
      const action = /<form method="post" action="(\/interaction\/[^"]+)"/.exec(response.body)?.[1];
      if (!action) {
        if (response.status === 200 && url.startsWith(this.base)) return response;
        throw new Error(`sign-in as ${login} stopped at ${url} with ${response.status}: ${response.body.slice(0, 300)}`);
      }
      const user = LOCAL_USERS[login];
      const submitted = await this.post(new URL(action, url).toString(), { login: user.login, password: user.password });
      if (!submitted.headers.location) throw new Error(`the provider refused ${login}'s password (${submitted.status})`);
      url = new URL(submitted.headers.location, url).toString();
    }
    throw new Error(`sign-in as ${login} did not finish within 15 redirects`);
  }

  private keep(response: HttpResponse): HttpResponse {
    for (const line of response.headers['set-cookie'] ?? []) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return response;
  }
}

function hiddenValue(html: string, name: string): string {
  const input = new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0];
  const value = input && /\bvalue="([^"]*)"/.exec(input)?.[1];
  if (value === undefined) throw new Error(`the page has no hidden "${name}" field`);
  return value;
}

function expectStatus(step: string, response: HttpResponse, status: number, location?: string): void {
  const actual = response.headers.location;
  if (response.status !== status || (location !== undefined && actual !== location)) {
    throw new Error(`${step}: expected ${status}${location ? ` -> ${location}` : ''}, got ${response.status}${actual ? ` -> ${actual}` : ''}: ${response.body.slice(0, 300)}`);
  }
}

/** Runs the CRUD round trip as the local editor; returns the steps it checked, for the report. */
export async function crudThroughFront(frontUrl: string, apiUrl: string, apiToken: string): Promise<string[]> {
  const browser = new FormClient(frontUrl);
  const station = `smoke-${process.pid}-${Date.now()}`;
  const steps: string[] = [];
  const apiGet = async (id: string) => request(`${apiUrl}/api/measurements/${id}`, { headers: { authorization: `Bearer ${apiToken}` } });

  const anonymous = await browser.get('/measurements/new');
  if (anonymous.status < 300 || anonymous.status >= 400 || !anonymous.headers.location) {
    throw new Error(`an anonymous visitor got ${anonymous.status} for /measurements/new, expected a redirect to sign-in`);
  }
  steps.push(`an anonymous visitor is sent to sign in (${anonymous.status})`);
  await browser.signIn('editor');
  steps.push('signed in as the local editor through the provider\'s login form');

  const forged = await browser.post('/measurements', { station, kind: 'temperature', value: '1' });
  if (forged.status !== 403) throw new Error(`a form POST without a CSRF token got ${forged.status}, expected 403`);
  steps.push('POST without CSRF token refused (403)');

  const newPage = await browser.get('/measurements/new');
  expectStatus('GET /measurements/new', newPage, 200);
  const created = await browser.post('/measurements', {
    _csrf: hiddenValue(newPage.body, '_csrf'), station, kind: 'temperature', value: '21.5', unit: 'degC', recordedAt: '',
  });
  expectStatus('create form', created, 303, '/measurements?notice=created');
  const listed = await browser.get(`/measurements?station=${encodeURIComponent(station)}`);
  expectStatus('list page', listed, 200);
  const id = new RegExp('/measurements/(\\d+)/edit').exec(listed.body)?.[1];
  if (!id || !listed.body.includes(station)) throw new Error(`the list page does not show the created measurement of ${station}`);
  steps.push(`created measurement ${id} through the form and saw it listed`);

  const editPage = await browser.get(`/measurements/${id}/edit`);
  expectStatus('edit page', editPage, 200);
  const version = hiddenValue(editPage.body, 'version');
  const edited = await browser.post(`/measurements/${id}/edit`, {
    _csrf: hiddenValue(editPage.body, '_csrf'), version, station, kind: 'temperature', value: '22.5', unit: 'degC', recordedAt: '',
  });
  expectStatus('edit form', edited, 303, '/measurements?notice=updated');
  const afterEdit = JSON.parse((await apiGet(id)).body) as { value: number; version: number };
  if (afterEdit.value !== 22.5 || afterEdit.version !== Number(version) + 1) {
    throw new Error(`after the edit the API shows value ${afterEdit.value} version ${afterEdit.version}`);
  }
  steps.push('edited it (value 22.5, version bumped, confirmed through the API)');

  const stale = await browser.post(`/measurements/${id}/edit`, {
    _csrf: hiddenValue(editPage.body, '_csrf'), version, station, kind: 'temperature', value: '99', unit: 'degC', recordedAt: '',
  });
  expectStatus('stale edit', stale, 409);
  const afterStale = JSON.parse((await apiGet(id)).body) as { value: number };
  if (afterStale.value !== 22.5) throw new Error(`a stale edit changed the value to ${afterStale.value}`);
  steps.push('a stale edit got the conflict page (409) and changed nothing');

  const deletePage = await browser.get(`/measurements/${id}/delete`);
  expectStatus('delete page', deletePage, 200);
  const deleted = await browser.post(`/measurements/${id}/delete`, {
    _csrf: hiddenValue(deletePage.body, '_csrf'), version: hiddenValue(deletePage.body, 'version'),
  });
  expectStatus('delete form', deleted, 303, '/measurements?notice=deleted');
  const gone = await apiGet(id);
  if (gone.status !== 404) throw new Error(`after the delete the API answers ${gone.status} for measurement ${id}`);
  steps.push('deleted it (the API answers 404)');
  return steps;
}
