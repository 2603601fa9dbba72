import { type UpstreamError, UpstreamHttpError, UpstreamNetworkError } from './errors.js';

/**
 * The one retry policy of every call to the stamp API, reads and changes alike: only calls that are
 * safe to repeat (validate, and update, which sends absolute values), on 408/429/5xx and network
 * errors, with exponential backoff or the upstream's Retry-After, never after a timeout (the request
 * may still be running there), never past the caller's deadline, and within the retry budget.
 */
export const RETRY_POLICY = {
  statuses: new Set([408, 429, 500, 502, 503, 504]),
  /** Statuses whose Retry-After is obeyed instead of the backoff (as ky's afterStatusCodes). */
  retryAfterStatuses: new Set([413, 429, 503]),
  backoffLimitMs: 2_000,
} as const;

/** 0.3 s, 0.6 s, 1.2 s ... up to the limit (ky's backoff). */
export function backoffMs(retry: number): number {
  return Math.min(RETRY_POLICY.backoffLimitMs, 300 * 2 ** (retry - 1));
}

/** How long to wait before retry number `retry` (1-based) after `error`; undefined: do not retry. */
export function retryDelayMs(error: UpstreamError, retry: number, limit: number): number | undefined {
  if (retry > limit) return undefined;
  if (error instanceof UpstreamHttpError) {
    if (!RETRY_POLICY.statuses.has(error.status)) return undefined;
    if (error.retryAfter !== undefined && RETRY_POLICY.retryAfterStatuses.has(error.status)) return error.retryAfter * 1000;
    return backoffMs(retry);
  }
  if (error instanceof UpstreamNetworkError) return backoffMs(retry);
  // A timeout, a refusal (code != 0), an unusable answer, a call the gateway shed: never again.
  return undefined;
}

export interface RetryOptions {
  /** Whether the call may be sent again at all. */
  retrySafe: boolean;
  /** Retries after the first attempt (UPSTREAM_RETRIES). */
  limit: number;
  /** Epoch ms by which the caller needs an answer. */
  until: number;
  /** Asked before each retry: the retry budget and a quota slot. */
  allowRetry: () => boolean | Promise<boolean>;
  /** Told about every failed attempt (e.g. the quota's shared pause after a 429). */
  onAttemptFailed?: (error: UpstreamError) => void;
  onRetry: () => void;
}

/**
 * Runs `attempt` and retries it by the policy. The error thrown is the last attempt's, marked when an
 * earlier attempt may have reached the stamp API: the call's outcome is that of its most uncertain attempt.
 */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  let uncertain = false;
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (thrown) {
      const error = thrown as UpstreamError;
      if (uncertain) error.earlierAttemptMayHaveApplied = true;
      if (error.outcome === 'UNKNOWN') uncertain = true;
      options.onAttemptFailed?.(error);
      const wait = options.retrySafe ? retryDelayMs(error, retry, options.limit) : undefined;
      if (wait === undefined || Date.now() + wait >= options.until) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
      // Asked after the wait, as ky's beforeRetry hook is: the slot is taken when the retry goes.
      if (!(await options.allowRetry())) throw error;
      options.onRetry();
    }
  }
}
