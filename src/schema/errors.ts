import { GraphQLError } from 'graphql';
import {
  type Outcome,
  UpstreamBadResponseError,
  type UpstreamError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamRejectedError,
  UpstreamTimeoutError,
} from '../upstream/errors.js';
import { UpstreamShedError } from '../upstream/guard.js';

/** Every `extensions.code` a client can see (the README's error table); anything else is masked. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  STAMP_UNAVAILABLE: 'STAMP_UNAVAILABLE',
  CONFLICT: 'CONFLICT',
  UPSTREAM_REJECTED: 'UPSTREAM_REJECTED',
  UPSTREAM_AUTH_FAILED: 'UPSTREAM_AUTH_FAILED',
  UPSTREAM_RATE_LIMITED: 'UPSTREAM_RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
  OPERATION_PARKED: 'OPERATION_PARKED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface InputIssue {
  path: string;
  message: string;
}

export function gatewayError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export function badUserInput(issues: InputIssue[]): GraphQLError {
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return gatewayError(ErrorCode.BAD_USER_INPUT, `Invalid input: ${summary}`, { issues });
}

const MAY_HAVE_HAPPENED = 'the change may have been applied: read the stamp before trying again';
const NOT_HAPPENED = 'nothing was changed, so it is safe to try again';

/**
 * Maps an upstream failure onto the error table. For mutations, `extensions.outcome` says whether the
 * change may have happened, so a client knows when a retry is safe.
 */
export function upstreamToGraphQL(error: UpstreamError, { mutation }: { mutation: boolean }): GraphQLError {
  const outcome: Outcome = error.outcome;
  const extensions: Record<string, unknown> = mutation ? { outcome } : {};
  const tail = mutation ? `; ${outcome === 'UNKNOWN' ? MAY_HAVE_HAPPENED : NOT_HAPPENED}` : '';

  if (error instanceof UpstreamRejectedError) {
    return gatewayError(ErrorCode.UPSTREAM_REJECTED, `The stamp API refused ${error.endpoint}: ${error.upstreamMessage || 'no reason given'}${tail}`, {
      ...extensions,
      upstreamCode: error.code,
      upstreamMessage: error.upstreamMessage,
    });
  }
  if (error instanceof UpstreamHttpError) {
    const { status } = error;
    if (status === 401 || status === 403) {
      return gatewayError(
        ErrorCode.UPSTREAM_AUTH_FAILED,
        `The stamp API refused the gateway's credentials or plan (HTTP ${status})${tail}`,
        { ...extensions, httpStatus: status },
      );
    }
    if (status === 429) {
      return gatewayError(ErrorCode.UPSTREAM_RATE_LIMITED, `The stamp API's rate limit is exhausted${tail}`, {
        ...extensions,
        httpStatus: status,
        ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
      });
    }
    if (status >= 500) {
      return gatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, `The stamp API is unavailable (HTTP ${status})${tail}`, {
        ...extensions,
        httpStatus: status,
        ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
      });
    }
    return gatewayError(ErrorCode.UPSTREAM_REJECTED, `The stamp API refused ${error.endpoint} with HTTP ${status}${tail}`, {
      ...extensions,
      httpStatus: status,
    });
  }
  if (error instanceof UpstreamShedError) {
    const code =
      error.reason === 'quota' ? ErrorCode.UPSTREAM_RATE_LIMITED : error.reason === 'breaker' ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.UPSTREAM_TIMEOUT;
    return gatewayError(code, `${error.message}${tail}`, { ...extensions, retryAfter: error.retryAfter, shedBy: error.reason });
  }
  if (error instanceof UpstreamTimeoutError) {
    return gatewayError(ErrorCode.UPSTREAM_TIMEOUT, `The stamp API did not answer in time${tail}`, extensions);
  }
  if (error instanceof UpstreamNetworkError) {
    return gatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, `The stamp API cannot be reached (${error.reason})${tail}`, extensions);
  }
  if (error instanceof UpstreamBadResponseError) {
    return gatewayError(ErrorCode.UPSTREAM_BAD_RESPONSE, `${error.message}${tail}`, extensions);
  }
  return gatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, `The stamp API call failed${tail}`, extensions);
}
