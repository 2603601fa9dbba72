import { type DefinitionNode, Kind, type OperationDefinitionNode } from 'graphql';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import type { UpstreamCallRecord } from '../upstream/client.js';
import type { UpstreamGuard } from '../upstream/guard.js';
import type { StampCache } from '../upstream/stamp-cache.js';

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Longest client-chosen string written to a log line. */
export const LOGGED_STRING_MAX = 100;

/** A client-chosen string as it may appear in a log line: bounded in length. */
export function loggable(value: string): string {
  return value.length > LOGGED_STRING_MAX ? `${value.slice(0, LOGGED_STRING_MAX)}…(${value.length} chars)` : value;
}

/**
 * The operation names metrics are labelled with: a bounded set, so no client can grow the registry.
 * Names of persisted operations are always known; other well-formed names get a label of their own
 * first come, first served, up to `limit`; everything else is counted as `other`.
 */
export class OperationNames {
  private readonly known = new Set<string>();
  private admitted = 0;

  constructor(
    preset: Iterable<string> = [],
    private readonly limit = 100,
  ) {
    for (const name of preset) if (OPERATION_NAME.test(name)) this.known.add(name);
  }

  label(name: string | undefined): string {
    if (!name) return 'anonymous';
    if (this.known.has(name)) return name;
    if (this.admitted < this.limit && OPERATION_NAME.test(name)) {
      this.admitted++;
      this.known.add(name);
      return name;
    }
    return 'other';
  }
}

/** The gateway's Prometheus metrics, in a registry of its own. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by name, type and outcome (ok, or the first error code)',
    labelNames: ['operation', 'type', 'outcome'],
    registers: [this.registry],
  });
  readonly operationSeconds = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation duration',
    labelNames: ['type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly upstreamCalls = new Counter({
    name: 'stamp_api_calls_total',
    help: 'Calls to the stamp API by endpoint, HTTP status and envelope code',
    labelNames: ['endpoint', 'status', 'code'],
    registers: [this.registry],
  });
  readonly upstreamSeconds = new Histogram({
    name: 'stamp_api_call_duration_seconds',
    help: 'Stamp API call duration, retries included',
    labelNames: ['endpoint'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(guard: UpstreamGuard, cache: StampCache) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'stamp_cache_hits',
      help: 'Stamp reads answered by the cache or a shared in-flight call',
      registers: [this.registry],
      collect() {
        this.set(cache.hits);
      },
    });
    new Gauge({
      name: 'stamp_cache_misses',
      help: 'Stamp reads that went to the stamp API',
      registers: [this.registry],
      collect() {
        this.set(cache.misses);
      },
    });
    new Gauge({
      name: 'stamp_api_quota',
      help: 'Stamp API quota used and left, per window',
      labelNames: ['window', 'kind'],
      registers: [this.registry],
      collect() {
        const q = guard.quota();
        this.set({ window: 'minute', kind: 'used' }, q.minuteUsed);
        this.set({ window: 'minute', kind: 'left' }, q.minuteLeft);
        this.set({ window: 'hour', kind: 'used' }, q.hourUsed);
        this.set({ window: 'hour', kind: 'left' }, q.hourLeft);
      },
    });
    new Gauge({
      name: 'stamp_api_breaker_state',
      help: 'Circuit breaker on the stamp API: 0 closed, 1 half-open, 2 open',
      registers: [this.registry],
      collect() {
        this.set({ closed: 0, 'half-open': 1, open: 2 }[guard.breakerState]);
      },
    });
  }

  recordUpstream(record: UpstreamCallRecord): void {
    this.upstreamCalls.inc({ endpoint: record.endpoint, status: String(record.status ?? 'none'), code: String(record.code ?? 'none') });
    this.upstreamSeconds.observe({ endpoint: record.endpoint }, record.durationMs / 1000);
  }
}

export interface OperationsOptions {
  metrics: GatewayMetrics;
  /** The bounded set of operation names metrics are labelled with. */
  operationNames: OperationNames;
  logger?: Logger;
  /** Each must resolve for /ready to answer 200; a rejection names what is not ready. */
  readyChecks: Record<string, () => Promise<void>>;
  requestIdOf: (request: Request) => string;
}

/**
 * Operations: `X-Request-Id` on every response, one log line and metrics per GraphQL operation,
 * `/metrics` for Prometheus and `/ready` for load balancers.
 */
export function useOperations({ metrics, operationNames, logger, readyChecks, requestIdOf }: OperationsOptions): Plugin<GatewayContext> {
  return {
    async onRequest({ url, endResponse }) {
      if (url.pathname === '/metrics') {
        return endResponse(new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }));
      }
      if (url.pathname === '/ready') {
        const failed: Record<string, string> = {};
        await Promise.all(Object.entries(readyChecks).map(([name, check]) => check().catch((e: Error) => void (failed[name] = e.message))));
        const ready = Object.keys(failed).length === 0;
        return endResponse(Response.json({ ready, ...(ready ? {} : { failed }) }, { status: ready ? 200 : 503 }));
      }
    },
    onExecute({ args }) {
      const started = performance.now();
      const ctx = args.contextValue;
      const definition = args.document.definitions.find(
        (d: DefinitionNode) => d.kind === Kind.OPERATION_DEFINITION && (!args.operationName || d.name?.value === args.operationName),
      ) as OperationDefinitionNode | undefined;
      const type = definition?.operation ?? 'query';
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? (result.errors ?? []) : [];
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          const operation = args.operationName ?? definition?.name?.value ?? 'anonymous';
          const seconds = (performance.now() - started) / 1000;
          metrics.operations.inc({ operation: operationNames.label(operation), type, outcome: codes[0] ?? 'ok' });
          metrics.operationSeconds.observe({ type }, seconds);
          logger?.info(
            {
              requestId: ctx.requestId,
              caller: ctx.caller.id,
              operation: loggable(operation),
              type,
              durationMs: Math.round(seconds * 10_000) / 10,
              upstreamCalls: ctx.api.calls.length,
              ...(codes.length ? { errors: codes } : {}),
            },
            'graphql operation',
          );
        },
      };
    },
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
