import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { Logger } from 'pino';
import { buildParts } from '../../src/app.js';
import { Authenticator } from '../../src/auth/authentication.js';
import {
  type Config,
  loadConfig,
  type MutationLimits,
  type ResilienceOptions,
  type SecurityOptions,
  type UpstreamOptions,
  type WebhookOptions,
} from '../../src/config.js';
import { createGateway, type GatewayParts } from '../../src/gateway.js';
import type { KnownOperations } from '../../src/plugins/known-operations.js';
import { GatewayStore } from '../../src/store/store.js';
import { attachWebSockets } from '../../src/websockets.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/server.js';
import { startSandbox, TEST_USER_AGENT } from './sandbox.js';

const LOCAL_ADMIN = await Authenticator.create({ mode: 'local-admin' });

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  body: ExecutionResult<T> & { errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
}

export interface TestGateway {
  url: string;
  sandbox: Sandbox;
  store: GatewayStore;
  /** What the gateway is made of (its outbox, its stamp API client). */
  parts: GatewayParts;
  request<T, V>(document: TypedDocumentNode<T, V>, variables?: V, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** An untyped request, for documents a test builds itself (hostile input, generated cases). */
  post(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<any>>;
  close(): Promise<void>;
  /** The known-operations path in front of yoga, when on. */
  known?: KnownOperations;
}

/** The gateway on port 0 over a fresh in-memory sandbox (or the one given), both over real HTTP. */
export async function startGateway(
  options: {
    sandbox?: Sandbox;
    sandboxOptions?: SandboxOptions;
    upstream?: Partial<UpstreamOptions>;
    store?: GatewayStore;
    /** Who may call; default: every request is the local administrator (sandbox without callers). */
    auth?: Authenticator;
    security?: Partial<SecurityOptions> & { mutations?: MutationLimits };
    resilience?: Partial<ResilienceOptions>;
    webhooks?: Partial<WebhookOptions>;
    subscriptions?: Partial<Config['subscriptions']>;
    logger?: Logger;
    /** The known-operations path in front of yoga (default on, as in production). */
    knownOperations?: boolean;
  } = {},
): Promise<TestGateway> {
  const sandbox = options.sandbox ?? (await startSandbox(options.sandboxOptions));
  const store = options.store ?? (await GatewayStore.open({}));
  // The defaults are the configuration's own; a test changes only what it is about.
  const defaults = loadConfig({});
  const { mutations, ...security } = options.security ?? {};
  const parts = await buildParts(
    {
      production: false,
      database: defaults.database,
      webhooks: { ...defaults.webhooks, ...options.webhooks },
      subscriptions: { ...defaults.subscriptions, ...options.subscriptions },
      security: { ...defaults.security, ...security },
      limits: { ...defaults.limits, ...mutations },
      // Tests count upstream calls exactly: no cache, and quota and breaker out of the way unless a
      // test is about them.
      resilience: {
        ...defaults.resilience,
        cacheTtlMs: 0,
        unavailableCacheTtlMs: 0,
        callerShare: 1,
        ratePerMinute: 1e6,
        ratePerHour: 1e7,
        breakerThreshold: 1e6,
        ...options.resilience,
      },
      upstream: {
        ...defaults.upstream,
        url: sandbox.url,
        apiKey: sandbox.apiKey,
        timeoutMs: 2_000,
        userAgent: TEST_USER_AGENT,
        maxInFlight: 16,
        ...options.upstream,
      },
    },
    { store, auth: options.auth ?? LOCAL_ADMIN, logger: options.logger },
  );
  const { yoga, handle, known } = createGateway(parts, { knownOperations: options.knownOperations });
  const server: Server = createServer(handle);
  const sockets = attachWebSockets(server, yoga, parts);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    sandbox,
    store,
    parts,
    known,
    async request(document, variables, headers = {}) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as never };
    },
    async post(query, variables, headers = {}) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as never };
    },
    async close() {
      await parts.close();
      await sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await parts.stamps.outbox.flush(1_000);
      await parts.stamps.client.close();
      if (!options.sandbox) await sandbox.close();
      if (!options.store) await store.close();
    },
  };
}

/** Fails with the operation and the whole response body when there are errors. */
export function expectNoErrors<T>(response: GraphQLResponse<T>, document?: TypedDocumentNode<unknown, never>): T {
  if (response.body.errors?.length || !response.body.data) {
    expect.fail(`Unexpected GraphQL errors\n${document ? print(document) : ''}\n${JSON.stringify(response.body, null, 2)}`);
  }
  return response.body.data as T;
}

/** The single error of a response, failing with the whole body when there is not exactly one. */
export function onlyError<T>(response: GraphQLResponse<T>) {
  const errors = response.body.errors ?? [];
  if (errors.length !== 1) expect.fail(`Expected exactly one error\n${JSON.stringify(response.body, null, 2)}`);
  return errors[0]!;
}

/**
 * A gateway for one describe block, on a store of the engine given (closed with it), with the
 * sandbox's request log and faults cleared before each test. Returns a getter for the gateway.
 */
export function useGatewayOn(open: () => Promise<GatewayStore>, options: Parameters<typeof startGateway>[0] = {}): () => TestGateway {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ ...options, store: await open() });
  });
  afterAll(async () => {
    await gw.close();
    await gw.store.close();
  });
  beforeEach(() => {
    gw.sandbox.requests.clear();
    gw.sandbox.faults.clear();
  });
  return () => gw;
}
