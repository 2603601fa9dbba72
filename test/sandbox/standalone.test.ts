import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/auth/webhook-signature.js';
import { TEST_USER_AGENT } from '../helpers/sandbox.js';
import { type Started, startProcess } from '../helpers/process.js';

describe('npm run sandbox', () => {
  let dataDir: string;
  let sandbox: Started;
  const start = () =>
    startProcess(
      'src/sandbox/main.ts',
      { SANDBOX_PORT: '0', DATA_DIR: dataDir, SANDBOX_API_KEY: '' },
      /listening on (http:\/\/[\d.:]+)[\s\S]*API key: .*\n/,
    );

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sandbox-main-'));
    sandbox = await start();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints its URL and the documented development key, and serves the API with it', async () => {
    expect(sandbox.output()).toMatch(/API key: sandbox-dev-key/);
    const headers = { authorization: 'APIKey sandbox-dev-key', 'user-agent': TEST_USER_AGENT, 'content-type': 'application/json' };
    const res = await fetch(`${sandbox.ready}/api/stamp/v1/add`, { method: 'PUT', headers, body: JSON.stringify({ stampIdx: 1000 }) });
    expect(await res.json()).toEqual({ code: 0, message: '', result: null });
  });

  it(`keeps its state under DATA_DIR across a restart`, async () => {
    expect(await sandbox.stop('SIGTERM')).toBe(0);
    sandbox = await start();
    const res = await fetch(`${sandbox.ready}/api/stamp/v1/validate?stampIdx=1000`, {
      headers: { authorization: 'APIKey sandbox-dev-key', 'user-agent': TEST_USER_AGENT },
    });
    expect(((await res.json()) as { result: { stamps: number } }).result.stamps).toBe(4);
  });
});

describe('npm run sandbox with SANDBOX_WEBHOOK_URL and SANDBOX_WEBHOOK_SECRET', () => {
  const SECRET = 'standalone-webhook-secret-0123';
  let receiver: Server;
  let sandbox: Started;
  const received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    sandbox = await startProcess(
      'src/sandbox/main.ts',
      {
        SANDBOX_PORT: '0',
        SANDBOX_STORAGE: 'memory',
        SANDBOX_API_KEY: '',
        SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        SANDBOX_WEBHOOK_SECRET: SECRET,
      },
      /listening on (http:\/\/[\d.:]+)[\s\S]*API key: .*\n/,
    );
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop('SIGKILL');
    receiver.close();
  });

  it('signs and sends a webhook for an add through its API, which the gateway’s check accepts', async () => {
    const headers = { authorization: 'APIKey sandbox-dev-key', 'user-agent': TEST_USER_AGENT, 'content-type': 'application/json' };
    await fetch(`${sandbox.ready}/api/stamp/v1/add`, { method: 'PUT', headers, body: JSON.stringify({ stampIdx: 1000 }) });
    await expect.poll(() => received.length).toBe(1);
    const [delivery] = received;
    expect(delivery!.headers['x-vivoldi-resource-type']).toBe('STAMP');
    expect(delivery!.headers['x-vivoldi-action-type']).toBe('ADD');
    const h = (name: string) => (delivery!.headers[name] as string | undefined) ?? null;
    expect(() =>
      verifyWebhook(
        { signature: h('x-vivoldi-signature'), timestamp: h('x-vivoldi-timestamp'), contentSha256: h('x-content-sha256') },
        Buffer.from(delivery!.body),
        { secret: SECRET, signedPayload: 'timestamp.body', toleranceS: 60 },
      ),
    ).not.toThrow();
    expect(JSON.parse(delivery!.body).data.stampIdx).toBe(1000);
    expect(sandbox.output()).not.toContain(SECRET);
  });

  it('refuses to start with a URL and no secret, naming both variables', async () => {
    await expect(
      startProcess(
        'src/sandbox/main.ts',
        { SANDBOX_PORT: '0', SANDBOX_STORAGE: 'memory', SANDBOX_WEBHOOK_URL: 'http://127.0.0.1:1/x' },
        /listening on/,
      ),
    ).rejects.toThrow(/SANDBOX_WEBHOOK_URL, SANDBOX_WEBHOOK_SECRET: give both/);
  });
});
