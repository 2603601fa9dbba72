import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Started, startProcess } from '../helpers/process.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`Example front-end test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

// `npm run example` as a front-end developer runs it: the gateway on the sandbox, the pages beside it.
describe.skipIf(!haveChromium)('the example front-end (npm run example) in headless Chromium', () => {
  let example: Started;
  let origin: string;
  let browser: Browser;
  let dataDir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'example-'));
    example = await startProcess(
      'examples/serve.ts',
      { EXAMPLE_PORT: '0', PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, STAMP_API_KEY: '' },
      /example ready: (http:\/\/[\d.:]+)\//,
      { timeoutMs: 60_000 },
    );
    origin = example.ready;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await example?.stop('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  });

  async function open(path: string): Promise<{ page: Page; navigations: () => number }> {
    const page = await browser.newPage();
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    page.on('pageerror', (error) => problems.push(`${path}: ${error.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`${path}: ${msg.text()}`);
    });
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith('http://127.0.0.1:') && !url.startsWith('ws://127.0.0.1:') && !url.startsWith('data:'))
        problems.push(`external: ${url}`);
    });
    await page.goto(`${origin}${path}`);
    return { page, navigations: () => navigations };
  }

  const card = (page: Page, stampIdx: number) => page.locator(`section.card[data-stamp-idx="${stampIdx}"]`);

  it('the cashier adds a stamp and the customer’s page shows it without a reload', async () => {
    const customer = await open('/customer.html?user=demo-alice');
    await expect.poll(() => card(customer.page, 1000).getAttribute('data-stamps'), { timeout: 15_000 }).toBe('3');
    await expect.poll(() => customer.page.locator('#live').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    expect(await card(customer.page, 1000).locator('.count').innerText()).toBe('3 / 10');

    const cashier = await open('/cashier.html');
    await cashier.page.fill('#userId', 'demo-alice');
    await cashier.page.click('#find button[type=submit]');
    await card(cashier.page, 1000).waitFor({ timeout: 10_000 });
    await card(cashier.page, 1000).locator('button.add').click();
    await expect.poll(() => cashier.page.locator('#message').innerText(), { timeout: 10_000 }).toContain('4 / 10');

    await expect.poll(() => card(customer.page, 1000).getAttribute('data-stamps'), { timeout: 10_000 }).toBe('4');
    expect(await card(customer.page, 1000).locator('.hole.stamped').count()).toBe(4);
    expect(customer.navigations()).toBe(1);
    await customer.page.screenshot({ path: 'test-results/example-customer.png' });
  });

  it('the cashier redeems a full card and it leaves the customer’s page live', async () => {
    const customer = await open('/customer.html?user=demo-bob');
    await expect.poll(() => card(customer.page, 1001).getAttribute('data-stamps'), { timeout: 15_000 }).toBe('10');
    await expect.poll(() => customer.page.locator('#live').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    expect(await customer.page.locator('.complete').innerText()).toContain('Full');

    const cashier = await open('/cashier.html');
    await cashier.page.fill('#userId', 'demo-bob');
    await cashier.page.click('#find button[type=submit]');
    await card(cashier.page, 1001).waitFor({ timeout: 10_000 });
    expect(await card(cashier.page, 1001).locator('button.add').isDisabled()).toBe(true);
    await card(cashier.page, 1001).locator('button.redeem').click();
    await expect.poll(() => cashier.page.locator('#message').innerText(), { timeout: 10_000 }).toContain('Reward redeemed');

    await expect.poll(() => card(customer.page, 1001).count(), { timeout: 10_000 }).toBe(0);
    expect(customer.navigations()).toBe(1);
  });

  it('shows the gateway’s error code when a change is refused, and loads nothing from outside', async () => {
    const cashier = await open('/cashier.html');
    await cashier.page.fill('#userId', 'demo-carol');
    await cashier.page.click('#find button[type=submit]');
    await card(cashier.page, 1002).waitFor({ timeout: 10_000 });
    // Carol's card needs the staff password: a wrong one is refused, with its code.
    await card(cashier.page, 1002).locator('input[type=password]').fill('000000');
    await card(cashier.page, 1002).locator('button.redeem').click();
    await expect.poll(() => cashier.page.locator('#message').getAttribute('data-kind'), { timeout: 10_000 }).toBe('error');
    expect(await cashier.page.locator('#message').innerText()).toMatch(/^[A-Z_]+: /);
    // Browsers log a refused GraphQL answer as nothing; an exception or an outside request is a defect.
    expect(problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
