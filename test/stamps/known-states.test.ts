import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { GatewayStore } from '../../src/store/store.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { seedStamp, startSandbox } from '../helpers/sandbox.js';
import { DATABASE_URL_TEST, freshSchema } from '../helpers/store.js';

const READ = 'query($i: Int!) { stamp(stampIdx: $i) { stamps asOf } }';
const ADD = 'mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('known state instead of an error, when the quota is out', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Three calls a minute; the cache lives 300 ms, so a state ages out fast.
    gw = await startGateway({ resilience: { ratePerMinute: 3, ratePerHour: 1000, maxQueueWaitMs: 0, cacheTtlMs: 300, refreshShare: 1 } });
  });
  afterAll(() => gw.close());

  it('answers from the last confirmed state with its age; a stamp never confirmed fails with UPSTREAM_RATE_LIMITED; a change announced since voids it', async () => {
    const [a, b, c, never] = [seedStamp(gw.sandbox, { stamps: 2 }), seedStamp(gw.sandbox), seedStamp(gw.sandbox), seedStamp(gw.sandbox)];
    const first = (await gw.post(READ, { i: a })).body.data.stamp;
    expect(first.stamps).toBe(2);
    await gw.post(READ, { i: b });
    await gw.post(READ, { i: c });
    await sleep(400);
    gw.sandbox.requests.clear();

    // The quota is spent: the aged state of a answers, as it was confirmed.
    const known = await gw.post(READ, { i: a });
    expect(known.body.errors).toBeUndefined();
    expect(known.body.data.stamp).toEqual(first);
    expect(Date.parse(known.body.data.stamp.asOf)).toBeLessThan(Date.now() - 300);
    expect(gw.sandbox.requests.count('validate')).toBe(0);

    const unknown = await gw.post(READ, { i: never });
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });

    // A change heard (here, made outside and announced by a webhook-equivalent notice) voids what was known.
    await gw.store.notify({ kind: 'change', stampIdx: b, action: 'ADDED', source: 'WEBHOOK', at: new Date().toISOString(), eventId: 'x' });
    await expect.poll(async () => (await gw.post(READ, { i: b })).body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_RATE_LIMITED');
  });
});

describe('refreshes of states that only aged have a small share of the quota', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      webhooks: { secret: 'known-states-secret-0123456789' },
      resilience: { ratePerMinute: 100, ratePerHour: 10_000, maxQueueWaitMs: 0, cacheTtlMs: 200, refreshShare: 0.02 },
    });
  });
  afterAll(() => gw.close());

  it('with webhooks on, refreshes two a minute, answers the rest from known state, and still reads new stamps', async () => {
    const ids = Array.from({ length: 5 }, () => seedStamp(gw.sandbox));
    for (const i of ids) await gw.post(READ, { i });
    await sleep(300);
    gw.sandbox.requests.clear();
    const again = await Promise.all(ids.map((i) => gw.post(READ, { i })));
    for (const r of again) expect(r.body.data.stamp.stamps).toBe(0);
    expect(gw.sandbox.requests.count('validate')).toBe(2);
    const fresh = seedStamp(gw.sandbox, { stamps: 4 });
    expect((await gw.post(READ, { i: fresh })).body.data.stamp.stamps).toBe(4);
    // A mutation's own read-back is never a refresh, never a known state.
    const changed = ids[4]!;
    await gw.post(ADD, { i: changed });
    expect((await gw.post(READ, { i: changed })).body.data.stamp.stamps).toBe(1);
  });
});

describe('without webhooks nothing says an aged state is still right', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      resilience: { ratePerMinute: 100, ratePerHour: 10_000, maxQueueWaitMs: 0, cacheTtlMs: 200, refreshShare: 0.02 },
    });
  });
  afterAll(() => gw.close());

  it('refreshes every aged state with the caller’s own quota', async () => {
    const ids = Array.from({ length: 5 }, () => seedStamp(gw.sandbox));
    for (const i of ids) await gw.post(READ, { i });
    await sleep(300);
    gw.sandbox.requests.clear();
    await Promise.all(ids.map((i) => gw.post(READ, { i })));
    expect(gw.sandbox.requests.count('validate')).toBe(5);
  });
});

describe.skipIf(!DATABASE_URL_TEST)('across the fleet (PostgreSQL)', () => {
  let sandbox: Sandbox;
  let a: TestGateway;
  let b: TestGateway;
  beforeAll(async () => {
    sandbox = await startSandbox();
    const schema = freshSchema();
    const resilience = { cacheTtlMs: 60_000 };
    a = await startGateway({ sandbox, resilience, store: await GatewayStore.open({ databaseUrl: DATABASE_URL_TEST, schema }) });
    b = await startGateway({ sandbox, resilience, store: await GatewayStore.open({ databaseUrl: DATABASE_URL_TEST, schema }) });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await a.store.close();
    await b.store.close();
    await sandbox.close();
  });

  it('a stamp one instance confirmed is not fetched again by another while valid, and a change through either voids it for both', async () => {
    const i = seedStamp(sandbox, { stamps: 1 });
    sandbox.requests.clear();
    expect((await a.post(READ, { i })).body.data.stamp.stamps).toBe(1);
    await expect.poll(async () => (await b.store.knownState(i))?.stamp.stamps).toBe(1);
    expect((await b.post(READ, { i })).body.data.stamp.stamps).toBe(1);
    expect(sandbox.requests.count('validate')).toBe(1);

    await a.post(ADD, { i });
    await expect.poll(async () => (await b.post(READ, { i })).body.data.stamp.stamps).toBe(2);
    expect((await a.post(READ, { i })).body.data.stamp.stamps).toBe(2);
  });
});
