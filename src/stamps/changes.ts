import type { Logger } from 'pino';
import type { ChangeNotice, GatewayStore, Notice } from '../store/store.js';
import type { Stamp } from '../upstream/mapping.js';
import type { StampCache } from './stamp-cache.js';

export type StampAction = 'CREATED' | 'UPDATED' | 'ADDED' | 'REMOVED' | 'ADJUSTED' | 'REDEEMED' | 'PIN_RESET' | 'DELETED';
export const STAMP_ACTIONS: readonly StampAction[] = [
  'CREATED',
  'UPDATED',
  'ADDED',
  'REMOVED',
  'ADJUSTED',
  'REDEEMED',
  'PIN_RESET',
  'DELETED',
];

export type MutationName =
  | 'createStamp'
  | 'updateStamp'
  | 'addStamp'
  | 'removeStamp'
  | 'adjustStampCount'
  | 'redeemStamp'
  | 'redeemAndReissue'
  | 'resolveParkedReissue'
  | 'resetStampPin'
  | 'deleteStamp';

/** What each mutation announces. */
export const ACTION_OF: Record<MutationName, StampAction> = {
  createStamp: 'CREATED',
  updateStamp: 'UPDATED',
  addStamp: 'ADDED',
  removeStamp: 'REMOVED',
  adjustStampCount: 'ADJUSTED',
  redeemStamp: 'REDEEMED',
  redeemAndReissue: 'REDEEMED',
  resolveParkedReissue: 'REDEEMED',
  resetStampPin: 'PIN_RESET',
  deleteStamp: 'DELETED',
};

/** The stamp service's webhook actions, as the gateway's. */
export const WEBHOOK_ACTIONS: Record<string, StampAction> = { ADD: 'ADDED', REMOVE: 'REMOVED', USE: 'REDEEMED' };

/**
 * The mutations whose call makes the stamp service send a webhook of each action: such a webhook
 * echoes that mutation (announced already) rather than a change made elsewhere.
 */
export function echoedMutations(action: string): MutationName[] {
  if (action === 'ADDED') return ['addStamp'];
  if (action === 'REMOVED') return ['removeStamp'];
  if (action === 'REDEEMED') return ['redeemStamp', 'redeemAndReissue', 'resolveParkedReissue'];
  return [];
}

/** One change of a stamp, as subscribers get it. */
export interface StampChange {
  stampIdx: number;
  action: StampAction;
  source: 'GATEWAY' | 'WEBHOOK';
  at: string;
  eventId: string | null;
  /** The state after the change, read once per change in this process and shared by every subscriber. */
  stamp(): Promise<Stamp | null>;
}

type Listener = (change: StampChange) => void;

/**
 * The changes of stamps, heard from every instance (PostgreSQL LISTEN/NOTIFY; in-process with the
 * embedded store): each notice forgets the stamp in this process's cache, then goes to the
 * subscribers of that stamp here. A notice naming no stamp, or a gap in hearing them (the database
 * connection came back), drops everything cached.
 */
export class ChangeFeed {
  private readonly listeners = new Map<number, Set<Listener>>();
  private readonly perCaller = new Map<string, number>();
  private readonly closers = new Set<() => void>();
  private count = 0;

  constructor(
    private readonly cache: StampCache,
    /** Reads a stamp after a change (through the cache), or null when the stamp API does not show it. */
    private readonly read: (stampIdx: number) => Promise<Stamp | null>,
    private readonly onPause: (until: number) => void,
    private readonly log?: Pick<Logger, 'warn'>,
  ) {}

  /** Starts hearing every instance's notices. */
  async start(store: GatewayStore): Promise<void> {
    await store.listen(
      (notice) => this.hear(notice),
      () => {
        this.log?.warn('change notices may have been missed while the database was away: the read cache is dropped');
        this.cache.clear();
      },
    );
  }

  /** Subscriptions open in this process. */
  get size(): number {
    return this.count;
  }

  private hear(notice: Notice): void {
    if (notice.kind === 'pause') {
      this.onPause(notice.until);
      return;
    }
    if (notice.stampIdx === null) {
      this.cache.clear();
      return;
    }
    this.cache.invalidate(notice.stampIdx);
    // An echo of a change made through the gateway: its subscribers had it already.
    if (notice.echo) return;
    const listeners = this.listeners.get(notice.stampIdx);
    if (!listeners?.size) return;
    const change = this.toChange(notice as ChangeNotice & { stampIdx: number });
    for (const listener of listeners) listener(change);
  }

  private toChange(notice: ChangeNotice & { stampIdx: number }): StampChange {
    let read: Promise<Stamp | null> | undefined;
    return {
      stampIdx: notice.stampIdx,
      action: notice.action as StampAction,
      source: notice.source,
      at: notice.at,
      eventId: notice.eventId,
      stamp: () => {
        read ??= this.read(notice.stampIdx);
        return read;
      },
    };
  }

  /** Open subscriptions of one caller in this process. */
  countOf(callerId: string): number {
    return this.perCaller.get(callerId) ?? 0;
  }

  /**
   * Calls `listener` for every change of these stamps until the returned function is called, or until
   * the feed closes (this process stops), when `onClose` is called.
   */
  follow(stampIdxs: readonly number[], callerId: string, listener: Listener, onClose: () => void): () => void {
    const unique = [...new Set(stampIdxs)];
    for (const idx of unique) {
      let set = this.listeners.get(idx);
      if (!set) this.listeners.set(idx, (set = new Set()));
      set.add(listener);
    }
    this.count++;
    this.perCaller.set(callerId, this.countOf(callerId) + 1);
    let open = true;
    const unfollow = () => {
      if (!open) return;
      open = false;
      this.count--;
      this.closers.delete(close);
      const left = this.countOf(callerId) - 1;
      if (left > 0) this.perCaller.set(callerId, left);
      else this.perCaller.delete(callerId);
      for (const idx of unique) {
        const set = this.listeners.get(idx);
        set?.delete(listener);
        if (set && !set.size) this.listeners.delete(idx);
      }
    };
    const close = () => {
      unfollow();
      onClose();
    };
    this.closers.add(close);
    return unfollow;
  }

  /** Ends every subscription (the process stops). */
  close(): void {
    for (const close of [...this.closers]) close();
  }
}
