import type { Endpoint } from './endpoints.js';
import { UpstreamHttpError, UpstreamNetworkError, UpstreamShedError, UpstreamTimeoutError } from './errors.js';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker (BREAKER_THRESHOLD). */
  threshold: number;
  /** How long the breaker stays open before one probe (BREAKER_COOLDOWN_MS). */
  cooldownMs: number;
  now?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker on the stamp API, per gateway process: after `threshold` consecutive failures
 * (5xx, timeouts, connection errors) calls fail in milliseconds; after the cooldown one probe decides.
 */
export class CircuitBreaker {
  private failures = 0;
  private opened = false;
  private openedAt = 0;
  private probing = false;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(options: BreakerOptions) {
    this.threshold = options.threshold;
    this.cooldownMs = options.cooldownMs;
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (!this.opened) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Lets a call through, or throws UpstreamShedError while open (and while the one probe is out). */
  admit(endpoint: Endpoint): void {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.probing)) {
      const left = this.cooldownMs - (this.now() - this.openedAt);
      throw new UpstreamShedError(endpoint, 'breaker', Math.max(1, Math.ceil(left / 1000)));
    }
    if (state === 'half-open') this.probing = true;
  }

  /** A call that was admitted ended without reaching the upstream: the probe slot is free again. */
  release(): void {
    this.probing = false;
  }

  /** How an admitted call ended. */
  record(error: unknown): void {
    this.probing = false;
    const failure =
      error instanceof UpstreamTimeoutError ||
      error instanceof UpstreamNetworkError ||
      (error instanceof UpstreamHttpError && error.status >= 500);
    if (!failure) {
      this.failures = 0;
      this.opened = false;
      return;
    }
    this.failures++;
    if (this.opened || this.failures >= this.threshold) {
      this.opened = true;
      this.openedAt = this.now();
    }
  }
}
