import WebSocket from 'ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authentication.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { seedStamp } from '../helpers/sandbox.js';
import { type Followed, quietFor, subscribeSse, subscribeWs, wsClient } from '../helpers/subscriptions.js';
import { signedToken } from '../helpers/tokens.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const STAFF_KEY = 'staff-key-0123456789abcdef';
const FOLLOW =
  'subscription($i: Int!) { stampChanged(stampIdx: $i) { stampIdx action source eventId at stamp { stamps asOf user { id } } } }';
const FOLLOW_MANY = 'subscription($ids: [Int!]!) { stampsChanged(stampIdxs: $ids) { stampIdx action stamp { stamps } } }';
const READ = 'query($i: Int!) { stamp(stampIdx: $i) { stamps } }';

const jwt = (sub: string, scope: string, expiresIn: string | number = '5m') => signedToken(SECRET, sub, scope, expiresIn);

describe('subscriptions: every change is one event, to each subscriber, over SSE and WebSocket', () => {
  let gw: TestGateway;
  const staff = { authorization: `Bearer ${STAFF_KEY}` };
  beforeAll(async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(await mkdtemp(join(tmpdir(), 'keys-')), 'keys.json');
    await writeFile(
      file,
      JSON.stringify([{ name: 'staff', key: STAFF_KEY, scopes: ['stamps:read', 'stamps:write', 'stamps:redeem', 'stamps:admin'] }]),
    );
    const auth = await Authenticator.create({ mode: 'enforced', apiKeysFile: file, jwtSecret: SECRET, jwtMaxLifetimeS: 3600 });
    gw = await startGateway({ auth, subscriptions: { perCaller: 5, perInstance: 50 } });
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.sandbox.requests.clear());

  const open = () => gw.parts.stamps.changes.size;
  const post = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = staff) =>
    gw.post(query, variables, headers);
  const sse = (idx: number, headers: Record<string, string> = staff) => subscribeSse(gw.url, FOLLOW, { i: idx }, headers);
  const settle = () => expect.poll(open).toBe(0);

  it('a mutation reaches an SSE and a WebSocket subscriber once each, with the state after it', async () => {
    const idx = seedStamp(gw.sandbox, { stamps: 4 });
    const overSse = await sse(idx);
    expect(overSse.headers?.get('content-type')).toMatch(/^text\/event-stream/);
    expect(overSse.headers?.get('x-accel-buffering')).toBe('no');
    expect(overSse.headers?.get('content-encoding') ?? 'none').toBe('none');
    const client = wsClient(gw.url, { authorization: `Bearer ${STAFF_KEY}` });
    const overWs = subscribeWs(client, FOLLOW, { i: idx });
    await expect.poll(open).toBe(2);

    const added = await post('mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stamp { stamps } } }', { i: idx });
    expect(added.body.data.addStamp.stamp.stamps).toBe(5);
    for (const s of [overSse, overWs]) {
      const event = (await s.next(1_000)).data.stampChanged;
      expect(event).toMatchObject({ stampIdx: idx, action: 'ADDED', source: 'GATEWAY', stamp: { stamps: 5 } });
      expect(event.eventId).toMatch(/^\d+$/);
    }
    // The event names the history entry of the mutation, and carries its time.
    const history = await post('query($i: Int!) { stampHistory(stampIdx: $i, first: 1) { edges { node { id operation at } } } }', {
      i: idx,
    });
    expect(history.body.data.stampHistory.edges[0].node).toEqual({
      id: overSse.events[0]!.data.stampChanged.eventId,
      operation: 'addStamp',
      at: overSse.events[0]!.data.stampChanged.at,
    });
    expect(overWs.events[0]!.data.stampChanged.at).toBe(overSse.events[0]!.data.stampChanged.at);
    expect(await quietFor(overSse, 300)).toBe(0);
    expect(overWs.events).toHaveLength(1);
    overSse.close();
    overWs.close();
    await client.dispose();
    await settle();
  });

  it('an EventSource-style GET works without the CSRF header, and a GET query is still refused without it', async () => {
    const idx = seedStamp(gw.sandbox);
    const url = `${gw.url}/graphql?query=${encodeURIComponent(FOLLOW)}&variables=${encodeURIComponent(JSON.stringify({ i: idx }))}`;
    const abort = new AbortController();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...staff }, signal: abort.signal });
    expect(res.status).toBe(200);
    await expect.poll(open).toBe(1);
    abort.abort();
    await settle();
    const query = await fetch(`${gw.url}/graphql?query=${encodeURIComponent('{ stamp(stampIdx: 1000) { stamps } }')}`, { headers: staff });
    expect(query.status).toBe(403);
  });

  it('each kind of mutation publishes exactly one event; a refused one publishes none', async () => {
    const idx = seedStamp(gw.sandbox, { cardIdx: 2, stamps: 5 });
    const s = await sse(idx);
    const steps: Array<[string, Record<string, unknown>, string]> = [
      ['mutation($i: Int!) { updateStamp(input: {stampIdx: $i, memo: "vip"}) { stamp { stamps } } }', { i: idx }, 'UPDATED'],
      ['mutation($i: Int!) { removeStamp(input: {stampIdx: $i}) { stamp { stamps } } }', { i: idx }, 'REMOVED'],
      ['mutation($i: Int!) { adjustStampCount(input: {stampIdx: $i, delta: 2}) { newStamps } }', { i: idx }, 'ADJUSTED'],
      ['mutation($i: Int!) { resetStampPin(input: {stampIdx: $i}) { stamp { stamps } } }', { i: idx }, 'PIN_RESET'],
      ['mutation($i: Int!) { redeemStamp(input: {stampIdx: $i}) { stampIdx } }', { i: idx }, 'REDEEMED'],
    ];
    for (const [mutation, variables, action] of steps) {
      const res = await post(mutation, variables);
      expect(res.body.errors).toBeUndefined();
      const event = (await s.next(1_000)).data.stampChanged;
      expect(event.action).toBe(action);
      if (action === 'REDEEMED') expect(event.stamp).toBeNull();
    }
    // Refused before anything was sent: nothing changed, nothing announced.
    const refused = await post('mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stamp { stamps } } }', { i: idx });
    expect(refused.body.errors?.[0]?.extensions?.code).toBeDefined();
    expect(await quietFor(s, 300)).toBe(0);
    const deleted = await post('mutation($i: Int!) { deleteStamp(input: {stampIdx: $i}) { stampIdx } }', { i: idx });
    expect(deleted.body.errors).toBeUndefined();
    expect((await s.next(1_000)).data.stampChanged).toMatchObject({ action: 'DELETED', stamp: null });
    s.close();
    await settle();
  });

  it('a change that may have happened (the stamp API applied it, then the answer was lost) is announced too', async () => {
    const idx = seedStamp(gw.sandbox, { stamps: 1 });
    const s = await sse(idx);
    gw.sandbox.faults.add({ endpoint: 'add', applyFirst: true, action: { type: 'status', status: 502 } } as never);
    const res = await post('mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stamp { stamps } } }', { i: idx });
    expect(res.body.errors?.[0]?.extensions?.outcome).toBe('UNKNOWN');
    expect((await s.next(1_000)).data.stampChanged).toMatchObject({ action: 'ADDED', stamp: { stamps: 2 } });
    expect(await quietFor(s, 300)).toBe(0);
    s.close();
    await settle();
  });

  it('the state after a change is read once for all the subscribers of the stamp', async () => {
    const idx = seedStamp(gw.sandbox);
    const subscribers: Followed[] = [];
    for (let i = 0; i < 3; i++) subscribers.push(await sse(idx));
    const client = wsClient(gw.url, { authorization: `Bearer ${STAFF_KEY}` });
    subscribers.push(subscribeWs(client, FOLLOW, { i: idx }), subscribeWs(client, FOLLOW, { i: idx }));
    await expect.poll(open).toBe(5);
    gw.sandbox.requests.clear();
    await post('mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }', { i: idx });
    for (const s of subscribers) expect((await s.next(1_000)).data.stampChanged.stamp.stamps).toBe(1);
    const reads = gw.sandbox.requests.list('validate').filter((r) => r.headers['x-request-id']?.startsWith('change-'));
    expect(reads).toHaveLength(1);
    for (const s of subscribers) s.close();
    await client.dispose();
    await settle();
  });

  it('stampsChanged follows up to 100 stamps, each change once, and refuses 0 or 101 ids', async () => {
    const a = seedStamp(gw.sandbox);
    const b = seedStamp(gw.sandbox);
    const s = await subscribeSse(gw.url, FOLLOW_MANY, { ids: [a, b, a] }, staff);
    await post('mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }', { i: a });
    await post('mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }', { i: b });
    expect((await s.next()).data.stampsChanged.stampIdx).toBe(a);
    expect((await s.next()).data.stampsChanged.stampIdx).toBe(b);
    expect(await quietFor(s, 300)).toBe(0);
    s.close();
    for (const ids of [[], Array.from({ length: 101 }, (_, i) => i + 1), [0], [-1]]) {
      const refused = await subscribeSse(gw.url, FOLLOW_MANY, { ids }, staff);
      const first = await refused.next();
      expect(first.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      await refused.ended;
    }
    await settle();
  });

  it('a customer follows its own stamps only, and gets for anyone else’s exactly the answer of a stamp that does not exist', async () => {
    const mine = seedStamp(gw.sandbox, { userId: 'cust-1' });
    const theirs = seedStamp(gw.sandbox, { userId: 'cust-2' });
    const customer = { authorization: `Bearer ${await jwt('cust-1', 'stamps:read')}` };
    const missing = 987_654_321;
    const asQuery = await post(READ, { i: missing }, customer);
    const expected = asQuery.body.errors![0]!;

    for (const idx of [theirs, missing]) {
      const s = await sse(idx, customer);
      const first = await s.next();
      expect(first.data ?? null).toBeNull();
      const error = first.errors![0]!;
      expect(error.extensions).toEqual({ ...expected.extensions, stampIdx: idx });
      expect(error.message).toBe(expected.message.replace(String(missing), String(idx)));
      await s.ended;
      const client = wsClient(gw.url, customer);
      const overWs = subscribeWs(client, FOLLOW, { i: idx });
      const wsFirst = await overWs.next();
      expect(wsFirst.errors![0]!.extensions).toEqual({ ...expected.extensions, stampIdx: idx });
      await client.dispose();
    }
    // Nothing of the other customer's stamp leaks through a change either.
    const s = await sse(mine, customer);
    await post('mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }', { i: theirs });
    await post('mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }', { i: mine });
    const event = (await s.next(1_000)).data.stampChanged;
    expect(event).toMatchObject({ stampIdx: mine, stamp: { user: { id: 'cust-1' } } });
    expect(await quietFor(s, 300)).toBe(0);
    s.close();
    await settle();
  });

  it('a stream that a customer follows ends when the stamp stops being theirs', async () => {
    const idx = seedStamp(gw.sandbox, { userId: 'cust-3' });
    const s = await sse(idx, { authorization: `Bearer ${await jwt('cust-3', 'stamps:read')}` });
    await post('mutation($i: Int!) { updateStamp(input: {stampIdx: $i, user: {id: "cust-4"}}) { stampIdx } }', { i: idx });
    const last = await s.next(1_000);
    expect(last.errors?.[0]?.extensions?.code).toBe('STAMP_UNAVAILABLE');
    expect(JSON.stringify(last)).not.toContain('cust-4');
    await s.ended;
    await settle();
  });

  it('needs stamps:read, and refuses an invalid token', async () => {
    const anonymous = await sse(1000, {});
    expect((await anonymous.next()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await subscribeSse(gw.url, FOLLOW, { i: 1000 }, { authorization: 'Bearer nope' });
    expect(forged.status).toBe(401);
    const noScope = await sse(1000, { authorization: `Bearer ${await jwt('cust-9', 'profile')}` });
    expect((await noScope.next()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await settle();
  });

  it('bounds subscriptions per caller, and frees a slot when a client goes away', async () => {
    const idx = seedStamp(gw.sandbox);
    const held: Followed[] = [];
    for (let i = 0; i < 5; i++) held.push(await sse(idx));
    const sixth = await sse(idx);
    expect((await sixth.next()).errors?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    // Another caller is not held up by this one.
    const other = await sse(idx, { authorization: `Bearer ${await jwt('cust-x', 'stamps:read stamps:write')}` });
    await expect.poll(open).toBe(6);
    held[0]!.close();
    await expect.poll(open).toBe(5);
    const again = await sse(idx);
    await expect.poll(open).toBe(6);
    for (const s of [...held, other, again]) s.close();
    await settle();
  });

  it('ends a stream when its token expires', async () => {
    const idx = seedStamp(gw.sandbox, { userId: 'cust-5' });
    const s = await sse(idx, { authorization: `Bearer ${await jwt('cust-5', 'stamps:read', Math.floor(Date.now() / 1000) + 2)}` });
    const last = await s.next(5_000);
    expect(last.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await s.ended;
    await settle();
  });

  it('over WebSocket: refuses a bad token at connection, a query, and a page from another site', async () => {
    const bad = wsClient(gw.url, { authorization: 'Bearer nope' });
    const refused = subscribeWs(bad, FOLLOW, { i: 1000 });
    const ended = await refused.ended;
    expect((ended.error as { code?: number }).code).toBe(4403);
    await bad.dispose();

    const client = wsClient(gw.url, { authorization: `Bearer ${STAFF_KEY}` });
    const query = subscribeWs(client, READ, { i: 1000 });
    const { error } = await query.ended;
    expect(JSON.stringify(error)).toContain('BAD_REQUEST');
    await client.dispose();

    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${gw.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { origin: 'https://evil.example' });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });
});
