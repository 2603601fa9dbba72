import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../schema/errors.js';

const withCode = (e: GraphQLError, code: string) =>
  e.extensions?.code
    ? e
    : new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, originalError: e.originalError, extensions: { ...e.extensions, code } });

/**
 * Every error a client sees has a stable code. graphql-js reports a variable of the wrong type (e.g.
 * "abc" for Int!) with none: BAD_USER_INPUT. The document limits (graphql-armor's depth, aliases,
 * cost) report none either: GRAPHQL_VALIDATION_FAILED, like every other invalid document.
 */
export function useRequestErrorCodes(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length && result.some((e) => !e.extensions?.code)) setResult(result.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')));
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors || ('data' in result && result.data !== undefined)) return;
          if (result.errors.every((e) => e.extensions?.code)) return;
          setResult({
            ...result,
            errors: result.errors.map((e) => withCode(e, ErrorCode.BAD_USER_INPUT)),
          });
        },
      };
    },
  };
}
