import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentSha256, signWebhook } from '../../src/auth/webhook-signature.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { seedStamp } from '../helpers/sandbox.js';
import { type Followed, quietFor, subscribeSse } from '../helpers/subscriptions.js';

const SECRET = 'whsec_test_0123456789abcdef0123';
const FOLLOW = 'subscription($i: Int!) { stampChanged(stampIdx: $i) { stampIdx action source eventId at stamp { stamps asOf } } }';
const READ = 'query($i: Int!) { stamp(stampIdx: $i) { stamps asOf } }';

interface Delivery {
  body?: string;
  eventId?: string;
  t?: string;
  resource?: string;
  action?: string;
  /** Replaces or removes (null) a header after signing. */
  override?: Record<string, string | null>;
  secret?: string;
  signedPayload?: 'timestamp.body' | 'body';
}

async function deliver(
  gw: TestGateway,
  stampIdx: number | null,
  d: Delivery = {},
): Promise<{ status: number; body: any; eventId: string }> {
  const eventId = d.eventId ?? randomUUID();
  const body = d.body ?? JSON.stringify({ eventId, resourceType: 'STAMP', data: { stampIdx, stamps: 1 } });
  const t = d.t ?? String(Date.now());
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-vivoldi-webhook-type': 'GROUP',
    'x-vivoldi-resource-type': d.resource ?? 'STAMP',
    'x-vivoldi-action-type': d.action ?? 'ADD',
    'x-vivoldi-event-id': eventId,
    'x-vivoldi-request-id': randomUUID(),
    'x-vivoldi-timestamp': t,
    'x-vivoldi-comp-idx': '50742',
    'x-content-sha256': contentSha256(body),
    'x-vivoldi-signature': signWebhook(body, { secret: d.secret ?? SECRET, t, signedPayload: d.signedPayload }),
  };
  for (const [name, value] of Object.entries(d.override ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  const res = await fetch(`${gw.url}/webhooks/vivoldi`, { method: 'POST', headers, body });
  return { status: res.status, body: await res.json().catch(() => null), eventId };
}

describe('POST /webhooks/vivoldi', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ webhooks: { secret: SECRET }, resilience: { cacheTtlMs: 300_000 } });
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.sandbox.requests.clear());

  const follow = async (idx: number): Promise<Followed> => {
    const s = await subscribeSse(gw.url, FOLLOW, { i: idx });
    expect(s.status).toBe(200);
    return s;
  };

  it('a signed delivery publishes one change to every subscriber, forgets the cached stamp, and a replay of its Event-Id changes nothing', async () => {
    const idx = seedStamp(gw.sandbox, { stamps: 2 });
    // Cached before the change.
    expect((await gw.post(READ, { i: idx })).body.data.stamp.stamps).toBe(2);
    const [a, b] = [await follow(idx), await follow(idx)];
    gw.sandbox.state.add({ stampIdx: idx });
    gw.sandbox.requests.clear();

    const sent = await deliver(gw, idx, { action: 'ADD' });
    expect(sent.status).toBe(200);
    for (const s of [a, b]) {
      const event = (await s.next()).data.stampChanged;
      expect(event).toMatchObject({ stampIdx: idx, action: 'ADDED', source: 'WEBHOOK', eventId: sent.eventId, stamp: { stamps: 3 } });
      expect(event.at).toMatch(/\+09:00$/);
    }
    // The state after the change was read once for both subscribers.
    expect(gw.sandbox.requests.count('validate')).toBe(1);
    expect((await gw.post(READ, { i: idx })).body.data.stamp.stamps).toBe(3);

    const replay = await deliver(gw, idx, { eventId: sent.eventId });
    expect(replay.status).toBe(200);
    expect(replay.body.duplicate).toBe(true);
    expect(await quietFor(a, 300)).toBe(0);
    a.close();
    b.close();
  });

  it.each([
    ['seconds', () => String(Math.floor(Date.now() / 1000))],
    ['milliseconds', () => String(Date.now())],
  ])('accepts t in %s', async (_kind, t) => {
    const idx = seedStamp(gw.sandbox);
    const s = await follow(idx);
    expect((await deliver(gw, idx, { t: t(), action: 'REMOVE' })).status).toBe(200);
    expect((await s.next()).data.stampChanged.action).toBe('REMOVED');
    s.close();
  });

  const refused: Array<[string, (idx: number) => Delivery]> = [
    ['a wrong signature', () => ({ secret: 'another-secret-0123456789abcdef' })],
    ['no signature', () => ({ override: { 'x-vivoldi-signature': null } })],
    ['a garbled signature', () => ({ override: { 'x-vivoldi-signature': 't=abc,v1=zz' } })],
    ['another algorithm', () => ({ override: { 'x-vivoldi-signature': `t=${Date.now()},v1=${'0'.repeat(64)},alg=hmac-sha1` } })],
    ['a stale timestamp (61 s)', () => ({ t: String(Date.now() - 61_000) })],
    ['a timestamp from the future (61 s)', () => ({ t: String(Math.floor(Date.now() / 1000) + 61) })],
    ['a stale timestamp in seconds', () => ({ t: String(Math.floor(Date.now() / 1000) - 3600) })],
    ['a content hash of another body', () => ({ override: { 'x-content-sha256': contentSha256('{}') } })],
    ['a content hash that is not hex', () => ({ override: { 'x-content-sha256': 'not-a-hash' } })],
    ['an X-Vivoldi-Timestamp other than the signed t', () => ({ override: { 'x-vivoldi-timestamp': String(Date.now() - 5_000) } })],
    [
      'a body changed after signing (re-serialised)',
      (idx) => ({ body: JSON.stringify({ data: { stampIdx: idx } }, null, 2), override: { 'x-content-sha256': null } }),
    ],
    [
      'an oversized signature header',
      () => ({ override: { 'x-vivoldi-signature': `t=${Date.now()},${'v1=00,'.repeat(400)}alg=hmac-sha256` } }),
    ],
  ];

  it.each(refused)('refuses %s with 401 and publishes nothing', async (_name, make) => {
    const idx = seedStamp(gw.sandbox);
    const s = await follow(idx);
    const recorded = async () => (await gw.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_events'))[0]!.n;
    const before = await recorded();
    const d = make(idx);
    let res: { status: number; body: any };
    if (d.body !== undefined && d.override?.['x-content-sha256'] === null) {
      // Sign one body, send another.
      const t = String(Date.now());
      const signed = JSON.stringify({ data: { stampIdx: idx } });
      const r = await fetch(`${gw.url}/webhooks/vivoldi`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-vivoldi-resource-type': 'STAMP',
          'x-vivoldi-action-type': 'ADD',
          'x-vivoldi-event-id': randomUUID(),
          'x-vivoldi-signature': signWebhook(signed, { secret: SECRET, t }),
        },
        body: d.body,
      });
      res = { status: r.status, body: await r.json() };
    } else {
      res = await deliver(gw, idx, d).catch((error) => ({ status: -1, body: String(error) }));
    }
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(await quietFor(s, 300)).toBe(0);
    expect(await recorded()).toBe(before);
    s.close();
  });

  it('refuses a body over 64 KiB with 413, announced or chunked', async () => {
    const big = JSON.stringify({ data: { stampIdx: 1000 }, pad: 'x'.repeat(70 * 1024) });
    expect((await deliver(gw, 1000, { body: big })).status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 70; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const res = await fetch(`${gw.url}/webhooks/vivoldi`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('accepts other resource types with 2xx and ignores them', async () => {
    const idx = seedStamp(gw.sandbox);
    const s = await follow(idx);
    const res = await deliver(gw, idx, { resource: 'COUPON', action: 'USE' });
    expect(res.status).toBe(200);
    expect(res.body.ignored).toBe(true);
    expect(await quietFor(s, 300)).toBe(0);
    s.close();
  });

  it.each([
    ['at the top level', (idx: number) => ({ stampIdx: idx })],
    ['under stamp', (idx: number) => ({ stamp: { stampIdx: String(idx) } })],
    ['under data', (idx: number) => ({ data: { stampIdx: idx } })],
  ])('finds the stamp id %s', async (_where, shape) => {
    const idx = seedStamp(gw.sandbox);
    const s = await follow(idx);
    expect((await deliver(gw, idx, { body: JSON.stringify(shape(idx)), action: 'USE' })).status).toBe(200);
    expect((await s.next()).data.stampChanged).toMatchObject({ stampIdx: idx, action: 'REDEEMED' });
    s.close();
  });

  it('an event whose stamp cannot be told is accepted and drops the whole read cache', async () => {
    const idx = seedStamp(gw.sandbox, { stamps: 1 });
    await gw.post(READ, { i: idx });
    gw.sandbox.state.add({ stampIdx: idx });
    expect((await gw.post(READ, { i: idx })).body.data.stamp.stamps).toBe(1);
    for (const body of ['not json', '[]', '{"data":{"stampIdx":-4}}', '{"stampIdx":1e400}', '{"stampIdx":"12abc"}']) {
      expect((await deliver(gw, null, { body })).status).toBe(200);
    }
    await expect.poll(async () => (await gw.post(READ, { i: idx })).body.data.stamp.stamps).toBe(2);
  });

  it('refuses an Event-Id that is missing, too long or not printable with 400', async () => {
    for (const id of [null, 'x'.repeat(201), 'a b', 'é']) {
      const res = await deliver(gw, 1000, { override: { 'x-vivoldi-event-id': id } }).catch(() => ({ status: 400 }));
      expect(res.status).toBe(400);
    }
  });
});

describe('POST /webhooks/vivoldi with the signed string set to the body alone', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ webhooks: { secret: SECRET, signedPayload: 'body' } });
  });
  afterAll(() => gw.close());

  it('accepts a signature over the raw body, and refuses one over <t>.<body>', async () => {
    const idx = seedStamp(gw.sandbox);
    expect((await deliver(gw, idx, { signedPayload: 'body' })).status).toBe(200);
    expect((await deliver(gw, idx, { signedPayload: 'timestamp.body' })).status).toBe(401);
  });
});

describe('POST /webhooks/vivoldi without STAMP_WEBHOOK_SECRET', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  it('is not served (404)', async () => {
    expect((await deliver(gw, 1000)).status).toBe(404);
  });
});

describe('the loop: the sandbox sends signed webhooks to the gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      webhooks: { secret: SECRET },
      resilience: { cacheTtlMs: 300_000 },
      sandboxOptions: { webhooks: { retryDelaysMs: [100, 200, 400] } },
    });
    gw.sandbox.webhooks.setTarget({ url: `${gw.url}/webhooks/vivoldi`, secret: SECRET });
  });
  afterAll(() => gw.close());

  const admin = (path: string, body: unknown = {}) =>
    fetch(`${gw.sandbox.url}/__sandbox${path}`, {
      method: 'POST',
      headers: { authorization: `APIKey ${gw.sandbox.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<{ code: number; result: any }>);
  const deliveredFor = (idx: number) => gw.sandbox.webhooks.deliveries().filter((d) => d.stampIdx === idx);

  it('a mutation through the gateway is one event: the webhook that echoes it is recorded, not published again', async () => {
    const idx = seedStamp(gw.sandbox, { stamps: 1 });
    const s = await subscribeSse(gw.url, FOLLOW, { i: idx });
    await gw.post('mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }', { i: idx });
    expect((await s.next(1_000)).data.stampChanged).toMatchObject({ source: 'GATEWAY', action: 'ADDED', stamp: { stamps: 2 } });
    await expect.poll(() => deliveredFor(idx).map((d) => d.delivered)).toEqual([true]);
    expect(await quietFor(s, 500)).toBe(0);
    const rows = await gw.store.db.query<{ echo_of: string | null }>('SELECT echo_of FROM webhook_events WHERE stamp_idx = $1', [idx]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.echo_of).toMatch(/^attempt:/);
    s.close();
  });

  it('a change from the dashboard arrives by webhook as one event, and a cached read shows it', async () => {
    const idx = seedStamp(gw.sandbox, { stamps: 1 });
    expect((await gw.post(READ, { i: idx })).body.data.stamp.stamps).toBe(1);
    const s = await subscribeSse(gw.url, FOLLOW, { i: idx });
    expect((await admin(`/stamps/${idx}/add`)).result.stamps).toBe(2);
    const event = (await s.next(1_000)).data.stampChanged;
    expect(event).toMatchObject({ source: 'WEBHOOK', action: 'ADDED', stamp: { stamps: 2 }, eventId: deliveredFor(idx)[0]!.eventId });
    expect((await gw.post(READ, { i: idx })).body.data.stamp.stamps).toBe(2);
    await admin(`/stamps/${idx}/remove`);
    expect((await s.next(1_000)).data.stampChanged).toMatchObject({ action: 'REMOVED', stamp: { stamps: 1 } });
    await admin(`/stamps/${idx}/redeem`);
    expect((await s.next(1_000)).data.stampChanged).toMatchObject({ action: 'REDEEMED', stamp: null });
    expect(await quietFor(s, 300)).toBe(0);
    s.close();
  });

  it('a delivery duplicated by the fault switch is one event; a dropped one is none (the TTL is the net)', async () => {
    const idx = seedStamp(gw.sandbox);
    const s = await subscribeSse(gw.url, FOLLOW, { i: idx });
    await admin('/webhooks/faults', { duplicate: 1 });
    await admin(`/stamps/${idx}/add`);
    expect((await s.next(1_000)).data.stampChanged.action).toBe('ADDED');
    await gw.sandbox.webhooks.settle(2_000);
    expect(deliveredFor(idx)[0]).toMatchObject({ duplicated: true, delivered: true });
    expect(await quietFor(s, 300)).toBe(0);
    await admin('/webhooks/faults', { drop: 1 });
    await admin(`/stamps/${idx}/add`);
    expect(deliveredFor(idx)[1]!.attempts).toEqual(['dropped']);
    expect(await quietFor(s, 500)).toBe(0);
    s.close();
  });

  it('retries a failed delivery with backoff under the same Event-Id, signed anew each time', async () => {
    const { createServer } = await import('node:http');
    const seen: Array<{ eventId: string; requestId: string; signature: string }> = [];
    const receiver = createServer((req, res) => {
      seen.push({
        eventId: String(req.headers['x-vivoldi-event-id']),
        requestId: String(req.headers['x-vivoldi-request-id']),
        signature: String(req.headers['x-vivoldi-signature']),
      });
      req.resume();
      res.writeHead(seen.length < 3 ? 503 : 204).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as { port: number }).port;
    gw.sandbox.webhooks.setTarget({ url: `http://127.0.0.1:${port}/hook`, secret: SECRET });
    try {
      const idx = seedStamp(gw.sandbox);
      await admin(`/stamps/${idx}/add`);
      await expect.poll(() => deliveredFor(idx)[0]?.delivered, { timeout: 5_000 }).toBe(true);
      expect(deliveredFor(idx)[0]!.attempts).toEqual([503, 503, 204]);
      expect(new Set(seen.map((s) => s.eventId)).size).toBe(1);
      expect(new Set(seen.map((s) => s.requestId)).size).toBe(3);
    } finally {
      gw.sandbox.webhooks.setTarget({ url: `${gw.url}/webhooks/vivoldi`, secret: SECRET });
      receiver.close();
    }
  });
});
