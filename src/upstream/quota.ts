import type { Endpoint } from './endpoints.js';
import { UpstreamHttpError, UpstreamShedError } from './errors.js';

export interface QuotaOptions {
  /** The plan's calls per minute (Personal: 180). */
  perMinute: number;
  /** The plan's calls per hour (Personal: 1800). */
  perHour: number;
  /** Longest a call waits for a slot before failing fast (STAMP_API_MAX_QUEUE_WAIT_MS). */
  maxQueueWaitMs: number;
  /** The share of the minute's calls one caller may spend, unless the caller has its own (STAMP_API_CALLER_SHARE). */
  callerShare: number;
  /**
   * The fleet's budget, when several instances share the quota (PostgreSQL): the limits above are then
   * the account's, for every instance together. None: this process alone spends the quota.
   */
  fleet?: FleetBudget;
  /** Calls a minute this process may still make while the fleet's budget cannot be reached (STAMP_API_LOCAL_ALLOWANCE). */
  localAllowance?: number;
  /** Told when the stamp API asks to slow down, so that every instance pauses (the fleet's notice). */
  onPause?: (until: number) => void;
  now?: () => number;
}

/**
 * A budget counted for the whole fleet, over sliding windows: take() counts a call when it fits every
 * window of its key (0), else says the ms until it would; both throw when it cannot be reached.
 */
export interface FleetBudget {
  take(key: string, windows: ReadonlyArray<{ limit: number; windowMs: number }>): Promise<number>;
  used(key: string, windowMs: number): Promise<number>;
}

/** The fleet's key of the account's calls (minute and hour). */
const ACCOUNT = 'account';

/** Retries allowed: a share of the calls of the last 10 s, and at least this many. */
const RETRY_BUDGET_RATIO = 0.2;
const RETRY_BUDGET_MIN = 10;

/**
 * The times of the calls in a sliding window, oldest first, in a growable ring buffer: adding a call
 * and dropping the expired ones cost O(1) each, however many calls the window holds. (An array's
 * shift() copies the whole array once it is large, on every call, growing with the plan's limit;
 * the README's benchmark section has the figures.)
 */
class CallTimes {
  private times = new Float64Array(64);
  private head = 0;
  length = 0;

  constructor(private readonly windowMs: number) {}

  add(at: number): void {
    if (this.length === this.times.length) {
      const grown = new Float64Array(this.times.length * 2);
      for (let i = 0; i < this.length; i++) grown[i] = this.times[(this.head + i) % this.times.length]!;
      this.times = grown;
      this.head = 0;
    }
    this.times[(this.head + this.length) % this.times.length] = at;
    this.length++;
  }

  /** The oldest call still in the window; call prune first. */
  get oldest(): number {
    return this.times[this.head]!;
  }

  /** Forgets the calls that left the window by `now`. */
  prune(now: number): void {
    while (this.length && this.times[this.head]! <= now - this.windowMs) {
      this.head = (this.head + 1) % this.times.length;
      this.length--;
    }
  }
}

/**
 * The stamp API's quota, spent wisely: calls are shaped to the plan's limits per minute and per hour
 * (a call waits briefly for a slot, else fails fast), a 429 pauses every caller for the time asked,
 * and retries stay within a budget so they cannot multiply an outage.
 */
export class Quota {
  private readonly minute = new CallTimes(60_000);
  private readonly hour = new CallTimes(3_600_000);
  private readonly recentCalls = new CallTimes(10_000);
  private readonly recentRetries = new CallTimes(10_000);
  private pausedUntil = 0;
  private readonly now: () => number;
  /** Each caller's calls in the last minute, for its fair share. Idle callers are swept. */
  private readonly callers = new Map<string, CallTimes>();
  private lastSweep = 0;
  /** Calls made on the local allowance while the fleet's budget could not be reached. */
  private readonly allowance = new CallTimes(60_000);
  /** Why the fleet's budget is not used right now, if it is not. */
  fleetTrouble: string | undefined;

  constructor(private readonly options: QuotaOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Calls counted in the last minute and hour: the fleet's, when it shares the quota. */
  async usage(): Promise<{ minuteUsed: number; minuteLeft: number; hourUsed: number; hourLeft: number }> {
    this.prune(this.now());
    let minuteUsed = this.minute.length;
    let hourUsed = this.hour.length;
    const { fleet } = this.options;
    if (fleet) {
      [minuteUsed, hourUsed] = await Promise.all([
        fleet.used(ACCOUNT, 60_000).catch(() => minuteUsed),
        fleet.used(ACCOUNT, 3_600_000).catch(() => hourUsed),
      ]);
    }
    return {
      minuteUsed,
      minuteLeft: Math.max(0, this.options.perMinute - minuteUsed),
      hourUsed,
      hourLeft: Math.max(0, this.options.perHour - hourUsed),
    };
  }

  /**
   * Whether the fleet's budget can be reached (for /ready): throws why not. While it could not be,
   * asks it again, so that /ready recovers without waiting for a call.
   */
  async checkFleet(): Promise<void> {
    const { fleet } = this.options;
    if (!fleet || !this.fleetTrouble) return;
    try {
      await fleet.used(ACCOUNT, 60_000);
      this.fleetTrouble = undefined;
    } catch {
      throw new Error(this.fleetTrouble);
    }
  }

  /** Pauses every call until `until` (epoch ms): the stamp API asked, here or in another instance. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** The account's windows, for the fleet. */
  private accountWindows(): Array<{ limit: number; windowMs: number }> {
    return [
      { limit: this.options.perMinute, windowMs: 60_000 },
      { limit: this.options.perHour, windowMs: 3_600_000 },
    ];
  }

  /**
   * Counts one call against the fleet's `key`, or, while the fleet's budget cannot be reached, in
   * this process's small allowance: no call is made beyond it. 0 when it fits, else ms to wait.
   */
  private async fleetTake(fleet: FleetBudget, key: string, windows: ReadonlyArray<{ limit: number; windowMs: number }>): Promise<number> {
    try {
      const wait = await fleet.take(key, windows);
      this.fleetTrouble = undefined;
      return wait;
    } catch (error) {
      this.fleetTrouble = `the shared quota cannot be reached (${(error as Error).message}); calls are limited to ${this.options.localAllowance ?? 0} a minute here`;
      const now = this.now();
      this.allowance.prune(now);
      if (this.allowance.length >= (this.options.localAllowance ?? 0))
        return this.allowance.length ? this.allowance.oldest + 60_000 - now : 60_000;
      // Taken once per call: by the account's key (a caller's share is checked before it).
      if (key === ACCOUNT) this.allowance.add(now);
      return 0;
    }
  }

  private prune(now: number): void {
    this.minute.prune(now);
    this.hour.prune(now);
    this.recentCalls.prune(now);
    this.recentRetries.prune(now);
  }

  /** Milliseconds until a call may be sent (quota, shared pause); 0 when it may go now. */
  private waitMs(now: number): number {
    this.prune(now);
    let wait = Math.max(0, this.pausedUntil - now);
    if (this.minute.length >= this.options.perMinute) wait = Math.max(wait, this.minute.oldest + 60_000 - now);
    if (this.hour.length >= this.options.perHour) wait = Math.max(wait, this.hour.oldest + 3_600_000 - now);
    return wait;
  }

  private windowsFull(): boolean {
    return this.minute.length >= this.options.perMinute || this.hour.length >= this.options.perHour;
  }

  /**
   * Waits for a slot within `deadline` (epoch ms); throws UpstreamShedError when none comes in time, or
   * at once when the caller has spent its share of the minute ('share': the caller's own limit).
   */
  async acquire(endpoint: Endpoint, deadline: number, caller?: { id: string; share?: number }): Promise<void> {
    const share = caller ? (caller.share ?? this.options.callerShare) : 1;
    const { fleet } = this.options;
    if (fleet) return this.acquireFromFleet(fleet, endpoint, deadline, caller && share < 1 ? { id: caller.id, share } : undefined);
    // A caller with the whole quota is limited by the quota itself.
    const mine = caller && share < 1 ? this.callerWindow(caller.id) : undefined;
    if (mine) {
      const limit = Math.max(1, Math.floor(this.options.perMinute * share));
      const now = this.now();
      mine.prune(now);
      if (mine.length >= limit) throw new UpstreamShedError(endpoint, 'share', Math.max(1, Math.ceil((mine.oldest + 60_000 - now) / 1000)));
    }
    for (;;) {
      const now = this.now();
      if (now >= deadline) throw new UpstreamShedError(endpoint, 'deadline', 1);
      const wait = this.waitMs(now);
      if (wait === 0) break;
      if (wait > Math.min(this.options.maxQueueWaitMs, deadline - now)) {
        throw new UpstreamShedError(endpoint, 'quota', Math.max(1, Math.ceil(wait / 1000)));
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    this.take(this.now());
    mine?.add(this.now());
  }

  /** acquire() when the fleet shares the quota: the same rules, counted in the shared windows. */
  private async acquireFromFleet(
    fleet: FleetBudget,
    endpoint: Endpoint,
    deadline: number,
    caller?: { id: string; share: number },
  ): Promise<void> {
    if (caller) {
      const limit = Math.max(1, Math.floor(this.options.perMinute * caller.share));
      const wait = await this.fleetTake(fleet, `caller:${caller.id}`, [{ limit, windowMs: 60_000 }]);
      if (wait) throw new UpstreamShedError(endpoint, 'share', Math.max(1, Math.ceil(wait / 1000)));
    }
    for (;;) {
      const now = this.now();
      if (now >= deadline) throw new UpstreamShedError(endpoint, 'deadline', 1);
      let wait = Math.max(0, this.pausedUntil - now);
      if (!wait) wait = await this.fleetTake(fleet, ACCOUNT, this.accountWindows());
      if (!wait) break;
      if (wait > Math.min(this.options.maxQueueWaitMs, deadline - this.now())) {
        throw new UpstreamShedError(endpoint, 'quota', Math.max(1, Math.ceil(wait / 1000)));
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    this.take(this.now());
  }

  private callerWindow(id: string): CallTimes {
    const now = this.now();
    if (now - this.lastSweep > 60_000) {
      this.lastSweep = now;
      for (const [key, window] of this.callers) {
        window.prune(now);
        if (!window.length) this.callers.delete(key);
      }
    }
    let window = this.callers.get(id);
    if (!window) this.callers.set(id, (window = new CallTimes(60_000)));
    return window;
  }

  private take(now: number): void {
    this.minute.add(now);
    this.hour.add(now);
    this.recentCalls.add(now);
  }

  /** A retry of a safe call is one more call: it needs a free slot and must fit the retry budget. */
  async allowRetry(): Promise<boolean> {
    const now = this.now();
    this.prune(now);
    const budget = Math.max(RETRY_BUDGET_MIN, this.recentCalls.length * RETRY_BUDGET_RATIO);
    // The shared pause is not asked: a retry after a 429 has waited out the Retry-After itself.
    if (this.recentRetries.length >= budget) return false;
    const { fleet } = this.options;
    if (fleet) {
      if (await this.fleetTake(fleet, ACCOUNT, this.accountWindows())) return false;
    } else if (this.windowsFull()) return false;
    this.recentRetries.add(now);
    this.minute.add(now);
    this.hour.add(now);
    return true;
  }

  /** How a call ended: a 429 (or a 503 with Retry-After) asks everyone to slow down, not just this request. */
  record(error: unknown): void {
    if (error instanceof UpstreamHttpError && (error.status === 429 || (error.status === 503 && error.retryAfter !== undefined))) {
      const until = this.now() + (error.retryAfter ?? 1) * 1000;
      this.pause(until);
      this.options.onPause?.(until);
    }
  }
}
