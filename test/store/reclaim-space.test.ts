import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayStore, RECLAIM_EVERY } from '../../src/store/store.js';
import { historyEntry } from '../helpers/store.js';

// The embedded engine has no autovacuum: every attempt leaves dead rows behind (insert, mark, delete).
describe('the embedded store reclaims the space of ended attempts', () => {
  let store: GatewayStore;
  let closed = false;
  afterEach(async () => {
    if (!closed) await store?.close();
    closed = false;
  });

  const bytes = async (table: string) =>
    Number((await store.db.query<{ n: string }>('SELECT pg_relation_size($1::regclass) AS n', [table]))[0]!.n);

  /** `n` mutations as the gateway runs them: begun, marked as sending, ended with their history entry. */
  const mutations = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const attempt = await store.beginAttempt({
        requestId: randomUUID(),
        caller: 'staff',
        operation: 'adjustStampCount',
        stampIdx: i % 50,
        input: { stampIdx: i % 50, delta: 1 },
        idempotencyKey: null,
      });
      await store.markSending(attempt, 'update');
      await store.completeAttempt(
        attempt,
        historyEntry(i % 50, { entryKey: `attempt:${attempt}`, operation: 'adjustStampCount', input: { stampIdx: i % 50, delta: 1 } }),
        null,
      );
    }
  };

  it(`after every ${RECLAIM_EVERY} ended attempts, so the attempts table stops growing`, async () => {
    store = await GatewayStore.open({});
    await mutations(RECLAIM_EVERY - 1);
    // Nothing reclaimed yet: the empty table holds the pages of every attempt so far.
    const grown = await bytes('mutation_attempts');
    expect(grown).toBeGreaterThan(4 * 8192);
    await mutations(1);
    await store.ping(); // queued behind the reclaim the last attempt started
    await mutations(RECLAIM_EVERY - 1);
    // The same number of attempts again fits in the space the first ones left (without the reclaim: twice it).
    expect(await bytes('mutation_attempts')).toBeLessThan(grown * 1.5);
    // The history keeps every entry.
    const [history] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mutation_history');
    expect(history!.n).toBe(2 * RECLAIM_EVERY - 1);
  }, 120_000);

  it('one at a time, and a close waits for one still running', async () => {
    store = await GatewayStore.open({});
    await mutations(RECLAIM_EVERY - 1);
    const grown = await bytes('mutation_attempts');
    const running = store.reclaimSpace();
    expect(store.reclaimSpace()).toBe(running); // one at a time
    await running;
    await mutations(RECLAIM_EVERY - 1);
    expect(await bytes('mutation_attempts')).toBeLessThan(grown * 1.5);
    const last = store.reclaimSpace();
    let reclaimed = false;
    void last.then(() => (reclaimed = true));
    await store.close();
    closed = true;
    expect(reclaimed).toBe(true);
  }, 120_000);
});
