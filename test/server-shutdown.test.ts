import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/sandbox/server.js';
import { startProcess } from './helpers/process.js';
import { startSandbox } from './helpers/sandbox.js';

describe('graceful shutdown', () => {
  let sandbox: Sandbox;
  let dataDir: string;
  beforeAll(async () => {
    sandbox = await startSandbox();
    dataDir = await mkdtemp(join(tmpdir(), 'gateway-term-'));
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loses no accepted request when SIGTERM arrives under load, then exits 0', async () => {
    const gateway = await startProcess(
      'src/server.ts',
      {
        PORT: '0',
        STAMP_API_URL: sandbox.url,
        STAMP_API_KEY: sandbox.apiKey,
        GATEWAY_AUTH: 'off',
        DATA_DIR: dataDir,
        STAMP_READ_CACHE_TTL_MS: '0',
        STAMP_API_RATE_PER_MINUTE: '100000',
      },
      /ready: (http:\/\/[^\s/]+)\/graphql/,
      { timeoutMs: 60_000 },
    );
    sandbox.faults.add({ endpoint: 'validate', action: { type: 'delay', ms: 1_500 }, times: 'always' });
    try {
      const inFlight = Array.from({ length: 40 }, (_, i) =>
        fetch(`${gateway.ready}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'query($i: Int!) { stamp(stampIdx: $i) { stampIdx } }', variables: { i: 1000 + (i % 3) } }),
        }).then((r) => r.json() as Promise<{ data?: { stamp: { stampIdx: number } }; errors?: unknown }>),
      );
      // Every request accepted and in flight (each is waiting on its upstream read) before the signal.
      await expect.poll(() => sandbox.requests.total('validate'), { timeout: 10_000 }).toBeGreaterThanOrEqual(40);
      const exited = gateway.stop('SIGTERM');
      const results = await Promise.all(inFlight);
      expect(results.filter((r) => r.errors || !r.data?.stamp)).toEqual([]);
      expect(await exited).toBe(0);
      expect(gateway.output()).toMatch(/shutting down/);
      await expect(fetch(`${gateway.ready}/health`)).rejects.toThrow();
    } finally {
      sandbox.faults.clear();
      await gateway.stop('SIGKILL');
    }
  }, 60_000);
});
