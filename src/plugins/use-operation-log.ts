import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayContext } from '../builder.js';
import type { UpstreamCallRecord } from '../upstream/client.js';
import { errorCodes, type OperationRecord, type OperationRecords } from './use-operation-records.js';

/** Longest client-chosen string written to a log line. */
export const LOGGED_STRING_MAX = 100;

/** Upstream calls listed in an operation's line (a batch may make 100): the count says how many in all. */
export const LOGGED_CALLS_MAX = 20;

/** One upstream call in an operation's line: endpoint, status, envelope code, ms, and attempts or error when there are. */
function compactCall(call: UpstreamCallRecord): Record<string, unknown> {
  return {
    endpoint: call.endpoint,
    status: call.status ?? null,
    ...(call.code === undefined ? {} : { code: call.code }),
    ms: call.durationMs,
    ...(call.attempts > 1 ? { attempts: call.attempts } : {}),
    ...(call.error ? { error: call.error } : {}),
  };
}

/** A client-chosen string as it may appear in a log line: bounded in length. */
export function loggable(value: string): string {
  return value.length > LOGGED_STRING_MAX ? `${value.slice(0, LOGGED_STRING_MAX)}…(${value.length} chars)` : value;
}

/** The operation's log line: never inputs or stamps (see useOperationLog). */
export function logOperation(logger: Logger, requestId: string, record: OperationRecord, result: unknown): void {
  const codes = errorCodes(result);
  const calls = record.context?.stamps.api.calls;
  logger.info(
    {
      requestId,
      ...(record.context ? { caller: loggable(record.context.caller.id) } : {}),
      operation: loggable(record.name),
      type: record.type,
      durationMs: Math.round((performance.now() - record.started) * 10) / 10,
      upstreamCalls: calls?.length ?? 0,
      ...(calls?.length ? { upstream: calls.slice(0, LOGGED_CALLS_MAX).map(compactCall) } : {}),
      ...(codes.length ? { errors: codes } : {}),
    },
    'graphql operation',
  );
}

/**
 * One log line per GraphQL request over HTTP, also one refused before execution: request id, caller,
 * operation, type, duration, the upstream calls it made (endpoint, status, code, duration) and error
 * codes. Never inputs or stamps, so no secret or customer data can reach the log.
 */
export function useOperationLog(
  logger: Logger,
  records: OperationRecords,
  requestIdOf: (request: Request) => string,
): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      // Set before any resolver runs: the calls of a query or mutation over HTTP go into its line below.
      // A subscription's, and a WebSocket operation's, have no such line, so they keep theirs.
      const request = (args.contextValue as { request?: Request }).request;
      const record = request && records.get(request);
      if (record?.http && record.type !== 'subscription') args.contextValue.stamps.api.reported = true;
    },
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      logOperation(logger, requestIdOf(request), records.get(request), result);
    },
  };
}
