import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, seoulToday } from '../../src/dates.js';
import { type TestGateway, useGatewayOn } from '../helpers/gateway.js';
import { ENGINES } from '../helpers/store.js';

const today = seoulToday(new Date());
const HISTORY = `query($i: Int!) { stampHistory(stampIdx: $i, first: 10) { edges { node { at operation outcome errorCode requestId idempotencyKey before { stamps user { etc1 } } after { stamps user { etc1 } } upstreamCalls { endpoint error } } } } }`;
const ADD = 'mutation($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps } } }';
const ADJUST = 'mutation($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }';
const UPDATE = 'mutation($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx stamp { stamps memo user { etc1 } } } }';

/** Makes the database refuse writes to `table` until the returned function is called. */
async function failWrites(gw: TestGateway, table: string): Promise<() => Promise<void>> {
  const name = `fail_${table}_${randomUUID().slice(0, 8)}`;
  await gw.store.db.query(
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
  );
  await gw.store.db.query(`CREATE TRIGGER ${name} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return async () => {
    await gw.store.db.query(`DROP TRIGGER ${name} ON ${table}`);
    await gw.store.db.query(`DROP FUNCTION ${name}()`);
  };
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(ENGINES)('mutations on $name: an applied change is never hidden', ({ open }) => {
  const gateway = useGatewayOn(open);
  let gw: TestGateway;
  beforeAll(() => {
    gw = gateway();
  });
  beforeEach(() => gw.sandbox.clock.reset());
  const fresh = (stamps = 0, fields: Record<string, unknown> = {}) => {
    const idx = gw.sandbox.state.create({ cardIdx: 1, strtYmd: addDays(today, -1), endYmd: addDays(today, 30), ...fields }, 'premium')
      .result as number;
    if (stamps) gw.sandbox.state.update({ stampIdx: idx, stamps }, 'premium');
    return idx;
  };
  const history = async (i: number) => (await gw.post(HISTORY, { i })).body.data.stampHistory.edges.map((e: { node: any }) => e.node);

  it('answers a change the stamp API applied even when its history cannot be written, and writes it later', async () => {
    const stampIdx = fresh(2);
    const idempotencyKey = `k-${randomUUID()}`;
    const restore = await failWrites(gw, 'mutation_history');
    let res: Awaited<ReturnType<TestGateway['post']>>;
    try {
      res = await gw.post(ADD, { input: { stampIdx, idempotencyKey } }, { 'x-request-id': `req-${stampIdx}` });
      expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
      expect(res.body.data.addStamp.stamp.stamps).toBe(3);
      // A retry with the same key while the record waits is answered at once, from what is known.
      gw.sandbox.requests.clear();
      const started = Date.now();
      const again = await gw.post(ADD, { input: { stampIdx, idempotencyKey } });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(again.body.data).toEqual(res.body.data);
      expect(gw.sandbox.requests.count('add')).toBe(0);
    } finally {
      await restore();
    }
    await until(async () => (await history(stampIdx)).some((n: any) => n.operation === 'addStamp' && n.outcome === 'APPLIED'));
    const applied = (await history(stampIdx)).filter((n: any) => n.outcome === 'APPLIED');
    expect(applied).toHaveLength(1);
    expect(applied[0].requestId).toBe(`req-${stampIdx}`);
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(3);
  });

  it('refuses a change before sending it when its attempt cannot be recorded: STATE_UNAVAILABLE, NOT_APPLIED', async () => {
    const stampIdx = fresh(1);
    const idempotencyKey = `k-${randomUUID()}`;
    const restore = await failWrites(gw, 'mutation_attempts');
    try {
      gw.sandbox.requests.clear();
      const res = await gw.post(ADJUST, { input: { stampIdx, delta: 2, idempotencyKey } });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'STATE_UNAVAILABLE', outcome: 'NOT_APPLIED' });
      expect(gw.sandbox.requests.count()).toBe(0);
    } finally {
      await restore();
    }
    // Nothing happened, so the key is free: the retry runs.
    const retry = await gw.post(ADJUST, { input: { stampIdx, delta: 2, idempotencyKey } });
    expect(retry.body.data.adjustStampCount).toEqual({ previousStamps: 1, newStamps: 3 });
  });

  it('calls a retried update UNKNOWN when an earlier attempt may have applied it, whatever the retry answers', async () => {
    for (const second of [
      { type: 'status', status: 429 },
      { type: 'envelope', code: 1005, message: 'Max reached' },
    ] as const) {
      const stampIdx = fresh(1);
      gw.sandbox.faults.add({ endpoint: 'update', action: { type: 'status', status: 503 }, applyFirst: true });
      gw.sandbox.faults.add({ endpoint: 'update', action: second, times: 'always' });
      const res = await gw.post(ADJUST, { input: { stampIdx, delta: 1 } });
      gw.sandbox.faults.clear();
      expect(res.body.errors?.[0]?.extensions?.outcome, JSON.stringify(res.body)).toBe('UNKNOWN');
      expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(2);
      expect((await history(stampIdx))[0]).toMatchObject({ operation: 'adjustStampCount', outcome: 'UNKNOWN' });
    }
  });

  it('settles the key of a process that is gone at once: UNKNOWN when it was sending, a fresh run when it had sent nothing', async () => {
    const dead = randomUUID();
    const seed = async (stampIdx: number, key: string, state: 'started' | 'sending') => {
      await gw.store.db.query(
        `INSERT INTO idempotency_keys (caller, key, operation, request_hash, state, owner, lease_until, expires_at)
         VALUES ('local-admin', $1, 'addStamp', $2, 'running', $3, now() + interval '1 hour', now() + interval '1 day')`,
        [key, (await import('../../src/stamps/idempotency.js')).requestHash('addStamp', { stampIdx, idempotencyKey: key }), dead],
      );
      await gw.store.db.query(
        `INSERT INTO mutation_attempts (request_id, caller, operation, stamp_idx, input, idempotency_key, state, endpoint, owner)
         VALUES ($1, 'local-admin', 'addStamp', $2, $3::jsonb, $4, $5, $6, $7)`,
        [`dead-${key}`, stampIdx, JSON.stringify({ stampIdx, idempotencyKey: key }), key, state, state === 'sending' ? 'add' : null, dead],
      );
    };
    const sending = fresh(1);
    const sendingKey = `k-${randomUUID()}`;
    await seed(sending, sendingKey, 'sending');
    gw.sandbox.requests.clear();
    let started = Date.now();
    const unknown = await gw.post(ADD, { input: { stampIdx: sending, idempotencyKey: sendingKey } });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ outcome: 'UNKNOWN', interruptedCall: 'add' });
    expect(gw.sandbox.requests.count('add')).toBe(0);
    expect((await history(sending))[0]).toMatchObject({
      operation: 'addStamp',
      outcome: 'UNKNOWN',
      requestId: `dead-${sendingKey}`,
      upstreamCalls: [{ endpoint: 'add', error: 'GatewayStopped' }],
    });

    const notSent = fresh(1);
    const notSentKey = `k-${randomUUID()}`;
    await seed(notSent, notSentKey, 'started');
    started = Date.now();
    const ran = await gw.post(ADD, { input: { stampIdx: notSent, idempotencyKey: notSentKey } });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(ran.body.data.addStamp.stamp.stamps).toBe(2);
  });

  it('never breaks on values that already hold control characters upstream', async () => {
    const stampIdx = fresh(3, { userEtc1: 'x\u0000y\ud800', memo: 'bell\u0007' });
    const read = await gw.post('query($i: Int!) { stamp(stampIdx: $i) { memo user { etc1 } } }', { i: stampIdx });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.stamp.user.etc1).toMatch(/^x\u0000y/);
    const added = await gw.post(ADD, { input: { stampIdx } });
    expect(added.body.errors).toBeUndefined();
    const updated = await gw.post(UPDATE, { input: { stampIdx, stamps: 9 } });
    expect(updated.body.errors).toBeUndefined();
    expect(gw.sandbox.inspect(stampIdx)).toMatchObject({ stamps: 9, userEtc1: 'x\u0000y\ud800' });
    const nodes = await history(stampIdx);
    expect(nodes.map((n: any) => [n.operation, n.outcome])).toEqual([
      ['updateStamp', 'APPLIED'],
      ['addStamp', 'APPLIED'],
    ]);
    expect(nodes[0].after.user.etc1).toBe('x\ufffdy\ufffd');
  });

  it('explains a created stamp the stamp API does not show yet, instead of a bare null', async () => {
    const res = await gw.post(
      'mutation($input: CreateStampInput!) { createStamp(input: $input) { stampIdx stamp { stampIdx } stampUnavailableReason } }',
      {
        input: { cardIdx: 1, startDate: addDays(today, 10), endDate: addDays(today, 40) },
      },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createStamp.stamp).toBeNull();
    expect(res.body.data.createStamp.stampUnavailableReason).toMatch(/validity period/);
  });

  it('answers every DateTime with the Seoul offset', async () => {
    const stampIdx = fresh(10);
    const res = await gw.post(
      'mutation($input: RedeemStampInput!) { redeemStamp(input: $input) { redeemedAt lastKnownStamp { issuedAt } } }',
      { input: { stampIdx } },
    );
    expect(res.body.data.redeemStamp.redeemedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+09:00$/);
    expect(res.body.data.redeemStamp.lastKnownStamp.issuedAt).toMatch(/\+09:00$/);
    for (const node of await history(stampIdx)) expect(node.at).toMatch(/\+09:00$/);
  });
});

describe.each(ENGINES)('string inputs on $name', ({ open }) => {
  const gateway = useGatewayOn(open);
  let gw: TestGateway;
  beforeAll(() => {
    gw = gateway();
  });
  const BAD = ['\u0000', 'a\u0007b', '\u001b[31m', '\u0085', '\u007f', '\ud800', 'x\udc00y', 'a\ud83d'];
  const CREATE = 'mutation($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }';

  it('refuses control characters and unpaired surrogates in every string field, with an issue for each, sending nothing', async () => {
    for (const bad of BAD) {
      gw.sandbox.requests.clear();
      const res = await gw.post(CREATE, {
        input: {
          cardIdx: 1,
          startDate: today,
          endDate: today,
          memo: bad,
          domain: bad,
          idempotencyKey: bad,
          user: { id: bad, name: bad, phone: bad, etc1: bad, etc2: bad },
        },
      });
      const error = res.body.errors?.[0];
      expect(error?.extensions?.code, JSON.stringify(res.body)).toBe('BAD_USER_INPUT');
      const paths = new Set(((error?.extensions?.issues ?? []) as Array<{ path: string }>).map((i) => i.path));
      for (const path of [
        'input.memo',
        'input.domain',
        'input.idempotencyKey',
        'input.user.id',
        'input.user.name',
        'input.user.phone',
        'input.user.etc1',
        'input.user.etc2',
      ]) {
        expect(paths.has(path), `${JSON.stringify(bad)} ${path}`).toBe(true);
      }
      expect(gw.sandbox.requests.count()).toBe(0);
    }
  });

  it('lets free text hold tabs and line breaks, but no other control character', async () => {
    const ok = await gw.post(CREATE, {
      input: { cardIdx: 1, startDate: today, endDate: today, memo: 'line one\n\tline two\r\n', user: { etc1: 'a\tb' } },
    });
    expect(ok.body.errors).toBeUndefined();
    const refused = await gw.post(CREATE, {
      input: { cardIdx: 1, startDate: today, endDate: today, user: { id: 'two\nlines', name: 'tab\there' } },
    });
    expect(((refused.body.errors?.[0]?.extensions?.issues ?? []) as Array<{ path: string }>).map((i) => i.path).sort()).toEqual([
      'input.user.id',
      'input.user.name',
    ]);
  });

  it('checks the other string inputs the same way: the on-site password, the Idempotency-Key header, cursors, operation ids', async () => {
    const cases: Array<[string, Record<string, unknown>, Record<string, string>, string]> = [
      [
        'mutation($input: RedeemStampInput!) { redeemStamp(input: $input) { stampIdx } }',
        { input: { stampIdx: 1002, onsitePassword: '4829\u000013' } },
        {},
        'input.onsitePassword',
      ],
      [
        'mutation($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }',
        { input: { stampIdx: 1000 } },
        { 'idempotency-key': 'x'.repeat(201) },
        'Idempotency-Key',
      ],
      ['query($a: String) { stampHistory(stampIdx: 1000, after: $a) { pageInfo { hasNextPage } } }', { a: 'abc\u0000' }, {}, 'after'],
      ['mutation { resolveParkedReissue(input: {operationId: "1; DROP", issueNew: true}) { newStampIdx } }', {}, {}, 'input.operationId'],
    ];
    for (const [query, variables, headers, path] of cases) {
      gw.sandbox.requests.clear();
      const res = await gw.post(query, variables, headers);
      const error = res.body.errors?.[0];
      expect(error?.extensions?.code, JSON.stringify(res.body)).toBe('BAD_USER_INPUT');
      expect(((error?.extensions?.issues ?? []) as Array<{ path: string }>).map((i) => i.path)).toContain(path);
      expect(gw.sandbox.requests.count()).toBe(0);
    }
  });
});
