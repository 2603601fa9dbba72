import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type ErrorCode, maskError, withCode } from '../errors.js';

/**
 * Every error a client sees has a code from the table, settled as soon as execution ends, so the
 * metrics and the log line count the code the client receives. graphql-js reports a variable of the
 * wrong type (e.g. "abc" for Int!) with none: BAD_USER_INPUT. The document limits (graphql-armor's
 * depth, aliases, cost) report none either: GRAPHQL_VALIDATION_FAILED, like every other invalid
 * document. Anything unexpected is masked and handed to `onUnexpected` (the log).
 */
export function useErrorCodes(onUnexpected: (error: unknown) => void = () => undefined): Plugin {
  // Without data the request itself was refused (its variables); with data, graphql-js found a fault of ours.
  const settle = (error: GraphQLError, executed: boolean) => {
    const masked = maskError(error, 'Unexpected error.') as GraphQLError;
    const code = (masked.extensions?.code as ErrorCode | undefined) ?? (executed ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT');
    if (code === 'INTERNAL_SERVER_ERROR') onUnexpected(error.originalError ?? error);
    return masked.extensions?.code ? masked : withCode(masked, code);
  };
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length && result.some((e) => !e.extensions?.code)) {
          setResult(result.map((e) => (e.extensions?.code ? e : withCode(e, 'GRAPHQL_VALIDATION_FAILED'))));
        }
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          const executed = 'data' in result && result.data !== undefined;
          setResult({ ...result, errors: result.errors.map((e) => settle(e, executed)) });
        },
      };
    },
  };
}
