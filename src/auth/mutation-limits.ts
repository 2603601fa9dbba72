/**
 * Per-caller request limits over a sliding minute, in this process. Memory is bounded: a key's
 * timestamps are pruned on every hit and idle keys are swept.
 */
export class SlidingWindowLimiter implements MutationLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = Date.now();

  constructor(private readonly windowMs = 60_000) {}

  /** Counts a hit; returns the seconds to wait when the key is over `limit`, else 0. */
  hit(key: string, limit: number, now = Date.now()): number {
    this.sweep(now);
    const since = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length >= limit) {
      this.hits.set(key, list);
      return Math.max(1, Math.ceil((list[0]! + this.windowMs - now) / 1000));
    }
    list.push(now);
    this.hits.set(key, list);
    return 0;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, list] of this.hits) if (!list.some((t) => t > now - this.windowMs)) this.hits.delete(key);
  }
}

/** Per-caller mutation limits: counted in this process, or for the whole fleet. */
export interface MutationLimiter {
  /** Counts a hit; returns the seconds to wait when the key is over `limit`, else 0. */
  hit(key: string, limit: number): number | Promise<number>;
}

/**
 * The mutation limits counted for the whole fleet (`take` counts in shared sliding windows of a minute),
 * falling back to this process's own count while the shared store cannot be reached.
 */
export class FleetMutationLimiter implements MutationLimiter {
  private readonly local = new SlidingWindowLimiter();

  constructor(private readonly take: (key: string, windows: Array<{ limit: number; windowMs: number }>) => Promise<number>) {}

  async hit(key: string, limit: number): Promise<number> {
    try {
      const wait = await this.take(`mutations:${key}`, [{ limit, windowMs: 60_000 }]);
      return wait ? Math.max(1, Math.ceil(wait / 1000)) : 0;
    } catch {
      return this.local.hit(key, limit);
    }
  }
}
