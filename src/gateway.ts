import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { graphiqlAssets } from './plugins/use-graphiql.js';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { type GraphQLError, Kind, parse, type ValidationContext } from 'graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, type Plugin, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import type { Authenticator } from './auth/authentication.js';
import { type GatewayContext, releaseRequestCaches } from './builder.js';
import type { SecurityOptions } from './config.js';
import { errors, maskError, toGraphQLError } from './errors.js';
import { useBodyLimit } from './plugins/use-body-limit.js';
import { useErrorCodes } from './plugins/use-error-codes.js';
import { KnownOperations } from './plugins/known-operations.js';
import { countOperation, type GatewayMetrics, OperationNames, useMetrics } from './plugins/use-metrics.js';
import { logOperation, useOperationLog } from './plugins/use-operation-log.js';
import { type OperatorEndpoints, useOperatorEndpoints } from './plugins/use-operator-endpoints.js';
import { useWebhooks, type WebhookReceiver } from './plugins/use-webhooks.js';
import { OperationRecords } from './plugins/use-operation-records.js';
import { RequestIds, useRequestId } from './plugins/use-request-id.js';
import { schema } from './schema/index.js';
import { StampSession, type StampDeps } from './stamps/session.js';
import type { Logger } from 'pino';

/** Everything the gateway is made of, built once at start-up (app.ts). */
export interface GatewayParts {
  security: SecurityOptions;
  /** The stamp domain's dependencies: stamp API client, state store, cache, locks, limits. */
  stamps: StampDeps;
  auth: Authenticator;
  metrics: GatewayMetrics;
  /** /metrics and /ready. */
  operator: OperatorEndpoints;
  /** Operation log lines; none when omitted. */
  logger?: Logger;
  /** yoga's own log (request errors); silent when omitted. */
  yogaLogger?: YogaLogger;
  /** The stamp service's webhooks; none without STAMP_WEBHOOK_SECRET. */
  webhooks?: WebhookReceiver;
  /** Ends the subscriptions and the background work of these parts. */
  close(): Promise<void>;
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

// graphql-armor throws its refusals out of validation, without a code; report them as validation
// errors instead, so they carry GRAPHQL_VALIDATION_FAILED like any other invalid document.
const reportAsValidationError = {
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, error: GraphQLError) =>
      ctx?.reportError(toGraphQLError(errors.validationFailed(error.message.replace(/^Syntax Error: /, '')))),
  ],
};

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

const isEventStreamGet = (request: Request) =>
  request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/event-stream');

function useUnlessEventStream(plugin: Plugin): Plugin {
  return {
    onRequestParse(payload) {
      if (isEventStreamGet(payload.request)) return;
      return plugin.onRequestParse?.(payload);
    },
  };
}

/** Event streams pass proxies unbuffered (nginx: X-Accel-Buffering), and are never compressed (yoga sets Content-Encoding: none). */
function useStreamHeaders(): Plugin {
  return {
    onResponse({ response }) {
      if (response.headers.get('content-type')?.startsWith('text/event-stream')) response.headers.set('x-accel-buffering', 'no');
    },
  };
}

/** The gateway: yoga (for fetch-style use and WebSockets) and the node:http handler that serves it. */
export interface Gateway {
  yoga: YogaServerInstance<Record<string, never>, GatewayContext>;
  /** For `http.createServer`: known operations take the known path (plugins/known-operations.ts), the rest yoga. */
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** The known-operations path; none when off. */
  known?: KnownOperations;
}

/** What Pothos keeps for a request, let go of once its operation has run (see releaseRequestCaches). */
function useReleaseRequestCaches(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      return { onExecuteDone: () => releaseRequestCaches(args.contextValue) };
    },
  };
}

/**
 * The GraphQL gateway: yoga over the Pothos schema, assembled from its parts, and in front of it the
 * path of known operations (on unless `knownOperations: false`; with persisted operations it takes
 * only ids from the allow-list, as yoga does).
 */
export function createGateway(parts: GatewayParts, options: { knownOperations?: boolean } = {}): Gateway {
  const { security, auth, metrics, logger } = parts;
  const requestIds = new RequestIds();
  const records = new OperationRecords();
  const operationNames = new OperationNames(persistedOperationNames(security.persistedOperations), security.maxOperationNames);
  const onUnexpected = (error: unknown) => parts.yogaLogger?.error(error);
  const context = async (requestId: string, authorization: string | null, idempotencyKeyHeader: string | null): Promise<GatewayContext> => {
    const caller = await auth.authenticate(authorization);
    // The idempotency header is checked with the rules of the input field when a mutation uses it.
    return { requestId, caller, idempotencyKeyHeader, stamps: new StampSession(parts.stamps, caller, requestId) };
  };
  // A Map, not the parsed object: an id such as "__proto__" or "constructor" must be just an unknown id.
  const persisted = security.persistedOperations && new Map(Object.entries(security.persistedOperations));
  const known =
    options.knownOperations !== false
      ? new KnownOperations({
          schema,
          persisted: persisted || undefined,
          maxBodyBytes: security.maxBodyBytes,
          cors: security.corsOrigins.length > 0,
          context,
          onResult(requestId, record, result) {
            countOperation(metrics, operationNames, record, result);
            if (logger) logOperation(logger, requestId, record, result);
          },
          onUnexpected,
        })
      : undefined;
  // GraphiQL as a small page and its scripts as cacheable, compressed files (see use-graphiql.ts).
  const graphiql = security.graphiql ? graphiqlAssets() : undefined;
  const yoga = createYoga<Record<string, never>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: security.graphiql ? { title: 'Stamp Gateway', defaultQuery: EXAMPLE_OPERATION } : false,
    ...(graphiql ? { renderGraphiQL: graphiql.render } : {}),
    maskedErrors: { maskError },
    logging: parts.yogaLogger ?? false,
    // useBodyLimit below refuses a body over the limit, or of unknown length, before it is read; and
    // Node's HTTP parser never delivers more than Content-Length. Yoga's own limit would pipe every
    // body through a TransformStream again (a visible share of a read's CPU; see the README's benchmark).
    maxRequestBodySize: false,
    cors: security.corsOrigins.length ? { origin: security.corsOrigins, credentials: true, methods: ['GET', 'POST'] } : false,
    plugins: [
      ...(graphiql ? [graphiql.plugin] : []),
      useRequestId(requestIds),
      records.plugin(),
      useReleaseRequestCaches(),
      // Before the metrics and the log, so that they see the codes the client receives.
      useErrorCodes(onUnexpected),
      useOperatorEndpoints(parts.operator, { servedHere: security.metricsPort === undefined }),
      // Before the GraphQL body limit: deliveries have their own.
      useWebhooks(parts.webhooks, (status) => metrics.webhooks.inc({ status: String(status) })),
      useMetrics(metrics, operationNames, records),
      ...(logger ? [useOperationLog(logger, records, (request) => requestIds.of(request))] : []),
      useBodyLimit(security.maxBodyBytes),
      // Browsers cannot send a JSON content type or a custom header cross-site without CORS allowing it.
      // A GET for an event stream is exempt: EventSource cannot send headers, and GET never mutates.
      useUnlessEventStream(useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'x-apollo-operation-name'] })),
      useStreamHeaders(),
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
      // Last: it learns a document only once every rule above has validated it.
      ...(known ? [known.plugin()] : []),
    ],
    context: ({ request }) => context(requestIds.of(request), request.headers.get('authorization'), request.headers.get('idempotency-key')),
  });
  return { yoga, handle: known ? known.handler(yoga) : yoga, known };
}
