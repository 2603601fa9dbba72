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
  now?: () => number;
}

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

  constructor(private readonly options: QuotaOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Calls counted in the last minute and hour. */
  usage(): { minuteUsed: number; minuteLeft: number; hourUsed: number; hourLeft: number } {
    this.prune(this.now());
    return {
      minuteUsed: this.minute.length,
      minuteLeft: Math.max(0, this.options.perMinute - this.minute.length),
      hourUsed: this.hour.length,
      hourLeft: Math.max(0, this.options.perHour - this.hour.length),
    };
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
  allowRetry(): boolean {
    const now = this.now();
    this.prune(now);
    const budget = Math.max(RETRY_BUDGET_MIN, this.recentCalls.length * RETRY_BUDGET_RATIO);
    // The shared pause is not asked: a retry after a 429 has waited out the Retry-After itself.
    if (this.recentRetries.length >= budget || this.windowsFull()) return false;
    this.recentRetries.add(now);
    this.minute.add(now);
    this.hour.add(now);
    return true;
  }

  /** How a call ended: a 429 (or a 503 with Retry-After) asks everyone to slow down, not just this request. */
  record(error: unknown): void {
    if (error instanceof UpstreamHttpError && (error.status === 429 || (error.status === 503 && error.retryAfter !== undefined))) {
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + (error.retryAfter ?? 1) * 1000);
    }
  }
}
