import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`GraphiQL browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

describe.skipIf(!haveChromium)('GraphiQL in a browser', () => {
  let gw: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    gw = await startGateway();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it('opens with the example operation, runs it and shows the demo stamp, loading nothing from the internet', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(gw.url) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) external.push(req.url());
    });
    await page.goto(`${gw.url}/graphql`);
    await page.getByText('query DemoStamp').first().waitFor({ timeout: 15_000 });
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.graphiql-response');
    await expect.poll(async () => result.innerText(), { timeout: 15_000 }).toContain('demo-alice');
    // The editor renders spaces as non-breaking spaces.
    const text = (await result.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('"cardName": "10 Americanos"');
    expect(text).not.toContain('errors');
    expect(external).toEqual([]);
    expect(gw.sandbox.requests.list('validate').map((r) => r.query.stampIdx)).toContain('1000');
    await page.screenshot({ path: 'test-results/graphiql.png' });
  });
});
