import type { Endpoint } from './endpoints.js';

/**
 * Whether a failed call may have changed anything upstream. `NOT_APPLIED`: the upstream provably did
 * nothing (it refused, or the request never left); `UNKNOWN`: it may have (timeout, 5xx, connection lost
 * after sending), so a non-idempotent call must not simply be sent again.
 */
export type Outcome = 'NOT_APPLIED' | 'UNKNOWN';

/** The family of failures talking to the stamp API. Messages never contain the API key. */
export abstract class UpstreamError extends Error {
  /** What this attempt alone says about the change. */
  protected abstract readonly ownOutcome: Outcome;
  /**
   * An earlier attempt of the same call may have reached the stamp API and applied it (a retried
   * update whose first attempt timed out): then no later refusal can make the outcome certain.
   */
  earlierAttemptMayHaveApplied = false;

  constructor(
    readonly endpoint: Endpoint,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The outcome of the whole call: that of its most uncertain attempt. */
  get outcome(): Outcome {
    return this.earlierAttemptMayHaveApplied ? 'UNKNOWN' : this.ownOutcome;
  }
}

/** A non-2xx HTTP status. */
export class UpstreamHttpError extends UpstreamError {
  override name = 'UpstreamHttpError' as const;
  constructor(
    endpoint: Endpoint,
    readonly status: number,
    /** Seconds, from a `Retry-After` header, when the upstream sent one. */
    readonly retryAfter: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(endpoint, `The stamp API answered ${endpoint} with HTTP ${status}`, options);
  }
  protected get ownOutcome(): Outcome {
    // A 4xx (including 429) means the request was refused; a 5xx may come after the change was made.
    return this.status < 500 ? 'NOT_APPLIED' : 'UNKNOWN';
  }
}

/** No answer within the time allowed. The request may have been processed. */
export class UpstreamTimeoutError extends UpstreamError {
  override name = 'UpstreamTimeoutError' as const;
  protected readonly ownOutcome = 'UNKNOWN';
  constructor(
    endpoint: Endpoint,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(endpoint, `The stamp API did not answer ${endpoint} within ${timeoutMs} ms`, options);
  }
}

/** The connection failed: before sending (refused, DNS) nothing happened; after, nobody knows. */
export class UpstreamNetworkError extends UpstreamError {
  override name = 'UpstreamNetworkError' as const;
  constructor(
    endpoint: Endpoint,
    readonly beforeSending: boolean,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(endpoint, `The connection to the stamp API failed during ${endpoint} (${reason})`, options);
  }
  protected get ownOutcome(): Outcome {
    return this.beforeSending ? 'NOT_APPLIED' : 'UNKNOWN';
  }
}

/** A 2xx answer that breaks the contract: not JSON, not an envelope, or a result of the wrong shape. */
export class UpstreamBadResponseError extends UpstreamError {
  override name = 'UpstreamBadResponseError' as const;
  protected readonly ownOutcome = 'UNKNOWN';
  constructor(
    endpoint: Endpoint,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(endpoint, `The stamp API sent an unusable answer to ${endpoint}: ${detail}`, options);
  }
}

/** The upstream refused the call with `code != 0`: this attempt changed nothing. */
export class UpstreamRejectedError extends UpstreamError {
  override name = 'UpstreamRejectedError' as const;
  protected readonly ownOutcome = 'NOT_APPLIED';
  constructor(
    endpoint: Endpoint,
    readonly code: number,
    readonly upstreamMessage: string,
  ) {
    super(endpoint, `The stamp API refused ${endpoint} (code ${code}): ${upstreamMessage}`);
  }
}

/** The gateway refused to send: the quota, the breaker or the deadline says no. Nothing reached the upstream. */
export class UpstreamShedError extends UpstreamError {
  override name = 'UpstreamShedError' as const;
  protected readonly ownOutcome = 'NOT_APPLIED';
  constructor(
    endpoint: Endpoint,
    readonly reason: 'quota' | 'share' | 'breaker' | 'deadline',
    readonly retryAfter: number,
  ) {
    super(
      endpoint,
      reason === 'quota'
        ? `The stamp API quota is used up for now; ${endpoint} was not sent`
        : reason === 'share'
          ? `This caller has used its share of the stamp API's quota for this minute; ${endpoint} was not sent`
          : reason === 'breaker'
            ? `The stamp API is failing; ${endpoint} was not sent (circuit open)`
            : `No time left in this request's deadline; ${endpoint} was not sent`,
    );
  }
}
