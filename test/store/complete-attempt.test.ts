import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayStore, Notice } from '../../src/store/store.js';
import { ENGINES, historyEntry as entry } from '../helpers/store.js';

describe.each(ENGINES)('the end of a mutation attempt, in one statement ($name)', ({ open }) => {
  let store: GatewayStore;
  afterEach(() => store?.close());

  const listening = async () => {
    const heard: Notice[] = [];
    await store.listen(
      (n) => heard.push(n),
      () => undefined,
    );
    return heard;
  };
  const begin = (stampIdx: number, key: string | null = null) =>
    store.beginAttempt({
      requestId: randomUUID(),
      caller: 'staff',
      operation: 'addStamp',
      stampIdx,
      input: { stampIdx },
      idempotencyKey: key,
    });
  const claim = (key: string) =>
    store.claimKey({ caller: 'staff', key, operation: 'addStamp', requestHash: 'h', leaseMs: 20_000, ttlMs: 86_400_000 });

  it('writes the entry, removes the attempt, finishes the key and announces the change once, naming the entry and its time', async () => {
    store = await open();
    const heard = await listening();
    const idx = 4242;
    await claim('k-1');
    const attempt = await begin(idx, 'k-1');
    const written = entry(idx, { idempotencyKey: 'k-1' });
    const payload = { stampIdx: idx, newStamps: 3 };
    await store.completeAttempt(
      attempt,
      written,
      { caller: 'staff', key: 'k-1', finish: { ok: true, payload } },
      {},
      {
        stampIdx: idx,
        action: 'ADDED',
        source: 'GATEWAY',
      },
    );

    const [row] = await store.listHistory(idx, 10);
    expect(row).toMatchObject({ operation: 'addStamp', outcome: 'APPLIED', idempotencyKey: 'k-1' });
    expect(await store.attemptOfKey('staff', 'k-1')).toBeUndefined();
    expect(await store.getKey('staff', 'k-1')).toMatchObject({ state: 'done', response: { ok: true, payload } });
    await expect.poll(() => heard.length).toBe(1);
    expect(heard[0]).toEqual({
      kind: 'change',
      stampIdx: idx,
      action: 'ADDED',
      source: 'GATEWAY',
      at: row!.at.toISOString(),
      eventId: row!.id,
    });

    // Written again (the outbox retrying it): nothing changes, nothing is announced.
    await store.completeAttempt(attempt, written, null, {}, { stampIdx: idx, action: 'ADDED', source: 'GATEWAY' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await store.listHistory(idx, 10)).toHaveLength(1);
    expect(heard).toHaveLength(1);
  });

  it('releases the key of a failure that changed nothing, and announces nothing without a change', async () => {
    store = await open();
    const heard = await listening();
    await claim('k-2');
    const attempt = await begin(77, 'k-2');
    await store.completeAttempt(
      attempt,
      entry(77, { outcome: 'NOT_APPLIED', errorCode: 'UPSTREAM_UNAVAILABLE', errorMessage: 'x', idempotencyKey: 'k-2' }),
      { caller: 'staff', key: 'k-2', release: true },
    );
    expect(await store.getKey('staff', 'k-2')).toBeUndefined();
    expect(await store.attemptOfKey('staff', 'k-2')).toBeUndefined();
    expect((await store.listHistory(77, 10))[0]).toMatchObject({ outcome: 'NOT_APPLIED', errorCode: 'UPSTREAM_UNAVAILABLE' });
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toHaveLength(0);
  });

  it('stores and announces any text (quotes, a NUL, a control character, an unpaired surrogate, SQL-looking text) the same way', async () => {
    store = await open();
    const heard = await listening();
    const odd = `it's "odd" \u0000 \u0007 \ud800 $1 ::jsonb`;
    const attempt = await begin(99);
    await store.completeAttempt(
      attempt,
      entry(99, { input: { stampIdx: 99, memo: odd } }),
      null,
      {},
      {
        stampIdx: 99,
        action: odd,
        source: 'GATEWAY',
      },
    );
    const [row] = await store.listHistory(99, 10);
    // What PostgreSQL cannot hold (a NUL, a lone surrogate) is stored as U+FFFD, the rest as given.
    const stored = `it's "odd" \uFFFD \u0007 \uFFFD $1 ::jsonb`;
    expect(row!.input).toEqual({ stampIdx: 99, memo: stored });
    await expect.poll(() => heard.length).toBe(1);
    expect(heard[0]).toMatchObject({ kind: 'change', stampIdx: 99, action: stored, eventId: row!.id });
  });
});
