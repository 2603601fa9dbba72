import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authentication.js';
import { addDays, seoulToday } from '../../src/dates.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { GatewayStore } from '../../src/store/store.js';
import { startGateway } from '../helpers/gateway.js';
import { startSandbox, seedStamp } from '../helpers/sandbox.js';
import { subscribeSse } from '../helpers/subscriptions.js';
import { signedToken } from '../helpers/tokens.js';

const JWT_SECRET = 'a-log-test-secret-that-is-long-enough-for-hs256';

const today = seoulToday(new Date());
let sandbox: Sandbox;
let store: GatewayStore;
beforeAll(async () => {
  sandbox = await startSandbox();
  store = await GatewayStore.open({});
});
afterAll(async () => {
  await sandbox.close();
  await store.close();
});
beforeEach(() => sandbox.faults.clear());

const stamp = () => seedStamp(sandbox);
const post = (url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
const read = (url: string, i: number) =>
  post(url, 'query($i: Int!) { stamp(stampIdx: $i) { stamps } }', { i }).then((r) => r.json() as Promise<any>);
const add = (url: string, i: number) =>
  post(url, 'mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }', { i }).then((r) => r.json() as Promise<any>);

describe('the read cache', () => {
  it('does not re-fetch within its TTL, and re-fetches right after a mutation of that stamp', async () => {
    const gw = await startGateway({ sandbox, store, resilience: { cacheTtlMs: 60_000 } });
    try {
      const i = stamp();
      const before = sandbox.requests.total('validate');
      expect((await read(gw.url, i)).data.stamp.stamps).toBe(0);
      expect((await read(gw.url, i)).data.stamp.stamps).toBe(0);
      expect(sandbox.requests.total('validate') - before).toBe(1);
      await add(gw.url, i);
      expect((await read(gw.url, i)).data.stamp.stamps).toBe(1);
      expect(sandbox.requests.total('validate') - before).toBe(2);
      // A change made behind the gateway's back shows only after the TTL: that is the trade.
      sandbox.state.update({ stampIdx: i, stamps: 5 }, 'premium');
      expect((await read(gw.url, i)).data.stamp.stamps).toBe(1);
    } finally {
      await gw.close();
    }
  });

  it('shares one upstream call among concurrent identical reads from different requests', async () => {
    const gw = await startGateway({ sandbox, store, resilience: { cacheTtlMs: 60_000 } });
    try {
      const i = stamp();
      sandbox.faults.add({ endpoint: 'validate', action: { type: 'delay', ms: 100 } });
      const before = sandbox.requests.total('validate');
      const results = await Promise.all(Array.from({ length: 8 }, () => read(gw.url, i)));
      expect(results.every((r) => r.data.stamp.stamps === 0)).toBe(true);
      expect(sandbox.requests.total('validate') - before).toBe(1);
    } finally {
      await gw.close();
    }
  });

  it('answers every read that shared a call forgotten in flight by a change: afresh, none an internal error', async () => {
    const gw = await startGateway({ sandbox, store, resilience: { cacheTtlMs: 60_000 } });
    try {
      const i = stamp();
      const counters = async () => {
        const text = await (await fetch(`${gw.url}/metrics`)).text();
        return [/stamp_cache_hits (\d+)/, /stamp_cache_misses (\d+)/].map((re) => Number(re.exec(text)?.[1]));
      };
      const [hits, misses] = await counters();
      sandbox.faults.add({ endpoint: 'validate', action: { type: 'delay', ms: 500 }, times: 1 });
      // Eight reads share one delayed call; a change of the stamp forgets it while they wait.
      const reads = Array.from({ length: 8 }, () => read(gw.url, i));
      await new Promise((r) => setTimeout(r, 50));
      expect((await add(gw.url, i)).errors).toBeUndefined();
      const results = await Promise.all(reads);
      for (const r of results) {
        expect(r.errors).toBeUndefined();
        // Read afresh, after the change or while it was applied: never an error.
        expect([0, 1]).toContain(r.data.stamp.stamps);
      }
      // Each read that had to read again counts as a miss, not as a hit on the call it shared.
      expect(await counters()).toEqual([hits, misses! + 8]);
      expect((await read(gw.url, i)).data.stamp.stamps).toBe(1);
    } finally {
      await gw.close();
    }
  });
});

describe('rate shaping to the plan limit', () => {
  it('keeps upstream calls within the limit under a burst, failing the rest fast with a retry hint', async () => {
    const gw = await startGateway({ sandbox, store, resilience: { ratePerMinute: 5, ratePerHour: 100, maxQueueWaitMs: 50 } });
    try {
      const ids = Array.from({ length: 12 }, stamp);
      const before = sandbox.requests.total();
      const results = await Promise.all(ids.map((i) => read(gw.url, i)));
      expect(sandbox.requests.total() - before).toBe(5);
      const limited = results.filter((r) => r.errors);
      expect(limited).toHaveLength(7);
      for (const r of limited) expect(r.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', shedBy: 'quota' });
      expect(limited[0].errors[0].extensions.retryAfter).toBeGreaterThan(0);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/stamp_api_quota\{window="minute",kind="used"\} 5/);
      expect(metrics).toMatch(/stamp_api_quota\{window="minute",kind="left"\} 0/);
    } finally {
      await gw.close();
    }
  });
});

describe('a fair share of the quota, and refusals remembered', () => {
  it('lets a customer hammering 200 missing ids spend no more than its share, and leaves a writer working', async () => {
    const secret = 'a-test-secret-that-is-long-enough-for-hs256';
    const dir = await mkdtemp(join(tmpdir(), 'share-'));
    const keys = join(dir, 'keys.json');
    await writeFile(keys, JSON.stringify([{ name: 'till', key: 'till-key-0123456789abcdef', scopes: ['stamps:read', 'stamps:write'] }]));
    const auth = await Authenticator.create({ mode: 'enforced', jwtSecret: secret, apiKeysFile: keys });
    const gw = await startGateway({
      sandbox,
      store,
      auth,
      resilience: { ratePerMinute: 40, ratePerHour: 1_000, callerShare: 0.25, unavailableCacheTtlMs: 30_000 },
    });
    try {
      const token = await signedToken(secret, 'hammer');
      const ids = Array.from({ length: 100 }, (_, i) => 7_000_000 + i);
      const probe = (list: number[]) =>
        post(
          gw.url,
          'query($ids: [Int!]!) { stamps(stampIdxs: $ids) { stampIdx } }',
          { ids: list },
          { authorization: `Bearer ${token}` },
        ).then((r) => r.json() as Promise<any>);
      const before = sandbox.requests.total('validate');
      const first = [await probe(ids), await probe(ids.map((i) => i + 100))];
      // 25% of 40 calls a minute: 10 reach the stamp API, the rest are refused fast with a retry hint.
      expect(sandbox.requests.total('validate') - before).toBe(10);
      const codes = first.flatMap((r) => r.errors.map((e: any) => e.extensions.code));
      expect(codes.filter((c: string) => c === 'STAMP_UNAVAILABLE')).toHaveLength(10);
      expect(codes.filter((c: string) => c === 'RATE_LIMITED')).toHaveLength(190);
      expect(first[0].errors.find((e: any) => e.extensions.code === 'RATE_LIMITED').extensions.retryAfter).toBeGreaterThan(0);
      // Asking again about the same missing ids costs nothing upstream.
      await probe(ids);
      expect(sandbox.requests.total('validate') - before).toBe(10);
      // The quota left is the writer's.
      const i = stamp();
      const res = await post(
        gw.url,
        'mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stamp { stamps } } }',
        { i },
        { authorization: 'Bearer till-key-0123456789abcdef' },
      ).then((r) => r.json() as Promise<any>);
      expect(res.errors, JSON.stringify(res)).toBeUndefined();
      expect(res.data.addStamp.stamp.stamps).toBe(1);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/stamp_api_quota\{window="minute",kind="left"\} (2[0-9]|30)/);
    } finally {
      await gw.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the circuit breaker', () => {
  it('opens after repeated failures, fails in milliseconds without calling, reports not ready, and recovers', async () => {
    const gw = await startGateway({
      sandbox,
      store,
      upstream: { retries: 0 },
      resilience: { breakerThreshold: 3, breakerCooldownMs: 300 },
    });
    try {
      const i = stamp();
      sandbox.faults.add({ endpoint: 'validate', action: { type: 'status', status: 503 }, times: 'always' });
      for (let n = 0; n < 3; n++) expect((await read(gw.url, i)).errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
      const before = sandbox.requests.total();
      const started = performance.now();
      const fast = await read(gw.url, i);
      expect(performance.now() - started).toBeLessThan(100);
      expect(fast.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', shedBy: 'breaker' });
      expect(sandbox.requests.total()).toBe(before);
      const notReady = await fetch(`${gw.url}/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ ready: false, failed: { upstream: expect.stringMatching(/breaker/) } });
      expect(await (await fetch(`${gw.url}/metrics`)).text()).toMatch(/stamp_api_breaker_state 2/);

      sandbox.faults.clear();
      await new Promise((r) => setTimeout(r, 350));
      expect((await read(gw.url, i)).data.stamp.stamps).toBe(0);
      expect((await fetch(`${gw.url}/ready`)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});

describe('operations', () => {
  it('logs one JSON line per operation, listing its upstream calls, with the request id, returned as X-Request-Id, and no secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).trim().split('\n'));
        done();
      },
    });
    const dir = await mkdtemp(join(tmpdir(), 'log-keys-'));
    await writeFile(
      join(dir, 'keys.json'),
      JSON.stringify([{ name: 'till-7', key: 'some-token-value-0123456789', scopes: ['stamps:read', 'stamps:redeem'] }]),
    );
    const auth = await Authenticator.create({
      mode: 'enforced',
      apiKeysFile: join(dir, 'keys.json'),
      jwtSecret: JWT_SECRET,
      jwtMaxLifetimeS: 3600,
    });
    const gw = await startGateway({ sandbox, store, auth, logger: pino({ level: 'info' }, sink) });
    try {
      const i = sandbox.state.create(
        {
          cardIdx: 3,
          strtYmd: addDays(today, -1),
          endYmd: addDays(today, 30),
          userEml: 'secret-person@example.com',
          userPhnno: '010-9999-8888',
        },
        'premium',
      ).result as number;
      sandbox.state.update({ stampIdx: i, stamps: 5 }, 'premium');
      const res = await post(
        gw.url,
        'mutation Redeem($i: Int!) { redeemStamp(input: {stampIdx: $i, onsitePassword: "482913"}) { stampIdx } }',
        { i },
        { 'x-request-id': 'trace-abc-123', authorization: 'Bearer some-token-value-0123456789' },
      );
      expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
      const redeemed = (await res.json()) as any;
      expect(redeemed.errors, JSON.stringify(redeemed)).toBeUndefined();
      const upstream = sandbox.requests.list().filter((r) => r.headers['x-request-id'] === 'trace-abc-123');
      expect(upstream.map((r) => r.endpoint)).toEqual(['validate', 'redeem']);
      await new Promise((r) => setTimeout(r, 20));
      const records = lines.map((l) => JSON.parse(l));
      expect(records.find((r) => r.msg === 'graphql operation')).toMatchObject({
        requestId: 'trace-abc-123',
        caller: 'key:till-7',
        operation: 'Redeem',
        type: 'mutation',
        upstreamCalls: 2,
        upstream: [
          { endpoint: 'validate', status: 200, code: 0, ms: expect.any(Number) },
          { endpoint: 'redeem', status: 200, code: 0, ms: expect.any(Number) },
        ],
      });
      // Listed in the operation's line, the calls have no lines of their own.
      expect(records.filter((r) => r.msg === 'stamp api call')).toEqual([]);
      // A read of a stamp read before refreshes its known state on a share of the quota of its own: the
      // call is still this request's, in its line.
      const till = { authorization: 'Bearer some-token-value-0123456789' };
      const read = 'query Read($i: Int!) { stamp(stampIdx: $i) { stamps } }';
      const readIdx = seedStamp(sandbox, { userId: 'reader-1' });
      await post(gw.url, read, { i: readIdx }, { ...till, 'x-request-id': 'trace-read-1' });
      await post(gw.url, read, { i: readIdx }, { ...till, 'x-request-id': 'trace-read-2' });
      await new Promise((r) => setTimeout(r, 20));
      const reads = lines.map((l) => JSON.parse(l)).filter((r) => String(r.requestId).startsWith('trace-read-'));
      expect(reads.map((r) => [r.msg, r.requestId, r.upstreamCalls, r.upstream?.[0]?.endpoint])).toEqual([
        ['graphql operation', 'trace-read-1', 1, 'validate'],
        ['graphql operation', 'trace-read-2', 1, 'validate'],
      ]);
      // A subscription has no operation line: the calls it makes (a customer's stamp is read when it
      // subscribes) keep a line each.
      const mine = seedStamp(sandbox, { userId: 'cust-log-1' });
      const token = await signedToken(JWT_SECRET, 'cust-log-1');
      const followed = await subscribeSse(
        gw.url,
        'subscription($i: Int!) { stampChanged(stampIdx: $i) { stampIdx } }',
        { i: mine },
        {
          authorization: `Bearer ${token}`,
          'x-request-id': 'trace-sub-1',
        },
      );
      expect(followed.status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
      followed.close();
      const afterSubscribe = lines.map((l) => JSON.parse(l));
      expect(afterSubscribe.filter((r) => r.msg === 'stamp api call').map((r) => [r.requestId, r.endpoint, r.status])).toEqual([
        ['trace-sub-1', 'validate', 200],
      ]);
      const all = lines.join('\n');
      for (const secret of ['482913', 'some-token-value-0123456789', sandbox.apiKey, 'secret-person@example.com', '010-9999-8888'])
        expect(all).not.toContain(secret);
      const generated = await post(gw.url, '{ __typename }');
      expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await gw.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves Prometheus metrics: operations by name and outcome, upstream calls by endpoint, status and code', async () => {
    const gw = await startGateway({ sandbox, store });
    try {
      await post(gw.url, 'query Probe { stamp(stampIdx: 1000) { stampIdx } }');
      await post(gw.url, 'query Missing { stamp(stampIdx: 424242) { stampIdx } }');
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      expect(text).toMatch(/graphql_operations_total\{operation="Probe",type="query",outcome="ok"\} 1/);
      expect(text).toMatch(/graphql_operations_total\{operation="Missing",type="query",outcome="STAMP_UNAVAILABLE"\} 1/);
      expect(text).toMatch(/stamp_api_calls_total\{endpoint="validate",status="200",code="0"\} \d+/);
      expect(text).toMatch(/stamp_api_calls_total\{endpoint="validate",status="200",code="1001"\} 1/);
      expect(text).toMatch(/stamp_api_call_duration_seconds_bucket\{le="0.1",endpoint="validate"\}/);
      expect(text).toMatch(/stamp_cache_hits \d+/);
      expect((await fetch(`${gw.url}/ready`)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('gives a slow upstream only what is left of the request deadline', async () => {
    const gw = await startGateway({ sandbox, store, upstream: { timeoutMs: 5_000 }, resilience: { deadlineMs: 400 } });
    try {
      const ids = [stamp(), stamp()];
      sandbox.faults.add({ endpoint: '*', action: { type: 'delay', ms: 300 }, times: 'always' });
      const started = performance.now();
      // Two reads one after another in one request: the second has only ~100 ms left.
      const res = (await post(gw.url, 'query($a: Int!) { a: stamp(stampIdx: $a) { stamps } }', { a: ids[0] }).then((r) => r.json())) as any;
      expect(res.data.a.stamps).toBe(0);
      // adjustStampCount reads (300 ms), then would update (300 ms more): past the 400 ms deadline.
      const before = sandbox.requests.total('update');
      const both = (await post(gw.url, 'mutation($a: Int!) { adjustStampCount(input: {stampIdx: $a, delta: 1}) { newStamps } }', {
        a: ids[1],
      }).then((r) => r.json())) as any;
      expect(both.errors?.[0]?.extensions.code, JSON.stringify(both)).toBe('UPSTREAM_TIMEOUT');
      expect(sandbox.requests.total('update') - before).toBeLessThanOrEqual(1);
      expect(performance.now() - started).toBeLessThan(1_200);
    } finally {
      await gw.close();
    }
  });
});
