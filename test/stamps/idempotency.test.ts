import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { seoulToday } from '../../src/dates.js';
import { graphql } from '../gql/index.js';
import { expectNoErrors, onlyError, type TestGateway, useGatewayOn } from '../helpers/gateway.js';
import { ENGINES } from '../helpers/store.js';
import { seedStamp } from '../helpers/sandbox.js';

const AddWithKey = graphql(`
  mutation AddWithKey($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps } } }
`);
const AdjustWithKey = graphql(`
  mutation AdjustWithKey($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }
`);
const CreateWithKey = graphql(`
  mutation CreateWithKey($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }
`);
const TwoAdds = graphql(`
  mutation TwoAdds($a: AddStampInput!, $b: AddStampInput!) { a: addStamp(input: $a) { stampIdx } b: addStamp(input: $b) { stampIdx } }
`);

const today = seoulToday(new Date());

describe.each(ENGINES)('idempotency on $name', ({ open }) => {
  const gateway = useGatewayOn(open);
  let gw: TestGateway;
  beforeAll(() => {
    gw = gateway();
  });
  const fresh = (stamps = 0) => seedStamp(gw.sandbox, { stamps });
  const key = () => `key-${Math.random().toString(36).slice(2)}`;

  it('replays the stored result of a repeated key and sends nothing upstream', async () => {
    const stampIdx = fresh(2);
    const idempotencyKey = key();
    const first = expectNoErrors(await gw.request(AddWithKey, { input: { stampIdx, idempotencyKey } }));
    expect(first.addStamp.stamp?.stamps).toBe(3);
    const callsAfterFirst = gw.sandbox.requests.count();
    const second = expectNoErrors(await gw.request(AddWithKey, { input: { stampIdx, idempotencyKey } }));
    expect(second).toEqual(first);
    expect(gw.sandbox.requests.count()).toBe(callsAfterFirst);
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(3);
  });

  it('accepts the key as an Idempotency-Key header too', async () => {
    const stampIdx = fresh();
    const headers = { 'idempotency-key': key() };
    expectNoErrors(await gw.request(AdjustWithKey, { input: { stampIdx, delta: 3 } }, headers));
    const replayed = expectNoErrors(await gw.request(AdjustWithKey, { input: { stampIdx, delta: 3 } }, headers));
    expect(replayed.adjustStampCount).toEqual({ previousStamps: 0, newStamps: 3 });
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(3);
    expect(gw.sandbox.requests.count('update')).toBe(1);
  });

  it('refuses the header for a request with several mutations', async () => {
    const error = onlyError(
      await gw.request(TwoAdds, { a: { stampIdx: fresh() }, b: { stampIdx: fresh() } }, { 'idempotency-key': key() }),
    );
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('counts the mutations the operation executes: fragments, inline fragments and @skip/@include', async () => {
    const send = (query: string, variables: Record<string, unknown>) =>
      gw.request(parse(query) as never, variables as never, { 'idempotency-key': key() });
    const two = [
      'mutation($a: AddStampInput!, $b: AddStampInput!) { ...F } fragment F on Mutation { a: addStamp(input: $a) { stampIdx } b: addStamp(input: $b) { stampIdx } }',
      'mutation($a: AddStampInput!, $b: AddStampInput!) { ... on Mutation { a: addStamp(input: $a) { stampIdx } } ...G } fragment G on Mutation { b: addStamp(input: $b) { stampIdx } }',
      'mutation($a: AddStampInput!, $b: AddStampInput!, $yes: Boolean!) { a: addStamp(input: $a) { stampIdx } ... @include(if: $yes) { b: addStamp(input: $b) { stampIdx } } }',
    ];
    for (const query of two) {
      const a = fresh();
      const b = fresh();
      gw.sandbox.requests.clear();
      const error = onlyError(await send(query, { a: { stampIdx: a }, b: { stampIdx: b }, yes: true }));
      expect(error.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(gw.sandbox.requests.count('add'), query).toBe(0);
    }
    const one = [
      'mutation($a: AddStampInput!, $b: AddStampInput!) { a: addStamp(input: $a) { stampIdx } b: addStamp(input: $b) @skip(if: true) { stampIdx } }',
      'mutation($a: AddStampInput!) { ...F ...F } fragment F on Mutation { a: addStamp(input: $a) { stampIdx } }',
      'mutation($a: AddStampInput!, $b: AddStampInput!, $no: Boolean!) { ... { a: addStamp(input: $a) { stampIdx } } ... @include(if: $no) { b: addStamp(input: $b) { stampIdx } } }',
    ];
    for (const query of one) {
      const a = fresh();
      expectNoErrors(await send(query, { a: { stampIdx: a }, b: { stampIdx: fresh() }, no: false }));
      expect(gw.sandbox.inspect(a)?.stamps, query).toBe(1);
    }
  });

  it('answers the same key with a different input with CONFLICT, sending nothing', async () => {
    const idempotencyKey = key();
    expectNoErrors(await gw.request(AdjustWithKey, { input: { stampIdx: fresh(), delta: 1, idempotencyKey } }));
    gw.sandbox.requests.clear();
    const error = onlyError(await gw.request(AdjustWithKey, { input: { stampIdx: fresh(), delta: 2, idempotencyKey } }));
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', outcome: 'NOT_APPLIED', idempotencyKey });
    expect(gw.sandbox.requests.count()).toBe(0);
  });

  it('runs one of two simultaneous requests with the same key; the other waits and gets its result', async () => {
    const stampIdx = fresh();
    const idempotencyKey = key();
    gw.sandbox.faults.add({ endpoint: 'add', action: { type: 'delay', ms: 150 } });
    const [a, b] = await Promise.all([
      gw.request(AddWithKey, { input: { stampIdx, idempotencyKey } }),
      gw.request(AddWithKey, { input: { stampIdx, idempotencyKey } }),
    ]);
    expect(expectNoErrors(a)).toEqual(expectNoErrors(b));
    expect(gw.sandbox.requests.count('add')).toBe(1);
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(1);
  });

  it('lets a retry run again after a failure that changed nothing', async () => {
    const stampIdx = fresh();
    const idempotencyKey = key();
    gw.sandbox.faults.add({ endpoint: 'add', action: { type: 'status', status: 429 } });
    expect(onlyError(await gw.request(AddWithKey, { input: { stampIdx, idempotencyKey } })).extensions?.outcome).toBe('NOT_APPLIED');
    expectNoErrors(await gw.request(AddWithKey, { input: { stampIdx, idempotencyKey } }));
    expect(gw.sandbox.requests.count('add')).toBe(2);
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(1);
  });

  it('never resends after an unknown outcome: the retry hears the same error', async () => {
    const stampIdx = fresh();
    const idempotencyKey = key();
    gw.sandbox.faults.add({ endpoint: 'add', action: { type: 'status', status: 502 }, applyFirst: true });
    const first = onlyError(await gw.request(AddWithKey, { input: { stampIdx, idempotencyKey } }));
    expect(first.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN' });
    const again = onlyError(await gw.request(AddWithKey, { input: { stampIdx, idempotencyKey } }));
    expect(again.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN', replayed: true });
    expect(gw.sandbox.requests.count('add')).toBe(1);
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(1);
  });

  it('scopes keys to the mutation: a create replays its stampIdx and issues one stamp', async () => {
    const idempotencyKey = key();
    const input = { cardIdx: 1, startDate: today, endDate: today, idempotencyKey };
    const [a, b] = [expectNoErrors(await gw.request(CreateWithKey, { input })), expectNoErrors(await gw.request(CreateWithKey, { input }))];
    expect(a.createStamp.stampIdx).toBe(b.createStamp.stampIdx);
    expect(gw.sandbox.requests.count('create')).toBe(1);
  });
});

describe.each(ENGINES)('idempotency keys expire on $name', ({ open }) => {
  it('are removed by the sweep after 24 hours, and only then', async () => {
    const store = await open();
    try {
      const claim = (key: string) =>
        store.claimKey({ caller: 'c', key, operation: 'addStamp', requestHash: 'h', leaseMs: 1000, ttlMs: 86_400_000 });
      await claim('fresh');
      await claim('old');
      await store.db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'old'`);
      expect(await store.deleteExpiredKeys()).toBe(1);
      expect(await store.getKey('c', 'old')).toBeUndefined();
      expect((await store.getKey('c', 'fresh'))?.state).toBe('running');
    } finally {
      await store.close();
    }
  });
});
