import { randomUUID } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import { createContext, type GatewayContext } from './context.js';
import { useRequestErrorCodes } from './plugins/use-request-error-codes.js';
import { upstreamToGraphQL } from './schema/errors.js';
import { schema } from './schema/index.js';
import type { GatewayStore } from './store/store.js';
import { createUpstreamClient, type UpstreamClientOptions } from './upstream/client.js';
import { UpstreamError } from './upstream/errors.js';

export interface GatewayOptions {
  upstream: UpstreamClientOptions;
  store: GatewayStore;
  /** GraphiQL off in production. */
  production?: boolean;
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
  const shared = { client: createUpstreamClient(options.upstream), store: options.store, leaseMs };
  return createYoga<Record<string, never>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: options.production ? false : { title: 'Stamp Gateway', defaultQuery: EXAMPLE_OPERATION },
    renderGraphiQL,
    maskedErrors: { maskError: maskUnexpected },
    logging: options.logging ?? true,
    plugins: [useRequestErrorCodes()],
    context: ({ request }) => {
      const given = request.headers.get('x-request-id');
      const idempotencyKey = request.headers.get('idempotency-key');
      return createContext(shared, {
        requestId: given && REQUEST_ID.test(given) ? given : randomUUID(),
        caller: { id: 'local' },
        idempotencyKeyHeader: idempotencyKey && idempotencyKey.length <= 200 ? idempotencyKey : null,
      });
    },
  });
}
