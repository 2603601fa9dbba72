import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { type Database, StateError } from './database.js';

/**
 * Limits counted for the whole fleet in PostgreSQL (rate-limiter-flexible's PostgreSQL store, over
 * this gateway's bounded connections): the stamp API's quota, each caller's share of it, and the
 * mutation limits, so that N instances spend one budget, not N. Fixed windows: `limit` calls per
 * `windowMs`, counted from the first call of the window.
 */
export class FleetLimits {
  private readonly limiters = new Map<string, RateLimiterPostgres>();
  private readonly client: { query(q: { text: string; values?: unknown[] }): Promise<{ rows: unknown[]; rowCount: number }> };

  constructor(db: Database, timeoutMs: number) {
    this.client = {
      query: async (q) => {
        const rows = await db.query(q.text, q.values, { timeoutMs });
        return { rows, rowCount: rows.length };
      },
    };
  }

  private limiter(limit: number, windowMs: number): RateLimiterPostgres {
    const id = `${limit}/${windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterPostgres({
        storeClient: this.client,
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
        keyPrefix: 'gw',
        points: limit,
        duration: windowMs / 1000,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /**
   * Counts one call against `key`: 0 when it fits, else the milliseconds until the window frees.
   * Throws StateError when the database does not answer.
   */
  async take(key: string, limit: number, windowMs: number): Promise<number> {
    try {
      await this.limiter(limit, windowMs).consume(key, 1);
      return 0;
    } catch (error) {
      if (error instanceof RateLimiterRes) return Math.max(1, error.msBeforeNext);
      throw error instanceof StateError ? error : new StateError((error as Error)?.message ?? String(error), { cause: error });
    }
  }

  /** Calls counted against `key` in its current window. */
  async used(key: string, limit: number, windowMs: number): Promise<number> {
    const res = await this.limiter(limit, windowMs).get(key);
    return res?.consumedPoints ?? 0;
  }
}
