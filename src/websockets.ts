import type { Server } from 'node:http';
import { type ExecutionArgs, type GraphQLError, getOperationAST, OperationTypeNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { GatewayContext } from './builder.js';
import { errors, GatewayError, toGraphQLError } from './errors.js';
import type { GatewayParts } from './gateway.js';

/** How long a new socket has to send `connection_init`. */
const CONNECTION_INIT_MS = 10_000;

/**
 * Browsers send the page's origin with a WebSocket upgrade and no CORS applies: a page on another site
 * must not reach a gateway on this machine (the sandbox's local administrator). Allowed: no Origin (not
 * a browser), the gateway's own host, or an origin in CORS_ORIGINS.
 */
function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The bearer token a client gives in `connection_init`: `{ authorization: "Bearer …" }` (any case), or the upgrade's header. */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined, header: string | undefined): string | null {
  for (const [name, value] of Object.entries(params ?? {})) {
    if (name.toLowerCase() === 'authorization' && typeof value === 'string') return value;
  }
  return header ?? null;
}

const refusal = (error: GatewayError): readonly GraphQLError[] => [toGraphQLError(error)];

/**
 * Subscriptions over WebSocket (graphql-transport-ws, by graphql-ws) on the GraphQL server's port and
 * path, through yoga's envelope: the same schema, context, scopes, limits and error masking as over
 * HTTP. Only subscriptions: queries and mutations go over HTTP (idempotency keys, CSRF, body limits).
 * With persisted operations only those run here too.
 */
export function attachWebSockets(
  server: Server,
  yoga: YogaServerInstance<Record<string, never>, GatewayContext>,
  parts: GatewayParts,
): { close(): Promise<void> } {
  const { security } = parts;
  const persisted = security.persistedOperations && new Map(Object.entries(security.persistedOperations));
  const maxSockets = parts.stamps.subscriptionLimits.perInstance;
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: security.maxBodyBytes,
    verifyClient: ({ origin, req }: { origin: string | undefined; req: { headers: Record<string, string | string[] | undefined> } }) =>
      originAllowed(origin, req.headers.host as string | undefined, security.corsOrigins),
  });
  wss.on('connection', (socket) => {
    // Sockets are bounded as subscriptions are: an idle one costs memory too.
    if (wss.clients.size > maxSockets) socket.close(1013, 'Too many connections: try again later');
  });
  wss.on('error', () => undefined);

  const tokens = new WeakMap<object, string | null>();
  const disposable = useServer<Record<string, unknown>>(
    {
      connectionInitWaitTimeout: CONNECTION_INIT_MS,
      onConnect: async (ctx) => {
        const authorization = authorizationOf(ctx.connectionParams, ctx.extra.request.headers.authorization);
        try {
          // A token that is not valid closes the socket (4403), as an HTTP request would be refused (401).
          await parts.auth.authenticate(authorization);
        } catch {
          return false;
        }
        tokens.set(ctx, authorization);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        let query = payload.query;
        if (persisted) {
          const hash = (payload.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
          const document = typeof hash === 'string' ? persisted.get(hash) : undefined;
          if (!document) {
            return refusal(
              new GatewayError(
                typeof hash === 'string' ? 'PERSISTED_QUERY_NOT_IN_LIST' : 'PERSISTED_QUERY_ID_REQUIRED',
                'Only persisted operations run here: send extensions.persistedQuery.sha256Hash',
              ),
            );
          }
          query = document;
        }
        const authorization = tokens.get(ctx) ?? null;
        const request = new Request(`http://websocket${yoga.graphqlEndpoint}`, {
          headers: authorization ? { authorization } : {},
        });
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          request,
          params: payload,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
        } as never);
        let document: ReturnType<typeof parse>;
        try {
          document = parse(query);
        } catch (error) {
          return refusal(new GatewayError('GRAPHQL_PARSE_FAILED', (error as Error).message));
        }
        const invalid = validate(schema, document);
        if (invalid.length) return invalid;
        if (getOperationAST(document, payload.operationName)?.operation !== OperationTypeNode.SUBSCRIPTION) {
          return refusal(errors.badRequest('Only subscriptions go over WebSocket: send queries and mutations over HTTP', 400));
        }
        let contextValue: unknown;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          if (error instanceof GatewayError) return refusal(error);
          throw error;
        }
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute, subscribe },
        } as ExecutionArgs;
      },
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => never }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => never }).subscribe(args),
    },
    wss,
  );
  return {
    async close() {
      for (const socket of wss.clients) socket.close(1001, 'The gateway is shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
