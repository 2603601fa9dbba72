import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { createUpstreamClient, type UpstreamCallRecord } from '../../src/upstream/client.js';
import type { Endpoint } from '../../src/upstream/endpoints.js';
import { CircuitBreaker } from '../../src/upstream/breaker.js';
import { Quota } from '../../src/upstream/quota.js';
import { StampApi } from '../../src/upstream/stamp-api.js';
import { startSandbox, TEST_USER_AGENT, clientOptions } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe('the upstream client', () => {
  it('sends the key, User-Agent and language on every call, reads and changes alike, with or without a request id', async () => {
    // Reads go straight to the connection pool, changes through ky: both must send the same headers.
    const client = createUpstreamClient(clientOptions(sandbox));
    await new StampApi(client).validate(1000);
    await new StampApi(client, 'req-42').validate(1000);
    await new StampApi(client).update(1000, { memo: 'plain' });
    await new StampApi(client, 'req-43').update(1000, { memo: 'with an id' });
    const [plainRead, readWithId, plainChange, changeWithId] = sandbox.requests.list();
    expect([plainRead, readWithId, plainChange, changeWithId].map((c) => `${c?.method} ${c?.path}`)).toEqual([
      'GET /api/stamp/v1/validate',
      'GET /api/stamp/v1/validate',
      'PUT /api/stamp/v1/update',
      'PUT /api/stamp/v1/update',
    ]);
    for (const call of [plainRead, readWithId, plainChange, changeWithId]) {
      expect(call?.headers).toMatchObject({
        authorization: `APIKey ${sandbox.apiKey}`,
        'user-agent': TEST_USER_AGENT,
        'accept-language': 'en',
      });
    }
    expect(readWithId?.headers['x-request-id']).toBe('req-42');
    expect(changeWithId?.headers['x-request-id']).toBe('req-43');
    expect(plainRead?.headers['x-request-id']).toBeUndefined();
    expect(plainChange?.headers['x-request-id']).toBeUndefined();
    expect(plainRead?.query).toMatchObject({ stampIdx: '1000' });
  });

  it('reports each call: endpoint, status, envelope code, attempts', async () => {
    const records: UpstreamCallRecord[] = [];
    const client = createUpstreamClient(clientOptions(sandbox));
    sandbox.faults.add({ endpoint: 'validate', action: { type: 'status', status: 503 } });
    await client.call('validate', { searchParams: { stampIdx: 1000 }, onDone: (r) => records.push(r) });
    await client.call('add', { json: { stampIdx: 424242 }, onDone: (r) => records.push(r) }).catch(() => undefined);
    expect(records).toMatchObject([
      { endpoint: 'validate', status: 200, code: 0, attempts: 2 },
      { endpoint: 'add', status: 200, code: 1001, attempts: 1, error: 'UpstreamRejectedError' },
    ]);
  });

  it('stops retrying once the retry budget is spent, on reads and changes alike', async () => {
    for (const endpoint of ['validate', 'update'] as Endpoint[]) {
      sandbox.requests.clear();
      sandbox.faults.clear();
      // An outage: every call answers 503 (Retry-After: 0, so the test does not wait out backoffs).
      sandbox.faults.add({ endpoint, action: { type: 'status', status: 503, retryAfter: 0 }, times: 'always' });
      const quota = new Quota({ perMinute: 10_000, perHour: 100_000, maxQueueWaitMs: 2_000, callerShare: 1 });
      const breaker = new CircuitBreaker({ threshold: 1_000, cooldownMs: 5_000 });
      const client = createUpstreamClient({ ...clientOptions(sandbox), quota, breaker });
      const attempts: number[] = [];
      for (let i = 0; i < 8; i++) {
        const options = endpoint === 'validate' ? { searchParams: { stampIdx: 1000 } } : { json: { stampIdx: 1000, memo: 'x' } };
        await client.call(endpoint, { ...options, onDone: (r) => attempts.push(r.attempts) }).catch(() => undefined);
      }
      // The budget is 20% of the last 10 s of calls, at least 10 retries: five calls use two each, then
      // every call is tried once; retries cannot multiply the outage.
      expect(attempts, endpoint).toEqual([3, 3, 3, 3, 3, 1, 1, 1]);
      expect(sandbox.requests.list().length, endpoint).toBe(18);
    }
  });
});
