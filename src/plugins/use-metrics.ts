import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../builder.js';
import type { StampCache } from '../stamps/stamp-cache.js';
import type { CircuitBreaker } from '../upstream/breaker.js';
import type { UpstreamCallRecord } from '../upstream/client.js';
import type { Quota } from '../upstream/quota.js';
import { errorCodes, type OperationRecord, type OperationRecords } from './use-operation-records.js';

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
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

  /** Webhook deliveries answered, by HTTP status. */
  readonly webhooks = new Counter({
    name: 'stamp_webhooks_total',
    help: "The stamp service's webhook deliveries, by the status answered (200 accepted or replayed, 401 refused, 413, 503 not recorded)",
    labelNames: ['status'],
    registers: [this.registry],
  });

  constructor(quota: Quota, breaker: CircuitBreaker, cache: StampCache, subscriptions: () => number = () => 0) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'gateway_subscriptions_open',
      help: 'Subscriptions open in this instance (SSE and WebSocket)',
      registers: [this.registry],
      collect() {
        this.set(subscriptions());
      },
    });
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
      async collect() {
        const q = await quota.usage();
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
        this.set({ closed: 0, 'half-open': 1, open: 2 }[breaker.state]);
      },
    });
  }

  recordUpstream(record: UpstreamCallRecord): void {
    this.upstreamCalls.inc({ endpoint: record.endpoint, status: String(record.status ?? 'none'), code: String(record.code ?? 'none') });
    this.upstreamSeconds.observe({ endpoint: record.endpoint }, record.durationMs / 1000);
  }
}

/** Counts one GraphQL request's result: by operation, type and outcome, and its duration. */
export function countOperation(metrics: GatewayMetrics, operationNames: OperationNames, record: OperationRecord, result: unknown): void {
  const type = record.type === 'unknown' ? 'query' : record.type;
  metrics.operations.inc({ operation: operationNames.label(record.name), type, outcome: errorCodes(result)[0] ?? 'ok' });
  metrics.operationSeconds.observe({ type }, (performance.now() - record.started) / 1000);
}

/** Prometheus metrics per GraphQL request its count by operation, type and outcome, and its duration. */
export function useMetrics(metrics: GatewayMetrics, operationNames: OperationNames, records: OperationRecords): Plugin<GatewayContext> {
  return {
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      countOperation(metrics, operationNames, records.get(request), result);
    },
  };
}
