import type DataLoader from 'dataloader';
import type { Caller } from '../auth/authentication.js';
import type { MutationLimiter } from '../auth/mutation-limits.js';
import type { MutationLimits } from '../config.js';
import type { Logger } from 'pino';
import type { Bound, GatewayStore } from '../store/store.js';
import type { UpstreamClient } from '../upstream/client.js';
import type { Stamp } from '../upstream/mapping.js';
import { StampApi } from '../upstream/stamp-api.js';
import type { ChangeFeed } from './changes.js';
import type { StampLocks } from './locks.js';
import type { Outbox } from './outbox.js';
import type { StampCache } from './stamp-cache.js';
import type { StampUserIndex } from './user-index.js';

/** What the stamp domain needs, built once at start-up and shared by every request. */
export interface StampDeps {
  client: UpstreamClient;
  store: GatewayStore;
  cache: StampCache;
  locks: StampLocks;
  limiter: MutationLimiter;
  limits: MutationLimits;
  /** How long one request may take in all; upstream calls get what is left. */
  deadlineMs: number;
  /** How long a running mutation holds its idempotency key before it counts as abandoned. */
  leaseMs: number;
  /** Bound on one state-store call before a change is sent (the request's deadline bounds it too). */
  stateTimeoutMs: number;
  /** Writes owed to the state store that must not hold up an answer. */
  outbox: Outbox;
  /**
   * Whether confirmed states are kept in the state store (cache on): shared with the other instances
   * on PostgreSQL, and kept across restarts.
   */
  sharedStates: boolean;
  /**
   * The share of the quota for refreshing states that only aged past the TTL, when changes are
   * announced (webhooks on); none: a refresh is the caller's read like any other.
   */
  refreshShare?: number;
  /** Whose stamp is which, from every state the gateway sees (myStamps, stampsOfUser). */
  userIndex: StampUserIndex;
  /** The changes of stamps, heard from every instance. */
  changes: ChangeFeed;
  /** Subscriptions per caller and per process. */
  subscriptionLimits: { perCaller: number; perInstance: number };
  log?: Pick<Logger, 'warn' | 'error' | 'info'>;
}

/**
 * The stamp domain for one request: who calls, the request id that travels upstream, the calls made
 * (for the history), and reads batched and de-duplicated within the request.
 */
export class StampSession {
  readonly api: StampApi;
  /** Epoch ms by which this request must be answered. */
  readonly deadline: number;
  /** Reads of stamps within this request, batched and de-duplicated (made by read.ts when first needed). */
  stampLoader?: DataLoader<number, Stamp>;

  constructor(
    readonly deps: StampDeps,
    readonly caller: Caller,
    readonly requestId: string,
  ) {
    this.deadline = Date.now() + deps.deadlineMs;
    this.api = new StampApi(deps.client, requestId, this.deadline, { id: caller.id, share: caller.quotaShare });
  }

  /** The bound of a state-store call now: its own limit, within what is left of the request's deadline. */
  stateBound(): Bound {
    return { timeoutMs: Math.max(1, Math.min(this.deps.stateTimeoutMs, this.deadline - Date.now())) };
  }

  private refresh?: StampApi;

  /** The stamp API for refreshing a known state: counted against the refresh share of the quota, not the caller's. */
  refreshApi(): StampApi {
    // Its calls are this request's: listed with the others in its history and its log line.
    this.refresh ??= new StampApi(
      this.deps.client,
      this.requestId,
      this.deadline,
      { id: 'gateway:refresh', share: this.deps.refreshShare },
      this.api,
    );
    return this.refresh;
  }

  /** Stamps this request changed (or may have): what other instances confirmed of them is older than that. */
  readonly changed = new Set<number>();

  /** Forgets everything read about a stamp (this request's loader and the shared cache): it changed, or may have. */
  forget(stampIdx: number): void {
    this.changed.add(stampIdx);
    this.stampLoader?.clear(stampIdx);
    this.deps.cache.invalidate(stampIdx);
  }
}
