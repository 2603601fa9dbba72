import type { Endpoint } from './endpoints.js';
import { UpstreamError, UpstreamHttpError, UpstreamNetworkError, UpstreamTimeoutError } from './errors.js';

export interface GuardOptions {
  /** The plan's calls per minute (Personal: 180). */
  perMinute: number;
  /** The plan's calls per hour (Personal: 1800). */
  perHour: number;
  /** Longest a call waits for a quota slot before failing fast. @default 2000 */
  maxQueueWaitMs?: number;
  /** Consecutive failures that open the breaker. @default 5 */
  breakerThreshold?: number;
  /** How long the breaker stays open before one probe. @default 5000 */
  breakerCooldownMs?: number;
  /** Retries allowed, as a share of calls in the last 10 s (at least 10). @default 0.2 */
  retryBudgetRatio?: number;
  now?: () => number;
}

/** The gateway refused to send: the quota or the breaker says no. Nothing reached the upstream. */
export class UpstreamShedError extends UpstreamError {
  override name = 'UpstreamShedError' as const;
  readonly outcome = 'NOT_APPLIED';
  constructor(
    endpoint: Endpoint,
    readonly reason: 'quota' | 'breaker' | 'deadline',
    readonly retryAfter: number,
  ) {
    super(
      endpoint,
      reason === 'quota'
        ? `The stamp API quota is used up for now; ${endpoint} was not sent`
        : reason === 'breaker'
          ? `The stamp API is failing; ${endpoint} was not sent (circuit open)`
          : `No time left in this request's deadline; ${endpoint} was not sent`,
    );
  }
}

type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * The times of the calls in a sliding window, oldest first, in a growable ring buffer: adding a call
 * and dropping the expired ones cost O(1) each, however many calls the window holds. (An array's
 * shift() copies the whole array once it is large: ~19 µs per call with 120,000 calls in the minute,
 * ~100 µs with a million in the hour, on every call.)
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
 * Protects the stamp API's small quota and the gateway from a failing upstream: rate shaping to the
 * plan's limits (calls wait briefly for a slot, else fail fast), a shared pause after a 429, a circuit
 * breaker, and a retry budget so retries cannot multiply an outage.
 */
export class UpstreamGuard {
  private readonly minute = new CallTimes(60_000);
  private readonly hour = new CallTimes(3_600_000);
  private pausedUntil = 0;
  private failures = 0;
  private state: BreakerState = 'closed';
  private openedAt = 0;
  private probing = false;
  private readonly recentCalls = new CallTimes(10_000);
  private readonly recentRetries = new CallTimes(10_000);
  private readonly now: () => number;

  constructor(private readonly options: GuardOptions) {
    this.now = options.now ?? Date.now;
  }

  get breakerState(): BreakerState {
    if (this.state === 'open' && this.now() - this.openedAt >= (this.options.breakerCooldownMs ?? 5000)) return 'half-open';
    return this.state;
  }

  /** Calls counted against the quota in the last minute and hour. */
  quota(): { minuteUsed: number; minuteLeft: number; hourUsed: number; hourLeft: number } {
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

  /**
   * Waits for permission to send one call within `deadline` (epoch ms). Throws UpstreamShedError when
   * the breaker is open or no slot comes in time.
   */
  async acquire(endpoint: Endpoint, deadline: number): Promise<void> {
    const breaker = this.breakerState;
    if (breaker === 'open' || (breaker === 'half-open' && this.probing)) {
      const left = (this.options.breakerCooldownMs ?? 5000) - (this.now() - this.openedAt);
      throw new UpstreamShedError(endpoint, 'breaker', Math.max(1, Math.ceil(left / 1000)));
    }
    if (breaker === 'half-open') this.probing = true;
    for (;;) {
      const now = this.now();
      if (now >= deadline) throw this.release(new UpstreamShedError(endpoint, 'deadline', 1));
      const wait = this.waitMs(now);
      if (wait === 0) break;
      if (wait > Math.min(this.options.maxQueueWaitMs ?? 2000, deadline - now)) {
        throw this.release(new UpstreamShedError(endpoint, 'quota', Math.max(1, Math.ceil(wait / 1000))));
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const now = this.now();
    this.minute.add(now);
    this.hour.add(now);
    this.recentCalls.add(now);
  }

  private release<E>(error: E): E {
    this.probing = false;
    return error;
  }

  /** A retry of a safe call is one more call: it needs a slot and must fit the retry budget. */
  allowRetry(): boolean {
    const now = this.now();
    this.prune(now);
    const budget = Math.max(10, this.recentCalls.length * (this.options.retryBudgetRatio ?? 0.2));
    if (this.recentRetries.length >= budget || this.waitMs(now) > 0) return false;
    this.recentRetries.add(now);
    this.minute.add(now);
    this.hour.add(now);
    return true;
  }

  /** Tells the guard how a call ended, for the breaker and the shared 429 pause. */
  record(error: unknown): void {
    this.probing = false;
    if (error instanceof UpstreamHttpError && (error.status === 429 || (error.status === 503 && error.retryAfter !== undefined))) {
      // The upstream asked everyone to slow down, not just this request.
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + (error.retryAfter ?? 1) * 1000);
    }
    const failure =
      error instanceof UpstreamTimeoutError ||
      error instanceof UpstreamNetworkError ||
      (error instanceof UpstreamHttpError && error.status >= 500);
    if (!failure) {
      this.failures = 0;
      this.state = 'closed';
      return;
    }
    this.failures++;
    if (this.state !== 'closed' || this.failures >= (this.options.breakerThreshold ?? 5)) {
      this.state = 'open';
      this.openedAt = this.now();
    }
  }
}
