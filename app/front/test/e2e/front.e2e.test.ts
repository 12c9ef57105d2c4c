// End to end: the real front, API and PostgreSQL, driven through Debian's Chromium, signed in
// as the local editor through the local OpenID provider's login form.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type Browser, launchBrowser, SCREENSHOTS, signInThroughProvider } from './browser';
import { type Stack, startStack } from './stack';

jest.setTimeout(60_000);

let stack: Stack;
let browser: Browser;
let page: Page;
/** Things that must never happen on any page: script dialogs, CSP violations, page errors. */
const incidents: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  page = await browser.context.newPage();
  page.on('dialog', (dialog) => {
    incidents.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => incidents.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) incidents.push(`console: ${message.text()}`);
  });
  await signInThroughProvider(page, stack.frontUrl, 'editor');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(() => {
  expect(incidents).toEqual([]);
});

const url = (p: string) => `${stack.frontUrl}${p}`;

async function shoot(name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

async function createThroughForm(values: { station: string; kind: string; value: string; unit?: string; recordedAt?: string }) {
  await page.goto(url('/measurements/new'));
  await page.getByLabel('Station').fill(values.station);
  await page.getByLabel('Kind').fill(values.kind);
  await page.getByLabel('Value').fill(values.value);
  if (values.unit) await page.getByLabel('Unit').fill(values.unit);
  if (values.recordedAt) await page.getByLabel('Recorded at (UTC)').fill(values.recordedAt);
  await page.getByRole('button', { name: 'Add measurement' }).click();
}

function rowFor(station: string) {
  return page.locator('table.data tbody tr', { hasText: station });
}

describe('measurements in the browser', () => {
  it('creates a measurement through the form and shows it in the table after the redirect', async () => {
    await createThroughForm({ station: 'e2e-create', kind: 'temperature', value: '21.5', unit: '°C', recordedAt: '2024-05-01T10:00' });
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/measurements?notice=created');
    await expect(page.getByRole('status').textContent()).resolves.toBe('Measurement added.');
    const cells = await rowFor('e2e-create').locator('td').allTextContents();
    expect(cells.slice(0, 5)).toEqual(['2024-05-01 10:00:00 UTC', 'e2e-create', 'temperature', '21.5', '°C']);
  });

  it('shows the API\'s field-level validation messages next to the fields and keeps what was typed', async () => {
    await createThroughForm({ station: ' ', kind: 'temperature', value: 'warm' });
    await expect(page.locator('#field-value-error').textContent()).resolves.toBe('Enter a number, for example 21.5 or -3.');
    await expect(page.locator('#field-station').getAttribute('aria-invalid')).resolves.toBe('true');
    expect((await page.locator('#field-station-error').textContent())?.length).toBeGreaterThan(0);
    await expect(page.getByLabel('Value').inputValue()).resolves.toBe('warm');
    await expect(page.locator('.error-summary').isVisible()).resolves.toBe(true);
    await shoot('measurement-form-errors');
  });

  it('edits a measurement and saves the change', async () => {
    await createThroughForm({ station: 'e2e-edit', kind: 'pm25', value: '12', unit: 'µg/m³' });
    await rowFor('e2e-edit').getByRole('link', { name: /^Edit/ }).click();
    await page.getByLabel('Value').fill('13.25');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Changes saved.');
    await expect(rowFor('e2e-edit').locator('td.num').textContent()).resolves.toBe('13.25');
  });

  it('shows a clear conflict message instead of overwriting a concurrent edit, then saves on purpose', async () => {
    await createThroughForm({ station: 'e2e-conflict', kind: 'no2', value: '40' });
    await rowFor('e2e-conflict').getByRole('link', { name: /^Edit/ }).click();
    const editUrl = page.url();
    // Someone else saves first, in another tab.
    const other = await browser.context.newPage();
    await other.goto(editUrl);
    await other.getByLabel('Value').fill('41');
    await other.getByRole('button', { name: 'Save changes' }).click();
    // click() returns once the click is dispatched: wait for the saved page, or closing the tab
    // can abort the POST and there is no concurrent edit to conflict with.
    await expect(other.getByRole('status').textContent()).resolves.toBe('Changes saved.');
    await other.close();
    // Our stale form.
    await page.getByLabel('Value').fill('45');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.locator('.notice-warning');
    await expect(alert.locator('h2').textContent()).resolves.toBe('Someone else changed this measurement');
    expect(await alert.textContent()).toContain('not saved');
    await expect(alert.locator('tr.differs td').allTextContents()).resolves.toEqual(['45', '41']);
    await shoot('measurement-conflict');
    await page.getByRole('button', { name: 'Save my version anyway' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Changes saved.');
    await expect(rowFor('e2e-conflict').locator('td.num').textContent()).resolves.toBe('45');
  });

  it('deletes a measurement after a confirmation page', async () => {
    await createThroughForm({ station: 'e2e-delete', kind: 'o3', value: '7' });
    await rowFor('e2e-delete').getByRole('link', { name: /^Delete/ }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Delete this measurement?');
    await shoot('measurement-delete-confirm');
    await page.getByRole('button', { name: 'Delete measurement' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Measurement deleted.');
    await expect(rowFor('e2e-delete').count()).resolves.toBe(0);
  });

  it('shows hostile text as text: no script runs and no markup is injected', async () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await createThroughForm({ station: `e2e-x${hostile}`, kind: `"><svg onload=alert(3)>`, value: '1', unit: `'</td><b>u` });
    const row = rowFor('e2e-x');
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe(`e2e-x${hostile}`);
    await expect(row.locator('img, script, b, svg').count()).resolves.toBe(0);
    await page.goto(url(`/stations?station=${encodeURIComponent(`e2e-x${hostile}`)}`));
    await expect(page.locator('h1').textContent()).resolves.toBe(`Station e2e-x${hostile}`);
    await expect(page.locator('main img, main script').count()).resolves.toBe(0);
  });
});

describe('CSV import and export in the browser', () => {
  const header = 'station,kind,value,unit,recordedAt';

  it('reports every bad line of a rejected file, imports nothing, then imports the corrected text', async () => {
    const bad = [header, 'e2e-csv,temperature,20.5,°C,2024-05-02T10:00:00Z', 'e2e-csv,temperature,warm,°C,2024-05-02T11:00:00Z',
      'e2e-csv,temperature,21,°C,not-a-date', ''].join('\n');
    await page.goto(url('/import'));
    await page.getByLabel('CSV file').setInputFiles({ name: 'readings.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Import' }).click();
    const report = page.locator('section.notice-error');
    await expect(report.locator('h2').textContent()).resolves.toBe('Nothing was imported: 2 problems in readings.csv');
    await expect(report.locator('tbody tr td:first-child').allTextContents()).resolves.toEqual(['3', '4']);
    await expect(report.locator('tbody tr').first().locator('code').textContent()).resolves.toBe('e2e-csv,temperature,warm,°C,2024-05-02T11:00:00Z');
    await shoot('import-errors');
    await page.goto(url('/measurements?station=e2e-csv'));
    await expect(page.locator('table.data').count()).resolves.toBe(0);

    const rows = Array.from({ length: 60 }, (_, i) => {
      const at = new Date(Date.parse('2024-05-02T00:00:00Z') + i * 3_600_000).toISOString();
      return `e2e-csv,temperature,${(15 + 6 * Math.sin(i / 5)).toFixed(2)},°C,${at}`;
    });
    const pm = Array.from({ length: 30 }, (_, i) => {
      const at = new Date(Date.parse('2024-05-02T00:00:00Z') + i * 7_200_000).toISOString();
      return `e2e-csv,pm25,${(8 + (i % 7) * 1.5).toFixed(1)},µg/m³,${at}`;
    });
    await page.goto(url('/import'));
    await page.getByLabel('Or paste CSV').fill([header, ...rows, ...pm].join('\n'));
    await page.getByRole('button', { name: 'Import' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Imported 90 measurements.');
  });

  it('pages through the filtered list with the cursor and sorts by time', async () => {
    await page.goto(url('/measurements?station=e2e-csv&kind=temperature'));
    await expect(page.locator('table.data tbody tr').count()).resolves.toBe(50);
    const firstTime = await page.locator('table.data tbody tr td:first-child').first().textContent();
    expect(firstTime).toBe('2024-05-04 11:00:00 UTC');
    await page.getByRole('link', { name: /Next page/ }).click();
    await expect(page.locator('table.data tbody tr').count()).resolves.toBe(10);
    await expect(page.getByRole('link', { name: /Next page/ }).count()).resolves.toBe(0);
    await page.goto(url('/measurements?station=e2e-csv&kind=temperature'));
    await page.getByRole('link', { name: /Recorded at/ }).click();
    await expect(page.locator('table.data tbody tr td:first-child').first().textContent()).resolves.toBe('2024-05-02 00:00:00 UTC');
    await expect(page.locator('th[aria-sort]').getAttribute('aria-sort')).resolves.toBe('ascending');
  });

  it('exports the current filter as CSV', async () => {
    await page.goto(url('/measurements'));
    await page.getByLabel('Station').fill('e2e-csv');
    await page.getByLabel('Kind').fill('pm25');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV (filtered)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^measurements-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    // The export names who created and last changed each row (the import accepts it back).
    expect(lines[0]).toBe(`${header},createdBy,updatedBy`);
    expect(lines).toHaveLength(31);
    expect(lines.slice(1).every((line) => line.startsWith('e2e-csv,pm25,') && line.split(',')[5] === 'editor')).toBe(true);
  });
});

describe('pages in the browser', () => {
  it('keeps the measurements page, with 50 rows, under 100 KB in total', async () => {
    const bytes: Record<string, number> = {};
    const onResponse = async (response: import('playwright-core').Response) => {
      bytes[response.url()] = (await response.body().catch(() => Buffer.alloc(0))).length;
    };
    page.on('response', onResponse);
    await page.goto(url('/measurements'), { waitUntil: 'networkidle' });
    page.off('response', onResponse);
    await expect(page.locator('table.data tbody tr').count()).resolves.toBe(50);
    const total = Object.values(bytes).reduce((a, b) => a + b, 0);
    console.log(`measurements page weight: ${total} bytes over ${Object.keys(bytes).length} responses`, bytes);
    expect(total).toBeLessThan(100 * 1024);
    await shoot('measurements');
  });

  it('charts each kind of a station as SVG with axes, unit and the latest value', async () => {
    await page.goto(url('/stations?station=e2e-csv'));
    const cards = page.locator('article.card');
    await expect(cards.locator('h3').allTextContents()).resolves.toEqual(['pm25 (µg/m³)', 'temperature (°C)']);
    const temperature = cards.nth(1);
    await expect(temperature.locator('.latest-value').textContent()).resolves.toBe(`${(15 + 6 * Math.sin(59 / 5)).toFixed(2).replace(/0$/, '')} °C`);
    const svg = temperature.locator('svg.chart');
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    await expect(svg.locator('.chart-unit').textContent()).resolves.toBe('°C');
    expect((await svg.locator('.chart-axis-x text').allTextContents()).length).toBeGreaterThan(2);
    expect((await svg.locator('path.chart-line').getAttribute('d'))!.split('L')).toHaveLength(60);
    await shoot('station-chart');
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot('station-chart-mobile', false);
    await page.goto(url('/measurements'));
    await shoot('measurements-mobile', false);
    // Nothing may stick out sideways on a phone: the table turns into cards.
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows environment, versions and API health in the footer', async () => {
    await page.goto(url('/stations'));
    const footer = await page.locator('footer').innerText();
    expect(footer).toMatch(/Environment\s+test/);
    expect(footer).toMatch(/Front\s+front-e2e/);
    expect(footer).toMatch(/API\s+api-e2e/);
    expect(footer).toContain('API healthy');
  });
});

describe('when the API goes down', () => {
  it('shows the 503 page instead of failing, and the front stays up', async () => {
    await stack.stopApi();
    const response = await page.goto(url('/measurements?station=e2e-csv'));
    expect(response?.status()).toBe(503);
    await expect(page.locator('h1').textContent()).resolves.toBe('The measurements service is unavailable');
    await expect(page.locator('footer').innerText()).resolves.toContain('API unreachable');
    await shoot('api-down');
    const health = await page.request.get(`${stack.managementUrl}/healthz`);
    expect(health.status()).toBe(200);
    const ready = await page.request.get(`${stack.managementUrl}/readyz`);
    expect(ready.status()).toBe(503);
  });
});
