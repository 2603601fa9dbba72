import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../schema/errors.js';

/**
 * graphql-js reports a variable of the wrong type (e.g. "abc" for Int!) as a request error with no
 * `extensions.code`. Give it BAD_USER_INPUT, so every error a client sees has a stable code.
 */
export function useRequestErrorCodes(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors || ('data' in result && result.data !== undefined)) return;
          if (result.errors.every((e) => e.extensions?.code)) return;
          setResult({
            ...result,
            errors: result.errors.map((e) =>
              e.extensions?.code
                ? e
                : new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, originalError: e.originalError, extensions: { ...e.extensions, code: ErrorCode.BAD_USER_INPUT } }),
            ),
          });
        },
      };
    },
  };
}
