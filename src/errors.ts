import { type ASTNode, GraphQLError, type GraphQLErrorOptions } from 'graphql';
import {
  type Outcome,
  UpstreamBadResponseError,
  UpstreamError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamRejectedError,
  UpstreamShedError,
  UpstreamTimeoutError,
} from './upstream/errors.js';

/**
 * The error table: every `extensions.code` a client can see, with what it means. The README's table is
 * checked against this one by a test (test/errors.test.ts), both ways.
 */
export const ERROR_TABLE = {
  BAD_USER_INPUT: 'the input breaks a rule (a field, a variable or an argument); nothing was sent',
  STAMP_UNAVAILABLE: 'the stamp is unknown, expired, inactive or redeemed',
  CONFLICT: 'the change breaks a bound (card full, count at 0, outside 0..max, not full for redeem), or an idempotency key is in use',
  UPSTREAM_REJECTED: 'the stamp API refused with `code != 0` for another reason (or an unexpected 4xx)',
  UPSTREAM_AUTH_FAILED: "HTTP 401/403 from the stamp API: the gateway's key, plan or User-Agent (the key is never shown)",
  UPSTREAM_RATE_LIMITED: "the stamp API's quota is used up (its 429, or the gateway's own shaping to the plan)",
  UPSTREAM_UNAVAILABLE: 'the stamp API answered 5xx, refused or dropped the connection, or its circuit breaker is open',
  UPSTREAM_TIMEOUT: 'the stamp API did not answer within the time left',
  UPSTREAM_BAD_RESPONSE: 'the stamp API answered something that is not a valid envelope or result',
  STATE_UNAVAILABLE: "the gateway's own database did not answer in time; a change is refused before anything is sent",
  OPERATION_PARKED: 'a redeem-and-reissue step ended ambiguously; an operator must finish it',
  UNAUTHENTICATED: 'no token where one is needed, or an invalid, expired or forged one (HTTP 401)',
  FORBIDDEN: 'the token lacks the scope the field needs',
  RATE_LIMITED: "the caller is over a mutation limit or its share of the stamp API's quota",
  TOO_MANY_SUBSCRIPTIONS:
    'the caller, or this instance, has as many open subscriptions as allowed: close one (or use stampsChanged for several stamps)',
  BAD_REQUEST: 'the HTTP request itself is wrong: body too large (413) or of unknown length (411), not JSON, a mutation over GET (405)',
  CSRF_HEADER_REQUIRED:
    'a request a browser could send cross-site without CORS: send `x-graphql-yoga-csrf: 1` or a JSON content type (HTTP 403)',
  GRAPHQL_PARSE_FAILED: 'the document is not valid GraphQL, or has too many tokens',
  GRAPHQL_VALIDATION_FAILED: 'the document asks for unknown fields or breaks a limit (depth, aliases, cost, directives)',
  OPERATION_RESOLUTION_FAILURE: 'the operationName is not in the document, or the document has several operations and none was named',
  PERSISTED_QUERY_NOT_IN_LIST: 'the persisted-operation id is not in the allow-list',
  PERSISTED_QUERY_ID_REQUIRED: 'only persisted operations run here: send `extensions.persistedQuery.sha256Hash`',
  CANNOT_SEND_PQ_ID_AND_BODY: 'only persisted operations run here: a document in the body is refused',
  INTERNAL_SERVER_ERROR: 'anything unexpected, masked: no details, stack trace or file path',
} as const;

export type ErrorCode = keyof typeof ERROR_TABLE;
export const ERROR_CODES = Object.keys(ERROR_TABLE) as ErrorCode[];

export interface InputIssue {
  path: string;
  message: string;
}

/**
 * A failure the caller sees, with a code from the table and the extensions that go with it. Raised by
 * every layer (the stamp domain, authentication, the plugins); turned into the GraphQL error the client
 * receives here and nowhere else (toGraphQLError).
 */
export class GatewayError extends Error {
  override name = 'GatewayError' as const;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** The HTTP status the response takes, where the error decides it (401). */
    readonly httpStatus?: number,
  ) {
    super(message);
  }

  /** The same error with more extensions (e.g. the outcome of a mutation). */
  with(details: Record<string, unknown>, message = this.message): GatewayError {
    return new GatewayError(this.code, message, { ...this.details, ...details }, this.httpStatus);
  }

  get outcome(): Outcome | undefined {
    return this.details.outcome as Outcome | undefined;
  }
}

const NOT_APPLIED = { outcome: 'NOT_APPLIED' } as const;
const MAY_HAVE_HAPPENED = 'the change may have been applied: read the stamp before trying again';
const NOT_HAPPENED = 'nothing was changed, so it is safe to try again';

/** One constructor per row of the table. */
export const errors = {
  badUserInput(issues: InputIssue[]): GatewayError {
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return new GatewayError('BAD_USER_INPUT', `Invalid input: ${summary}`, { issues });
  },
  stampUnavailable(stampIdx: number, reason: string, details: Record<string, unknown> = {}): GatewayError {
    return new GatewayError('STAMP_UNAVAILABLE', `Stamp ${stampIdx} is unavailable: ${reason || 'the stamp API refused it'}`, {
      stampIdx,
      reason,
      ...details,
    });
  },
  /** A change refused before it was sent because it breaks a bound. */
  conflict(message: string, details: Record<string, unknown> = {}): GatewayError {
    return new GatewayError('CONFLICT', message, { ...NOT_APPLIED, ...details });
  },
  stateUnavailable(action: string, cause: string): GatewayError {
    return new GatewayError('STATE_UNAVAILABLE', `The gateway's database did not answer (${cause}); ${action}`, { ...NOT_APPLIED });
  },
  operationParked(message: string, details: Record<string, unknown>): GatewayError {
    return new GatewayError('OPERATION_PARKED', message, { outcome: 'UNKNOWN', ...details });
  },
  unauthenticated(message: string): GatewayError {
    return new GatewayError('UNAUTHENTICATED', message, { http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } }, 401);
  },
  /** No token where the field needs one: a GraphQL error (HTTP 200), not a refused request. */
  authenticationRequired(): GatewayError {
    return new GatewayError('UNAUTHENTICATED', 'Authentication required: send Authorization: Bearer <token>', { ...NOT_APPLIED });
  },
  forbidden(message: string): GatewayError {
    return new GatewayError('FORBIDDEN', message, { ...NOT_APPLIED });
  },
  rateLimited(message: string, retryAfter: number): GatewayError {
    return new GatewayError('RATE_LIMITED', message, { ...NOT_APPLIED, retryAfter });
  },
  tooManySubscriptions(message: string): GatewayError {
    return new GatewayError('TOO_MANY_SUBSCRIPTIONS', message);
  },
  badRequest(message: string, status: number): GatewayError {
    return new GatewayError('BAD_REQUEST', message, { http: { status } }, status);
  },
  /** A fault of the gateway's own, masked, but with the outcome the client needs for a mutation. */
  internal(outcome?: Outcome): GatewayError {
    return new GatewayError('INTERNAL_SERVER_ERROR', 'Unexpected error.', outcome ? { outcome } : {});
  },
  validationFailed(message: string): GatewayError {
    return new GatewayError('GRAPHQL_VALIDATION_FAILED', message);
  },

  /**
   * An upstream failure, on the table. For mutations, `outcome` says whether the change may have
   * happened, so a client knows when a retry is safe.
   */
  upstream(error: UpstreamError, { mutation }: { mutation: boolean }): GatewayError {
    const outcome: Outcome = error.outcome;
    const extensions: Record<string, unknown> = mutation ? { outcome } : {};
    const tail = mutation ? `; ${outcome === 'UNKNOWN' ? MAY_HAVE_HAPPENED : NOT_HAPPENED}` : '';
    const retryAfter = (seconds: number | undefined) => (seconds === undefined ? {} : { retryAfter: seconds });

    if (error instanceof UpstreamRejectedError) {
      return new GatewayError(
        'UPSTREAM_REJECTED',
        `The stamp API refused ${error.endpoint}: ${error.upstreamMessage || 'no reason given'}${tail}`,
        {
          ...extensions,
          upstreamCode: error.code,
          upstreamMessage: error.upstreamMessage,
        },
      );
    }
    if (error instanceof UpstreamHttpError) {
      const { status } = error;
      if (status === 401 || status === 403) {
        return new GatewayError('UPSTREAM_AUTH_FAILED', `The stamp API refused the gateway's credentials or plan (HTTP ${status})${tail}`, {
          ...extensions,
          httpStatus: status,
        });
      }
      if (status === 429) {
        return new GatewayError('UPSTREAM_RATE_LIMITED', `The stamp API's rate limit is exhausted${tail}`, {
          ...extensions,
          httpStatus: status,
          ...retryAfter(error.retryAfter),
        });
      }
      if (status >= 500) {
        return new GatewayError('UPSTREAM_UNAVAILABLE', `The stamp API is unavailable (HTTP ${status})${tail}`, {
          ...extensions,
          httpStatus: status,
          ...retryAfter(error.retryAfter),
        });
      }
      return new GatewayError('UPSTREAM_REJECTED', `The stamp API refused ${error.endpoint} with HTTP ${status}${tail}`, {
        ...extensions,
        httpStatus: status,
      });
    }
    if (error instanceof UpstreamShedError) {
      // The caller's own share is its own limit, not the stamp API's.
      if (error.reason === 'share')
        return new GatewayError('RATE_LIMITED', `${error.message}${tail}`, {
          ...extensions,
          retryAfter: error.retryAfter,
          shedBy: error.reason,
        });
      const code =
        error.reason === 'quota' ? 'UPSTREAM_RATE_LIMITED' : error.reason === 'breaker' ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_TIMEOUT';
      return new GatewayError(code, `${error.message}${tail}`, { ...extensions, retryAfter: error.retryAfter, shedBy: error.reason });
    }
    if (error instanceof UpstreamTimeoutError) {
      return new GatewayError('UPSTREAM_TIMEOUT', `The stamp API did not answer in time${tail}`, extensions);
    }
    if (error instanceof UpstreamNetworkError) {
      return new GatewayError('UPSTREAM_UNAVAILABLE', `The stamp API cannot be reached (${error.reason})${tail}`, extensions);
    }
    if (error instanceof UpstreamBadResponseError) {
      return new GatewayError('UPSTREAM_BAD_RESPONSE', `${error.message}${tail}`, extensions);
    }
    return new GatewayError('UPSTREAM_UNAVAILABLE', `The stamp API call failed${tail}`, extensions);
  },
};

/** Any failure a layer may raise, as the table's error (upstream errors mapped); undefined for the unexpected. */
export function asGatewayError(error: unknown, { mutation }: { mutation: boolean }): GatewayError | undefined {
  if (error instanceof GatewayError) return error;
  if (error instanceof UpstreamError) return errors.upstream(error, { mutation });
  return undefined;
}

/** The GraphQL error a client receives for a GatewayError: its code and details as extensions. */
export function toGraphQLError(
  error: GatewayError,
  options: Pick<GraphQLErrorOptions, 'nodes' | 'path' | 'source' | 'positions'> = {},
): GraphQLError {
  return new GraphQLError(error.message, { ...options, originalError: undefined, extensions: { code: error.code, ...error.details } });
}

/**
 * A GraphQL error with a code from the table, for graphql-js and yoga glue (document and request
 * errors): its message and location kept, its extensions replaced when `replace` is given.
 */
export function withCode(
  error: GraphQLError,
  code: ErrorCode,
  extra: Record<string, unknown> = {},
  replace?: Record<string, unknown>,
): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...(replace ?? error.extensions), ...extra, code },
  });
}

/** An execution error with the document nodes it is about, for an executor that left them out (graphql-jit). */
export function locatedAt(error: GraphQLError, nodes: readonly ASTNode[]): GraphQLError {
  return new GraphQLError(error.message, { nodes, path: error.path, originalError: error.originalError, extensions: error.extensions });
}

/**
 * A scalar's refusal of a value. A plain error on purpose: graphql-js then reports it with where the
 * value stands (the literal's node, or the variable), which plugins/input-issues.ts turns into an issue.
 */
export class InvalidValueError extends Error {
  override name = 'InvalidValueError' as const;
}

/** A refused HTTP request answered before GraphQL runs (body limit, protected endpoints). */
export function errorResponse(error: GatewayError, status: number, headers: Record<string, string> = {}): Response {
  const { http: _http, ...details } = error.details;
  return new Response(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code, ...details } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/**
 * yoga's maskError: the table's errors reach the client with their code (wherever graphql-js wrapped
 * them); anything unexpected becomes INTERNAL_SERVER_ERROR with no message details, stack trace, file
 * path or original error, in development too.
 */
export function maskError(error: unknown, message: string): Error {
  const graphql = error instanceof GraphQLError ? error : undefined;
  const original = graphql ? graphql.originalError : error;
  const known = asGatewayError(original, { mutation: false });
  const location = graphql ? { nodes: graphql.nodes, source: graphql.source, positions: graphql.positions, path: graphql.path } : {};
  if (known) return toGraphQLError(known, location);
  if (graphql && !graphql.originalError) return graphql;
  if (graphql && graphql.originalError instanceof GraphQLError && !graphql.originalError.originalError) return graphql;
  const http = graphql?.extensions?.http;
  return new GraphQLError(message, { ...location, extensions: { code: 'INTERNAL_SERVER_ERROR', ...(http ? { http } : {}) } });
}
