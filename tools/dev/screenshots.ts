// `node tools/run-ts.cjs tools/dev/screenshots.ts`: screenshots of the running dev stack (after
// `npm run seed`) for the README, into docs/screenshots/, signed in as the local editor through
// the local provider's login form. FRONT_URL defaults to the dev stack's PUBLIC_URL (localhost:
// the sign-in cookie must come back to the host the callback goes to).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { LOCAL_USERS } from '../oidc/local-identities';
import { repositoryRoot } from '../repo-root';

async function main(): Promise<void> {
  const front = (process.env.FRONT_URL ?? `http://localhost:${process.env.FRONT_PORT ?? 3000}`).replace(/\/+$/, '');
  const out = path.join(repositoryRoot(), 'docs', 'screenshots');
  fs.mkdirSync(out, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-shots-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1200, height: 900 },
  });
  try {
    const page = await context.newPage();
    await page.goto(`${front}/measurements`);
    await page.getByLabel('Login').fill(LOCAL_USERS.editor.login);
    await page.getByLabel('Password').fill(LOCAL_USERS.editor.password);
    await Promise.all([page.waitForURL((url) => url.href.startsWith(front)), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.screenshot({ path: path.join(out, 'measurements.png') });
    await page.goto(`${front}/stations?station=lyon-centre`);
    await page.screenshot({ path: path.join(out, 'station-chart.png'), fullPage: true });
    console.log(`[screenshots] wrote measurements.png and station-chart.png to ${out}`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`[screenshots] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
