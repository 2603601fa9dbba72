import { LRUCache } from 'lru-cache';
import { GatewayError } from '../errors.js';
import type { Stamp } from '../upstream/mapping.js';

type Fetch = () => Promise<Stamp>;

export interface StampCacheOptions {
  /** How long a stamp read is served from memory; 0: not at all. */
  ttlMs: number;
  /** How long a refusal (unknown, expired, inactive, redeemed) is remembered; 0: not at all. */
  unavailableTtlMs: number;
  /** Entries kept, each kind. @default 10000 */
  max?: number;
}

/**
 * The stamp reads shared by all requests (lru-cache): identical reads in flight share one upstream
 * call, a stamp read within the TTL is not fetched again, and a refusal is remembered briefly so that
 * probing the same missing ids again costs nothing upstream. A change through the gateway forgets the
 * stamp at once, and a read still in flight at that moment is aborted as a cache fill (its caller gets
 * a fresh read), so nobody reads their own write stale. Apart from the TTL it keeps the last state the
 * stamp API confirmed of each stamp, until a change is heard: what a read may answer when no quota is left.
 */
export class StampCache {
  private readonly stamps: LRUCache<number, Stamp, Fetch> | undefined;
  private readonly refusals: LRUCache<number, GatewayError> | undefined;
  private readonly known: LRUCache<number, Stamp>;
  /** What the reads themselves failed with, as against a read forgotten, evicted or replaced in flight. */
  private readonly readErrors = new WeakSet<object>();
  hits = 0;
  misses = 0;

  constructor(readonly options: StampCacheOptions) {
    const max = options.max ?? 10_000;
    if (options.ttlMs > 0) {
      this.stamps = new LRUCache<number, Stamp, Fetch>({
        max,
        ttl: options.ttlMs,
        fetchMethod: (_idx, _stale, { context }) =>
          context().catch((error: unknown) => {
            if (typeof error === 'object' && error !== null) this.readErrors.add(error);
            throw error;
          }),
      });
    }
    if (options.unavailableTtlMs > 0) this.refusals = new LRUCache<number, GatewayError>({ max, ttl: options.unavailableTtlMs });
    this.known = new LRUCache<number, Stamp>({ max });
  }

  async read(stampIdx: number, fetch: Fetch): Promise<Stamp> {
    const refused = this.refusals?.get(stampIdx);
    if (refused) {
      this.hits++;
      throw refused;
    }
    try {
      if (!this.stamps) {
        this.misses++;
        return await fetch();
      }
      const status: LRUCache.Status<Stamp> = {};
      let again = false;
      const stamp = await this.stamps.fetch(stampIdx, { context: fetch, status }).catch((error: unknown) => {
        // The read failed: every caller that shared it gets its error.
        if (typeof error !== 'object' || error === null || this.readErrors.has(error)) throw error;
        // lru-cache ended it unread: the stamp was forgotten (a change), evicted or replaced while in
        // flight. Every caller that shared it, not only the one that started it (the only one whose
        // status says so), still gets an answer, read afresh and not kept.
        again = true;
        return fetch();
      });
      if (!again && (status.fetch === 'hit' || status.fetch === 'inflight')) this.hits++;
      else this.misses++;
      return stamp!;
    } catch (error) {
      if (this.refusals && error instanceof GatewayError && error.code === 'STAMP_UNAVAILABLE') this.refusals.set(stampIdx, error);
      throw error;
    }
  }

  /** What the stamp API last confirmed of a stamp, when no change has been heard since. */
  lastConfirmed(stampIdx: number): Stamp | undefined {
    return this.known.get(stampIdx);
  }

  /** Remembers a state the stamp API confirmed. */
  confirm(stamp: Stamp): void {
    this.known.set(stamp.stampIdx, stamp);
  }

  /** Forgets a stamp (it changed, or may have): the next read goes upstream. */
  invalidate(stampIdx: number): void {
    this.stamps?.delete(stampIdx);
    this.refusals?.delete(stampIdx);
    this.known.delete(stampIdx);
  }

  /** Forgets everything (a change nobody could place, or notices that may have been missed). */
  clear(): void {
    this.stamps?.clear();
    this.refusals?.clear();
    this.known.clear();
  }
}
