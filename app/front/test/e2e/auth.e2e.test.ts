// Sign-in, roles and sign-out in Debian's Chromium, through the local OpenID provider's real
// login form (the oidc-provider library), against the real front, API and PostgreSQL.
// ANONYMOUS_READ and TRUST_PROXY are off, as by default.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/auth/session';
import { type Browser, launchBrowser, SCREENSHOTS, signInThroughProvider } from './browser';
import { type Stack, startStack } from './stack';

jest.setTimeout(60_000);

let stack: Stack;
let browser: Browser;
let page: Page;
let measurementId: string;
/** CSP violations (a refused form redirect, for one) and page errors: none may happen. */
const incidents: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  page = await browser.context.newPage();
  page.on('pageerror', (error) => incidents.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) incidents.push(`console: ${message.text()}`);
  });
  const created = await fetch(`${stack.apiUrl}/api/measurements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await stack.apiAuthorization() },
    body: JSON.stringify({ station: 'auth-e2e', kind: 'temperature', value: 20, unit: '°C' }),
  });
  expect(created.status).toBe(201);
  measurementId = ((await created.json()) as { id: string }).id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(() => {
  expect(incidents).toEqual([]);
});

// Each test starts signed out of both the front and the provider (same host: one cookie jar).
beforeEach(async () => {
  await browser.context.clearCookies();
});

const url = (p: string) => `${stack.frontUrl}${p}`;
const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const heading = () => page.locator('h1').textContent();

describe('signing in', () => {
  it('sends a visitor to the provider\'s login form, then back to the page asked for', async () => {
    await page.goto(url('/stations?station=auth-e2e'));
    expect(page.url().startsWith(stack.provider.issuer)).toBe(true);
    await expect(page.getByRole('button', { name: 'Sign in' }).count()).resolves.toBe(1);
    await shoot('provider-login');
    await page.getByLabel('Login').fill('viewer');
    await page.getByLabel('Password').fill('viewer-local-only');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/stations?station=auth-e2e'));
    await expect(heading()).resolves.toBe('Station auth-e2e');
    const session = (await browser.context.cookies(stack.frontUrl)).find((c) => c.name === SESSION_COOKIE);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    expect(session!.expires * 1000 - Date.now()).toBeLessThanOrEqual(8 * 3600_000);
  });

  it('tells an outsider that their account has no role in EcoData', async () => {
    await signInThroughProvider(page, stack.frontUrl, 'outsider');
    await expect(heading()).resolves.toBe('No access to EcoData');
    await expect(page.locator('main').textContent()).resolves.toContain('You are signed in as Otto Outsider (local), but your account has no role');
    await expect(page.locator('table.data').count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Back to measurements' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(1);
    await shoot('no-role');
  });
});

describe('what each role is offered', () => {
  it('shows a viewer who they are and no write control, and refuses a direct post with a page that says why', async () => {
    await signInThroughProvider(page, stack.frontUrl, 'viewer');
    await expect(page.locator('.user-box').innerText()).resolves.toMatch(/Signed in as Vera Viewer \(local\) \(viewer, read only\)/);
    await expect(page.locator('table.data tbody tr', { hasText: 'auth-e2e' }).count()).resolves.toBe(1);
    for (const name of [/^Add measurement$/, /^Import CSV$/, /^Edit/, /^Delete/]) {
      await expect(page.getByRole('link', { name }).count()).resolves.toBe(0);
    }
    await shoot('viewer-measurements');
    const token = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    const refused = await page.request.post(url(`/measurements/${measurementId}/delete`), { form: { _csrf: token!, version: '1' } });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain('with the viewer role, which may read measurements but not add, edit, delete or import them. Nothing was changed.');
    const response = await page.goto(url('/measurements/new'));
    expect(response?.status()).toBe(403);
    await expect(heading()).resolves.toBe('Not allowed');
    await shoot('viewer-refused');
    // Still there.
    const stored = await fetch(`${stack.apiUrl}/api/measurements/${measurementId}`, { headers: { authorization: await stack.apiAuthorization() } });
    expect(stored.status).toBe(200);
  });

  it('offers an editor every action, and shows who changed a measurement as the API reports it', async () => {
    await signInThroughProvider(page, stack.frontUrl, 'editor');
    await page.getByRole('link', { name: 'Add measurement' }).click();
    await page.getByLabel('Station').fill('auth-e2e-editor');
    await page.getByLabel('Kind').fill('pm25');
    await page.getByLabel('Value').fill('9');
    await page.getByRole('button', { name: 'Add measurement' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Measurement added.');
    const row = page.locator('table.data tbody tr', { hasText: 'auth-e2e-editor' });
    await expect(row.getByRole('link', { name: /^Edit/ }).count()).resolves.toBe(1);
    await expect(row.getByRole('link', { name: /^Delete/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: 'Import CSV' }).count()).resolves.toBe(2);
    const listed = (await (await fetch(`${stack.apiUrl}/api/measurements?station=auth-e2e-editor`, {
      headers: { authorization: await stack.apiAuthorization() },
    })).json()) as { items: Array<{ updatedBy?: string | null }> };
    // The API that records authors names the editor; until then rows have none.
    await expect(row.locator('td.author').textContent()).resolves.toBe(listed.items[0].updatedBy ?? 'before sign-in');
  });
});

describe('signing out', () => {
  it('ends the front session and the provider\'s (RP-initiated logout): the next visit asks for a password again', async () => {
    await signInThroughProvider(page, stack.frontUrl, 'editor');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    // Back at the front's "/", which sends a visitor to sign-in: the provider shows its login
    // form instead of signing the editor in again silently.
    await page.waitForURL((u) => u.href.startsWith(stack.provider.issuer) && u.pathname.startsWith('/interaction/'));
    await expect(page.getByLabel('Password').count()).resolves.toBe(1);
    expect((await browser.context.cookies(stack.frontUrl)).some((c) => c.name === SESSION_COOKIE)).toBe(false);
  });

  it('refuses a sign-out post without the CSRF token', async () => {
    await signInThroughProvider(page, stack.frontUrl, 'viewer');
    const refused = await page.request.post(url('/auth/sign-out'), { form: { nothing: '' } });
    expect(refused.status()).toBe(403);
    await page.reload();
    await expect(page.locator('.user-box').innerText()).resolves.toContain('Vera Viewer');
  });
});

describe('without TRUST_PROXY', () => {
  it('does not believe X-Forwarded-Proto: no HSTS, no Secure cookie', async () => {
    const response = await page.request.get(url('/auth/signed-out'), { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.status()).toBe(200);
    expect(response.headers()['strict-transport-security']).toBeUndefined();
    expect(response.headers()['set-cookie']).toMatch(/^ecodata_csrf=[^;]+; path=\/; samesite=strict; httponly$/);
  });
});
