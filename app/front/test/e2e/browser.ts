// Debian's Chromium driven by playwright-core (no downloaded browsers), with a fresh profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { LOCAL_USERS, type LocalLogin } from '../../../../tools/oidc/local-identities';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go (gitignored): <repo>/test-output/screenshots. */
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', '..', 'test-output', 'screenshots');

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  // A missing element fails its own step well inside jest's 60 s test timeout, naming the
  // locator, instead of timing out the whole test.
  context.setDefaultTimeout(20_000);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Signs `login` in the way a person does: the front sends the browser to the local provider,
 * whose login form is filled and submitted; resolves on the front's page afterwards.
 */
export async function signInThroughProvider(page: Page, frontUrl: string, login: LocalLogin, path = '/measurements'): Promise<void> {
  await page.goto(`${frontUrl}${path}`);
  const user = LOCAL_USERS[login];
  await page.getByLabel('Login').fill(user.login);
  await page.getByLabel('Password').fill(user.password);
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(frontUrl)),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}
