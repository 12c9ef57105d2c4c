// `node tools/run-ts.cjs tools/dev/screenshots.ts`: screenshots of the running dev stack (after
// `npm run seed`) for the README, into docs/screenshots/. FRONT_URL defaults to the dev stack.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repositoryRoot } from '../repo-root';

async function main(): Promise<void> {
  const front = (process.env.FRONT_URL ?? `http://127.0.0.1:${process.env.FRONT_PORT ?? 3000}`).replace(/\/+$/, '');
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
