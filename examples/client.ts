/**
 * The typed client of the examples: urql over the generated documents (examples/gql, graphql-codegen's
 * client-preset with persistedDocuments), which sends each operation as its hash only, so it works
 * against a gateway that allows only these documents (PERSISTED_OPERATIONS_FILE=
 * examples/gql/persisted-documents.json). Subscriptions go over WebSocket (graphql-ws).
 */
import { persistedExchange } from '@urql/exchange-persisted';
import { Client, fetchExchange, stringifyDocument, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

export interface StampClientOptions {
  /** The gateway, e.g. http://127.0.0.1:4000 */
  url: string;
  /** A bearer token (a customer JWT, a staff API key), or none (the sandbox's local administrator). */
  token?: string;
  /** A WebSocket constructor where there is no global one (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
  /** Told when the live connection (subscriptions) opens and closes, e.g. for a "live" badge. */
  onLive?: (live: boolean) => void;
}

const hashOf = (document: unknown): string => {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error('not a persisted document: generate it with `npm run codegen`');
  return hash;
};

export function stampClient({ url, token, webSocketImpl, onLive }: StampClientOptions): { client: Client; close(): Promise<void> } {
  const authorization = token ? { authorization: `Bearer ${token}` } : undefined;
  const ws = createWsClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    connectionParams: authorization ?? {},
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    ...(webSocketImpl ? { webSocketImpl } : {}),
    on: { connected: () => onLive?.(true), closed: () => onLive?.(false) },
  });
  const client = new Client({
    url: `${url}/graphql`,
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { ...authorization } }),
    exchanges: [
      persistedExchange({
        // The hash the preset computed: the gateway knows each document by it, and by nothing else.
        generateHash: async (_query, document) => hashOf(document),
        enforcePersistedQueries: true,
        // POST: a GET would need the CSRF header too, and a bearer token makes it uncacheable anyway.
        preferGetForPersistedQueries: false,
        enableForMutation: true,
        enableForSubscriptions: true,
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request, operation) => ({
          subscribe: (sink) => ({
            // With an allow-list the gateway runs the document of the hash; without one, the text.
            unsubscribe: ws.subscribe(
              {
                query: request.query ?? stringifyDocument(operation.query),
                operationName: request.operationName,
                variables: request.variables,
                extensions: request.extensions,
              },
              sink,
            ),
          }),
        }),
      }),
    ],
  });
  return { client, close: () => ws.dispose() as Promise<void> };
}
