import type { DocumentNode, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type ErrorCode, maskError, withCode } from '../errors.js';
import { asInputIssues } from './input-issues.js';

const REQUEST_ERRORS = new Set<unknown>(['BAD_REQUEST', 'BAD_USER_INPUT']);

/** Whether an error is final as it is: a code, no echo of the request, no `spec` status on a refused request. */
function settled(error: { extensions?: Record<string, unknown> }): boolean {
  const ext = error.extensions;
  return !!ext?.code && !ext.originalError && !((ext.http as { spec?: boolean } | undefined)?.spec && REQUEST_ERRORS.has(ext.code));
}

/** The code of an error graphql-js or yoga raised without one, by what it is. */
function codeFor(error: GraphQLError, executed: boolean): ErrorCode {
  const status = (error.extensions?.http as { status?: number } | undefined)?.status;
  if (status === 403) return 'CSRF_HEADER_REQUIRED';
  if (status && status >= 400 && status < 500) return 'BAD_REQUEST';
  // Without data the request itself was refused (its variables); with data, graphql-js found a fault of ours.
  return executed ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT';
}

/** Settles one error: masked, with its code, as the client receives it. */
function settler(onUnexpected: (error: unknown) => void) {
  return (error: GraphQLError, executed: boolean) => {
    const masked = maskError(error, 'Unexpected error.') as GraphQLError;
    const code = (masked.extensions?.code as ErrorCode | undefined) ?? codeFor(masked, executed);
    if (code === 'INTERNAL_SERVER_ERROR') onUnexpected(error.originalError ?? error);
    const {
      originalError: _echo,
      http,
      ...extensions
    } = (masked.extensions ?? {}) as Record<string, unknown> & { http?: { spec?: boolean } };
    // A refused request or value is HTTP 400 whatever the client accepts (yoga's `spec` flag would make
    // it 200 for application/json), so an inline bad value and a bad variable answer the same.
    const unspec = http?.spec && REQUEST_ERRORS.has(code);
    if (settled(masked)) return masked;
    const { spec: _spec, ...status } = http ?? {};
    return withCode(masked, code, {}, { ...extensions, ...(http ? { http: unspec ? status : http } : {}) });
  };
}

/**
 * An execution's result with every error settled (see useErrorCodes): what onExecuteDone makes of it,
 * for the known-operations path, which executes without yoga (plugins/known-operations.ts).
 */
export function settleExecutionResult<R extends { data?: unknown; errors?: readonly GraphQLError[] }>(
  result: R,
  document: DocumentNode,
  operationName: string | null | undefined,
  onUnexpected: (error: unknown) => void,
): R {
  if (!result.errors?.length) return result;
  const settle = settler(onUnexpected);
  const executed = 'data' in result && result.data !== undefined;
  const list = executed ? result.errors : asInputIssues(result.errors, document, operationName);
  return { ...result, errors: list.map((e) => settle(e, executed)) };
}

/**
 * Every error a client sees has a code from the table, settled as soon as it is known, so the metrics
 * and the log line count the code the client receives:
 * - a refused input value, inline or in variables, is one BAD_USER_INPUT error with `issues`;
 * - the document limits (graphql-armor) and other invalid documents are GRAPHQL_VALIDATION_FAILED;
 * - yoga's request errors get theirs (BAD_REQUEST, CSRF_HEADER_REQUIRED), and never echo the request
 *   (`extensions.originalError`);
 * - anything unexpected is masked and handed to `onUnexpected` (the log).
 */
export function useErrorCodes(onUnexpected: (error: unknown) => void = () => undefined): Plugin {
  const settle = settler(onUnexpected);
  return {
    onValidate({ params, context }) {
      return ({ result, setResult }) => {
        if (!result.length) return;
        const operationName = (context as { params?: { operationName?: string } }).params?.operationName;
        setResult(
          asInputIssues(result as readonly GraphQLError[], params.documentAST, operationName).map((e) =>
            e.extensions?.code ? e : withCode(e, 'GRAPHQL_VALIDATION_FAILED'),
          ),
        );
      };
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          setResult(settleExecutionResult(result, args.document, args.operationName, onUnexpected));
        },
      };
    },
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      if (!result.errors?.length || result.errors.every(settled)) return;
      setResult({ ...result, errors: result.errors.map((e) => settle(e as GraphQLError, 'data' in result && result.data != null)) });
    },
  };
}
