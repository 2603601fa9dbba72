import type { GatewayStore } from '../store/store.js';
import { LockTimeoutError } from '../store/database.js';
import { KeyedMutex, MutexTimeoutError } from './keyed-mutex.js';

/**
 * Per-stamp locks: every change of a stamp holds its stamp's lock, in this process first, then across
 * every process sharing the database (a PostgreSQL advisory lock), so a read-then-write such as
 * adjustStampCount cannot lose a change that lands in between.
 */
export class StampLocks {
  private readonly local = new KeyedMutex<number>();

  constructor(private readonly store: GatewayStore) {}

  /** Runs `fn` holding the stamp's lock; gives up waiting for it at `until` (LockTimeoutError). */
  async withLock<T>(stampIdx: number, fn: () => Promise<T>, until: number): Promise<T> {
    try {
      return await this.local.run(stampIdx, () => this.store.withStampLock(stampIdx, fn, until), until);
    } catch (error) {
      if (error instanceof MutexTimeoutError) throw new LockTimeoutError(error.message);
      throw error;
    }
  }
}
