import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startProcess } from '../helpers/process.js';
import { startSandbox } from '../helpers/sandbox.js';

const TOKEN = 'metrics-token-0123456789abcdef';

describe('/metrics and /ready behind METRICS_TOKEN', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ security: { metricsToken: TOKEN } });
  });
  afterAll(() => gw.close());

  it('refuses both without the token, or with another, and serves them with it; /health stays open', async () => {
    for (const path of ['/metrics', '/ready']) {
      for (const authorization of [undefined, 'Bearer nope', `Bearer ${TOKEN}x`, TOKEN, `bearer ${TOKEN}`]) {
        const res = await fetch(`${gw.url}${path}`, { headers: authorization ? { authorization } : {} });
        expect(res.status, `${path} ${authorization}`).toBe(401);
        const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
        expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      }
      const ok = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status, path).toBe(200);
    }
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
  });
});

describe('/metrics and /ready in production, as a process', () => {
  let sandbox: Sandbox;
  let dataDir: string;
  beforeAll(async () => {
    sandbox = await startSandbox();
    dataDir = await mkdtemp(join(tmpdir(), 'operator-'));
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const env = () => ({
    PORT: '0',
    NODE_ENV: 'production',
    STAMP_API_URL: sandbox.url,
    STAMP_API_KEY: sandbox.apiKey,
    GATEWAY_AUTH: 'off',
    DATA_DIR: dataDir,
  });

  it('says at start-up that they are public when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
    const gateway = await startProcess('src/server.ts', env(), /ready: (http:\/\/[^\s/]+)\/graphql/, { timeoutMs: 60_000 });
    try {
      expect(gateway.output()).toMatch(/\/metrics and \/ready are open to anyone.*METRICS_TOKEN or METRICS_PORT/);
    } finally {
      await gateway.stop();
    }
  }, 60_000);

  it('serves them only on METRICS_PORT when it is set', async () => {
    const gateway = await startProcess('src/server.ts', { ...env(), METRICS_PORT: '0' }, /ready: (http:\/\/[^\s/]+)\/graphql/, {
      timeoutMs: 60_000,
    });
    try {
      const metricsUrl = /\/metrics and \/ready on (http:\/\/[^\s"]+)/.exec(gateway.output())![1]!;
      expect((await fetch(`${gateway.ready}/metrics`)).status).toBe(404);
      expect((await fetch(`${gateway.ready}/ready`)).status).toBe(404);
      expect((await fetch(`${gateway.ready}/health`)).status).toBe(200);
      const metrics = await fetch(`${metricsUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/stamp_api_quota/);
      expect((await fetch(`${metricsUrl}/ready`)).status).toBe(200);
      expect(gateway.output()).not.toMatch(/open to anyone/);
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});
