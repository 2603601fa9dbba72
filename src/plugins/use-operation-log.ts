import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayContext } from '../builder.js';
import { errorCodes, type OperationRecords } from './use-operation-records.js';

/** Longest client-chosen string written to a log line. */
export const LOGGED_STRING_MAX = 100;

/** A client-chosen string as it may appear in a log line: bounded in length. */
export function loggable(value: string): string {
  return value.length > LOGGED_STRING_MAX ? `${value.slice(0, LOGGED_STRING_MAX)}…(${value.length} chars)` : value;
}

/**
 * One log line per GraphQL request, also one refused before execution: request id, caller, operation,
 * type, duration, upstream calls and error codes. Never inputs or stamps, so no secret or customer
 * data can reach the log.
 */
export function useOperationLog(
  logger: Logger,
  records: OperationRecords,
  requestIdOf: (request: Request) => string,
): Plugin<GatewayContext> {
  return {
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      const record = records.get(request);
      const codes = errorCodes(result);
      logger.info(
        {
          requestId: requestIdOf(request),
          ...(record.context ? { caller: loggable(record.context.caller.id) } : {}),
          operation: loggable(record.name),
          type: record.type,
          durationMs: Math.round((performance.now() - record.started) * 10) / 10,
          upstreamCalls: record.context?.stamps.api.calls.length ?? 0,
          ...(codes.length ? { errors: codes } : {}),
        },
        'graphql operation',
      );
    },
  };
}
