import type { Stamp } from '../upstream/mapping.js';

/**
 * A short-lived cache of stamp reads, shared by all requests: identical reads in flight share one
 * upstream call, and a stamp read within the TTL is not fetched again. The gateway's own mutations
 * invalidate a stamp at once, and a read that was in flight during a mutation is not stored, so a
 * client never reads its own write stale. Refusals are never cached.
 */
export class StampCache {
  private readonly entries = new Map<number, { stamp: Stamp; expires: number }>();
  private readonly inflight = new Map<number, { generation: number; promise: Promise<Stamp> }>();
  private readonly generations = new Map<number, number>();
  hits = 0;
  misses = 0;

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  async read(stampIdx: number, fetch: () => Promise<Stamp>): Promise<Stamp> {
    if (this.ttlMs <= 0) return fetch();
    const cached = this.entries.get(stampIdx);
    if (cached && cached.expires > Date.now()) {
      this.hits++;
      return cached.stamp;
    }
    const generation = this.generations.get(stampIdx) ?? 0;
    const pending = this.inflight.get(stampIdx);
    if (pending && pending.generation === generation) {
      this.hits++;
      return pending.promise;
    }
    this.misses++;
    const promise = fetch().then(
      (stamp) => {
        if ((this.generations.get(stampIdx) ?? 0) === generation) {
          if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
          this.entries.set(stampIdx, { stamp, expires: Date.now() + this.ttlMs });
        }
        return stamp;
      },
    );
    this.inflight.set(stampIdx, { generation, promise });
    try {
      return await promise;
    } finally {
      if (this.inflight.get(stampIdx)?.promise === promise) this.inflight.delete(stampIdx);
    }
  }

  /** Forgets a stamp (it changed, or may have): the next read goes upstream. */
  invalidate(stampIdx: number): void {
    this.entries.delete(stampIdx);
    this.inflight.delete(stampIdx);
    this.generations.set(stampIdx, (this.generations.get(stampIdx) ?? 0) + 1);
    if (this.generations.size > this.maxEntries * 2) this.generations.clear();
  }
}
