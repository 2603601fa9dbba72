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

  it('is a small page whose scripts and styles are separate files from this server, cached for a year and compressed', async () => {
    const res = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html.length).toBeLessThan(100_000);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    const workers = [...html.matchAll(/"(\/graphiql\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    const all = [...new Set([...assets, ...workers])];
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const path of all) expect(path, 'nothing from outside').toMatch(/^\/graphiql\/assets\/[\w.-]+\.[0-9a-f]{16}\.(js|css|ico)$/);
    const script = all.find((p) => /\/graphiql\.[0-9a-f]{16}\.js$/.test(p))!;
    let total = 0;
    for (const encoding of ['br', 'gzip']) {
      const asset = await fetch(`${gw.url}${script}`, { headers: { 'accept-encoding': encoding } });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-type')).toContain('javascript');
      // fetch decodes: the header and the decoded size say it was sent compressed.
      expect(asset.headers.get('content-encoding')).toBe(encoding);
      const decoded = Buffer.from(await asset.arrayBuffer());
      expect(decoded.length).toBeGreaterThan(1_000_000);
      total = decoded.length;
    }
    // The compressed size on the wire: a raw HTTP request without decoding.
    const { request } = await import('node:http');
    const wire = await new Promise<number>((resolve, reject) => {
      const req = request(`${gw.url}${script}`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        let n = 0;
        r.on('data', (c: Buffer) => void (n += c.length));
        r.on('end', () => resolve(n));
      });
      req.on('error', reject);
      req.end();
    });
    expect(wire).toBeLessThan(total / 2);
    const etag = (await fetch(`${gw.url}${script}`)).headers.get('etag')!;
    expect((await fetch(`${gw.url}${script}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    for (const bad of ['/graphiql/assets/nope.js', '/graphiql/assets/../../package.json', `${script}x`]) {
      expect((await fetch(`${gw.url}${bad}`)).status, bad).toBe(404);
    }
    expect((await fetch(`${gw.url}${script}`, { method: 'POST' })).status).toBe(404);
  });
});
