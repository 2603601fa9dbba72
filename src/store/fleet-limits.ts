import { type Database, StateError } from './database.js';

/** After the database failed to answer, it is not asked again for this long: calls use the local allowance at once. */
const RETRY_DATABASE_MS = 2_000;

/** A limit over a sliding window: at most `limit` calls in any `windowMs`. */
export interface Window {
  limit: number;
  windowMs: number;
}

/** The advisory-lock space of fleet limits (the first key of pg_advisory_xact_lock's two). */
const LOCK_SPACE = 0x53474c; // "SGL"
const PRUNE_EVERY_MS = 30_000;
/**
 * Takes of one key sent in one statement at most: instances taking at once then alternate at the key's
 * lock (it queues its waiters in order) in batches of a few, rather than one instance taking a whole
 * burst's slots. The takes waiting are bounded anyway by the calls in flight.
 */
const MAX_BATCH = 8;

interface Taker {
  resolve(wait: number): void;
  reject(error: unknown): void;
}

/** The takes of one key and windows waiting for the next statement. */
interface Batch {
  key: string;
  windows: readonly Window[];
  takers: Taker[];
}

/**
 * Limits counted for the whole fleet in PostgreSQL: the stamp API's quota, each caller's share of it,
 * and the mutation limits, so that N instances spend one budget, not N. Sliding windows, as the
 * gateway counts in one process and as the stamp API is assumed to: a call is counted when it fits
 * every window of its key, under a transaction lock on the key, so two instances never both take the
 * last slot. Calls are counted in buckets of 1/600th of each window, so a take reads at most 600 rows
 * a window however many calls it holds (migration 006-fleet-buckets). (rate-limiter-flexible's
 * PostgreSQL store was the first choice; its windows are fixed, so a fleet could spend twice the
 * quota across a window's edge and collect 429s.)
 */
export class FleetLimits {
  private lastPrune = 0;
  /** Keys known to be full, until when: calls are refused here without asking the database again. */
  private readonly fullUntil = new Map<string, number>();
  /**
   * One statement per key at a time from this process (the database's lock then has one waiter per
   * instance); the takes that arrive meanwhile wait here and go together in the next one.
   */
  private readonly waiting = new Map<string, Batch>();
  private readonly sending = new Set<string>();
  /** Until when the database is taken as unreachable, and why. */
  private down: { until: number; reason: string } | undefined;

  constructor(
    private readonly db: Database,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Counts one call against `key` when it fits every window: 0, else the milliseconds until it would.
   * Throws (StateError) when the database does not answer.
   */
  take(key: string, windows: readonly Window[]): Promise<number> {
    if (this.down && Date.now() < this.down.until) return Promise.reject(new StateError(this.down.reason));
    const full = this.waitFor(key);
    if (full) return Promise.resolve(full);
    // Takes of one key with the same windows share a statement.
    const id = `${key}\u0000${windows.map((w) => `${w.limit}/${w.windowMs}`).join(',')}`;
    return new Promise<number>((resolve, reject) => {
      let batch = this.waiting.get(id);
      if (!batch) {
        batch = { key, windows, takers: [] };
        this.waiting.set(id, batch);
      }
      batch.takers.push({ resolve, reject });
      this.send(id);
    });
  }

  /** Sends the takes waiting under `id`, unless a statement of theirs is out; then the next ones. */
  private send(id: string): void {
    if (this.sending.has(id)) return;
    const batch = this.waiting.get(id);
    if (!batch) return;
    const takers = batch.takers.splice(0, MAX_BATCH);
    if (!batch.takers.length) this.waiting.delete(id);
    this.sending.add(id);
    void this.takeFor(batch, takers).finally(() => {
      this.sending.delete(id);
      this.send(id);
    });
  }

  private async takeFor({ key, windows }: Batch, takers: Taker[]): Promise<void> {
    try {
      const full = this.waitFor(key);
      if (full) {
        for (const taker of takers) taker.resolve(full);
        return;
      }
      if (this.down && Date.now() < this.down.until) throw new StateError(this.down.reason);
      const { granted, wait } = await this.takeNow(key, windows, takers.length);
      // In arrival order: the first `granted` are counted, the others wait.
      for (const [i, taker] of takers.entries()) taker.resolve(i < granted ? 0 : wait);
    } catch (error) {
      for (const taker of takers) taker.reject(error);
    }
  }

  /** The ms until `key` has room, as last seen full here; 0 when not known to be full. */
  private waitFor(key: string): number {
    const until = this.fullUntil.get(key);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left > 0) return left;
    this.fullUntil.delete(key);
    return 0;
  }

  private async takeNow(key: string, windows: readonly Window[], count: number): Promise<{ granted: number; wait: number }> {
    this.prune();
    // One statement (migration 005-fleet-take): the key's transaction lock, the count of every window,
    // the insert of as many of `count` calls as fit them all, and how long the others wait; the lock
    // ends with the statement's transaction.
    const answer = await this.db
      .query<{ granted: number; wait: number }>(
        'SELECT granted, wait FROM fleet_take($1, $2, $3::integer[], $4::bigint[], $5)',
        [LOCK_SPACE, key, windows.map((w) => w.limit), windows.map((w) => w.windowMs), count],
        { timeoutMs: this.timeoutMs },
      )
      .then((rows) => ({ granted: rows[0]?.granted ?? 0, wait: rows[0]?.wait ?? 0 }))
      .catch((error: Error) => {
        this.down = { until: Date.now() + RETRY_DATABASE_MS, reason: error instanceof StateError ? error.reason : error.message };
        throw error;
      });
    this.down = undefined;
    if (answer.wait) this.fullUntil.set(key, Date.now() + answer.wait);
    // Bounded: a key is remembered only while it is full.
    if (this.fullUntil.size > 10_000) this.fullUntil.clear();
    return answer;
  }

  /** Calls counted against `key` in the last `windowMs`. */
  async used(key: string, windowMs: number): Promise<number> {
    // The buckets fleet_take counts (migration 006-fleet-buckets): each until its end leaves the window.
    const rows = await this.db.query<{ n: number }>(
      `SELECT coalesce(sum(n), 0)::int AS n FROM fleet_counts
        WHERE key = $1 AND window_ms = $2
          AND bucket >= floor((extract(epoch FROM clock_timestamp()) * 1000 - $2) / ($2 / 600.0))`,
      [key, windowMs],
      { timeoutMs: this.timeoutMs },
    );
    return rows[0]?.n ?? 0;
  }

  /** Forgets the buckets that have left their window, now and then (any instance may). */
  private prune(): void {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    void this.db
      .query(
        `DELETE FROM fleet_counts WHERE (bucket + 1) * (window_ms / 600.0) < extract(epoch FROM clock_timestamp()) * 1000 - window_ms`,
        [],
        { timeoutMs: this.timeoutMs },
      )
      .catch(() => undefined);
  }
}
