import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
