import type { GatewayStore } from '../store/store.js';
import { KeyedMutex } from './keyed-mutex.js';

/**
 * Per-stamp locks: every change of a stamp holds its stamp's lock, in this process first, then across
 * every process sharing the database (a PostgreSQL advisory lock), so a read-then-write such as
 * adjustStampCount cannot lose a change that lands in between.
 */
export class StampLocks {
  private readonly local = new KeyedMutex<number>();

  constructor(private readonly store: GatewayStore) {}

  withLock<T>(stampIdx: number, fn: () => Promise<T>): Promise<T> {
    return this.local.run(stampIdx, () => this.store.withStampLock(stampIdx, fn));
  }
}
