import { randomUUID } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, Kind, parse, type ValidationContext } from 'graphql';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { Authenticator } from './auth/callers.js';
import { SlidingWindowLimiter } from './auth/rate-limit.js';
import { createContext, type GatewayContext, type MutationLimits } from './context.js';
import type { Logger } from 'pino';
import { useBodyLimit } from './plugins/use-body-limit.js';
import { GatewayMetrics, OperationNames, useOperations } from './plugins/use-operations.js';
import { UpstreamGuard } from './upstream/guard.js';
import { StampCache } from './upstream/stamp-cache.js';
import { useRequestErrorCodes } from './plugins/use-request-error-codes.js';
import { upstreamToGraphQL } from './schema/errors.js';
import { schema } from './schema/index.js';
import type { GatewayStore } from './store/store.js';
import { createUpstreamClient, type UpstreamClientOptions } from './upstream/client.js';
import { UpstreamError } from './upstream/errors.js';

export interface SecurityOptions {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxBodyBytes: number;
  introspection: boolean;
  graphiql: boolean;
  /** Browser origins allowed by CORS; empty: none (same origin only). */
  corsOrigins: string[];
  /** Only these operations run (id or sha256 hash → document), when given. */
  persistedOperations?: Record<string, string>;
  mutations: MutationLimits;
  /** Distinct client-chosen operation names labelled in metrics; the rest count as `other`. */
  maxOperationNames: number;
}

export const DEFAULT_SECURITY: SecurityOptions = {
  maxDepth: 8,
  maxAliases: 15,
  maxTokens: 2_000,
  maxCost: 5_000,
  maxBodyBytes: 64 * 1024,
  introspection: true,
  graphiql: true,
  corsOrigins: [],
  mutations: { perCaller: 300, perCallerAndStamp: 20 },
  maxOperationNames: 100,
};

export interface ResilienceOptions {
  /** Stamp reads are cached this long; 0 turns the cache (and shared in-flight reads) off. */
  cacheTtlMs: number;
  /** Outgoing calls per minute and per hour: the plan's limits (Personal: 180 and 1800). */
  ratePerMinute: number;
  ratePerHour: number;
  /** How long a call may wait for a quota slot before failing fast. */
  maxQueueWaitMs: number;
  /** A GraphQL request's whole budget; upstream calls get what is left of it. */
  deadlineMs: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  cacheTtlMs: 3_000,
  ratePerMinute: 180,
  ratePerHour: 1_800,
  maxQueueWaitMs: 2_000,
  deadlineMs: 15_000,
  breakerThreshold: 5,
  breakerCooldownMs: 5_000,
};

export interface GatewayOptions {
  upstream: UpstreamClientOptions;
  store: GatewayStore;
  resilience?: Partial<ResilienceOptions>;
  logger?: Logger;
  /** More checks for /ready (the database and the breaker are always checked). */
  readyChecks?: Record<string, () => Promise<void>>;
  /** Who may call; default: every request is the local administrator (sandbox without callers). */
  auth?: Authenticator;
  security?: Partial<SecurityOptions>;
  /** Pass `false` to silence yoga's own logging (tests). */
  logging?: boolean;
}

export const EXAMPLE_OPERATION = `# Sandbox demo data: Alice has 3 of 10 coffees.
query DemoStamp {
  stamp(stampIdx: 1000) {
    stampIdx
    cardName
    stamps
    maxStamps
    remaining
    complete
    active
    startDate
    endDate
    user { id name }
  }
}
`;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

// graphql-armor throws its refusals out of validation, without a code; report them as validation
// errors instead, so they carry GRAPHQL_VALIDATION_FAILED like any other invalid document.
const reportAsValidationError = {
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, error: GraphQLError) =>
      ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
  ],
};
const LOCAL_ADMIN_ONLY = await Authenticator.create({ mode: 'local-admin' });

/** The names of the operations in the persisted-operations allow-list: always labelled in metrics. */
function persistedOperationNames(documents: Record<string, string> | undefined): string[] {
  const names: string[] = [];
  for (const document of Object.values(documents ?? {})) {
    try {
      for (const d of parse(document).definitions) if (d.kind === Kind.OPERATION_DEFINITION && d.name) names.push(d.name.value);
    } catch {
      // A document that does not parse is refused when it is used; it names nothing here.
    }
  }
  return names;
}

/** Errors that escaped the resolvers' own mapping: upstream failures are mapped, the rest masked. */
function maskUnexpected(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof UpstreamError) {
    const mapped = upstreamToGraphQL(original, { mutation: false });
    return new GraphQLError(mapped.message, {
      extensions: mapped.extensions,
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
    });
  }
  // Never in development mode either: no stack trace or file path reaches a client.
  return maskError(error, message, false);
}

/** The GraphQL gateway as a fetch-style handler (no port): yoga over the Pothos schema. */
export function createGateway(options: GatewayOptions): YogaServerInstance<Record<string, never>, GatewayContext> {
  // A mutation makes at most a few calls, each bounded by the timeout (and two retries for safe ones).
  const leaseMs = options.upstream.timeoutMs * 6 + 5_000;
  const security = { ...DEFAULT_SECURITY, ...options.security };
  const resilience = { ...DEFAULT_RESILIENCE, ...options.resilience };
  const auth = options.auth ?? LOCAL_ADMIN_ONLY;
  const guard = new UpstreamGuard({
    perMinute: resilience.ratePerMinute,
    perHour: resilience.ratePerHour,
    maxQueueWaitMs: resilience.maxQueueWaitMs,
    breakerThreshold: resilience.breakerThreshold,
    breakerCooldownMs: resilience.breakerCooldownMs,
  });
  const cache = new StampCache(resilience.cacheTtlMs);
  const metrics = new GatewayMetrics(guard, cache);
  const logger = options.logger;
  const requestIds = new WeakMap<Request, string>();
  const requestIdOf = (request: Request) => {
    let id = requestIds.get(request);
    if (!id) {
      const given = request.headers.get('x-request-id');
      id = given && REQUEST_ID.test(given) ? given : randomUUID();
      requestIds.set(request, id);
    }
    return id;
  };
  const shared = {
    client: createUpstreamClient({
      ...options.upstream,
      guard,
      onCall: (record) => {
        metrics.recordUpstream(record);
        logger?.info(record, 'stamp api call');
      },
    }),
    store: options.store,
    leaseMs,
    limiter: new SlidingWindowLimiter(),
    limits: security.mutations,
    cache,
    deadlineMs: resilience.deadlineMs,
  };
  // A Map, not the parsed object: an id such as "__proto__" or "constructor" must be just an unknown id.
  const persisted = security.persistedOperations && new Map(Object.entries(security.persistedOperations));
  return createYoga<Record<string, never>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: security.graphiql ? { title: 'Stamp Gateway', defaultQuery: EXAMPLE_OPERATION } : false,
    renderGraphiQL,
    maskedErrors: { maskError: maskUnexpected },
    logging: options.logging ?? true,
    // useBodyLimit below refuses a body over the limit, or of unknown length, before it is read; and
    // Node's HTTP parser never delivers more than Content-Length. Yoga's own limit would pipe every
    // body through a TransformStream again (~5% of a read's CPU in a profile under npm run bench's load).
    maxRequestBodySize: false,
    cors: security.corsOrigins.length ? { origin: security.corsOrigins, credentials: true, methods: ['GET', 'POST'] } : false,
    plugins: [
      useOperations({
        metrics,
        operationNames: new OperationNames(persistedOperationNames(security.persistedOperations), security.maxOperationNames),
        logger,
        requestIdOf,
        readyChecks: {
          database: () => options.store.ping(),
          upstream: async () => {
            if (guard.breakerState === 'open') throw new Error('the circuit breaker on the stamp API is open');
          },
          ...options.readyChecks,
        },
      }),
      useBodyLimit(security.maxBodyBytes),
      // Browsers cannot send a JSON content type or a custom header cross-site without CORS allowing it.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'x-apollo-operation-name'] }),
      ...(persisted
        ? [usePersistedOperations({ getPersistedOperation: (key: string) => persisted.get(key) ?? null, allowArbitraryOperations: false })]
        : []),
      ...(security.introspection ? [] : [useDisableIntrospection()]),
      EnvelopArmorPlugin({
        maxDepth: { n: security.maxDepth, ...reportAsValidationError },
        maxAliases: { n: security.maxAliases, ...reportAsValidationError },
        maxTokens: { n: security.maxTokens },
        costLimit: { maxCost: security.maxCost, ...reportAsValidationError },
        maxDirectives: { n: 20, ...reportAsValidationError },
        blockFieldSuggestion: { enabled: !security.introspection },
      }),
      useRequestErrorCodes(),
    ],
    context: async ({ request }) => {
      const idempotencyKey = request.headers.get('idempotency-key');
      return createContext(shared, {
        requestId: requestIdOf(request),
        caller: await auth.authenticate(request.headers.get('authorization')),
        idempotencyKeyHeader: idempotencyKey && idempotencyKey.length <= 200 ? idempotencyKey : null,
      });
    },
  });
}
