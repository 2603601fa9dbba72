import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { createUpstreamClient, type UpstreamCallRecord } from '../../src/upstream/client.js';
import { StampApi } from '../../src/upstream/stamps.js';
import { startSandbox, TEST_USER_AGENT } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe('the upstream client', () => {
  it('sends the key, User-Agent and language on every call, with or without a request id', async () => {
    const client = createUpstreamClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, timeoutMs: 2000, userAgent: TEST_USER_AGENT });
    await new StampApi(client).validate(1000);
    await new StampApi(client, 'req-42').validate(1000);
    const [plain, withId] = sandbox.requests.list();
    for (const call of [plain, withId]) {
      expect(call?.headers).toMatchObject({ authorization: `APIKey ${sandbox.apiKey}`, 'user-agent': TEST_USER_AGENT, 'accept-language': 'en' });
    }
    expect(withId?.headers['x-request-id']).toBe('req-42');
    expect(plain?.headers['x-request-id']).toBeUndefined();
  });

  it('reports each call: endpoint, status, envelope code, attempts', async () => {
    const records: UpstreamCallRecord[] = [];
    const client = createUpstreamClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, timeoutMs: 2000, userAgent: TEST_USER_AGENT });
    sandbox.faults.add({ endpoint: 'validate', action: { type: 'status', status: 503 } });
    await client.call('validate', { searchParams: { stampIdx: 1000 }, onDone: (r) => records.push(r) });
    await client.call('add', { json: { stampIdx: 424242 }, onDone: (r) => records.push(r) }).catch(() => undefined);
    expect(records).toMatchObject([
      { endpoint: 'validate', status: 200, code: 0, attempts: 2 },
      { endpoint: 'add', status: 200, code: 1001, attempts: 1, error: 'UpstreamRejectedError' },
    ]);
  });
});
