import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Started, startProcess } from './helpers/process.js';

// `npm start` as a new user runs it: no key, so the embedded sandbox, with state under DATA_DIR.
describe('npm start', () => {
  let gateway: Started;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gateway-start-'));
    gateway = await startProcess(
      'src/server.ts',
      { PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, STAMP_API_KEY: '', STAMP_API_URL: '' },
      /ready: (http:\/\/[^\s/]+)\/graphql/,
    );
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says it runs on the embedded sandbox and where', () => {
    expect(gateway.output()).toMatch(/sandbox mode: .*serves at http:\/\/127\.0\.0\.1:\d+/);
    expect(gateway.output()).not.toContain('sandbox-dev-key');
  });

  it('answers /health, GraphQL over HTTP and GraphiQL for a browser', async () => {
    const url = gateway.ready;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stamp(stampIdx: 1000) { user { id } stamps maxStamps } }' }),
    });
    expect(await res.json()).toEqual({ data: { stamp: { user: { id: 'demo-alice' }, stamps: 3, maxStamps: 10 } } });
    const page = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/<title>Stamp Gateway<\/title>/);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await gateway.stop('SIGTERM')).toBe(0);
  });
});

// Production runs the compiled gateway: `npm run build` then `npm run start:prod` (node dist/server.js).
describe('npm run build, then npm run start:prod', () => {
  let gateway: Started;
  let dataDir: string;

  beforeAll(async () => {
    const built = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8' });
    expect(built.status, built.stdout + built.stderr).toBe(0);
    dataDir = await mkdtemp(join(tmpdir(), 'gateway-prod-'));
    gateway = await startProcess(
      'dist/server.js',
      { PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, STAMP_API_KEY: '', STAMP_API_URL: '', NODE_OPTIONS: '' },
      /ready: (http:\/\/[^\s/]+)\/graphql/,
      { nodeArgs: [] },
    );
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the same API from plain JavaScript, sandbox included, and stops on SIGTERM', async () => {
    const res = await fetch(`${gateway.ready}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stamp(stampIdx: 1000) { user { id } stamps } }' }),
    });
    expect(await res.json()).toEqual({ data: { stamp: { user: { id: 'demo-alice' }, stamps: 3 } } });
    expect(await gateway.stop('SIGTERM')).toBe(0);
  });
});
