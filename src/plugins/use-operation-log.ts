import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayContext } from '../builder.js';
import { operationType } from './use-metrics.js';

/** Longest client-chosen string written to a log line. */
export const LOGGED_STRING_MAX = 100;

/** A client-chosen string as it may appear in a log line: bounded in length. */
export function loggable(value: string): string {
  return value.length > LOGGED_STRING_MAX ? `${value.slice(0, LOGGED_STRING_MAX)}…(${value.length} chars)` : value;
}

/**
 * One log line per GraphQL operation: request id, caller, operation, type, duration, upstream calls
 * and error codes. Never inputs or stamps, so no secret or customer data can reach the log.
 */
export function useOperationLog(logger: Logger): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      const ctx = args.contextValue;
      const definition = operationType(args);
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? (result.errors ?? []) : [];
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          logger.info(
            {
              requestId: ctx.requestId,
              caller: loggable(ctx.caller.id),
              operation: loggable(args.operationName ?? definition?.name?.value ?? 'anonymous'),
              type: definition?.operation ?? 'query',
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              upstreamCalls: ctx.stamps.api.calls.length,
              ...(codes.length ? { errors: codes } : {}),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
