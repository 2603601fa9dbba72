import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { GatewayStore } from '../store/store.js';
import type { Stamp } from '../upstream/mapping.js';

/** Sightings waiting to be written at most; past it new ones are dropped until a write succeeds. */
const PENDING_MAX = 10_000;
/** Sightings are written this soon (batched meanwhile): another instance lists them after about this long. */
const FLUSH_MS = 20;

/**
 * The gateway's own index of stamp → user, for "which stamps does this customer have?" (the stamp
 * API cannot be searched). Fed by every state the gateway sees: reads, the states around its own
 * changes, creates, and webhook bodies that name the user. Sightings are written in batches in the
 * background; one already written and unchanged is not written again. A failed write loses only
 * index entries, which the next sighting of the stamp restores.
 */
export class StampUserIndex {
  private pending = new Map<number, string>();
  private readonly written = new LRUCache<number, string>({ max: 100_000 });
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private dropped = 0;
  private closed = false;

  constructor(
    private readonly store: GatewayStore,
    private readonly log?: Pick<Logger, 'warn'>,
  ) {
    // Not awaited: the start may have been made by a flush, which waits for it.
    void store.whenStarted(async () => void this.flush());
  }

  /** Notes whose a stamp is; cheap and never throws. */
  seen(stamp: Pick<Stamp, 'stampIdx' | 'user'> | null | undefined): void {
    const userId = stamp?.user?.id;
    if (!stamp || typeof userId !== 'string' || userId === '' || !Number.isSafeInteger(stamp.stampIdx)) return;
    this.seenUser(stamp.stampIdx, userId);
  }

  seenUser(stampIdx: number, userId: string): void {
    // After close nothing is written: the store is closing (a write then could hold its shutdown up).
    if (this.closed) return;
    if (this.written.get(stampIdx) === userId && !this.pending.has(stampIdx)) return;
    if (this.pending.size >= PENDING_MAX && !this.pending.has(stampIdx)) {
      this.dropped++;
      return;
    }
    this.pending.set(stampIdx, userId);
    // An embedded store that nothing has started is not started for the index: the sightings wait for
    // its first use (or until there are PENDING_MAX of them).
    if (!this.store.started && this.pending.size < PENDING_MAX) return;
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
    this.timer.unref?.();
  }

  /** Writes what is pending (also what a test or a shutdown awaits). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const sightings = [...batch].map(([stampIdx, userId]) => ({ stampIdx, userId }));
    this.flushing = this.store
      .indexStamps(sightings, new Date(), { timeoutMs: 2_000 })
      .then(() => {
        for (const [stampIdx, userId] of batch) this.written.set(stampIdx, userId);
      })
      .catch((error: unknown) => {
        this.log?.warn(
          { err: error, sightings: sightings.length, dropped: this.dropped },
          'the stamp → user index was not written; the next sighting of these stamps writes it',
        );
      })
      .finally(() => {
        this.dropped = 0;
        this.flushing = undefined;
      });
    await this.flushing;
  }

  /** Writes what is pending, then takes no more sightings. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
