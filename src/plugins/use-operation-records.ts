import { type DocumentNode, Kind, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../builder.js';

/** What is known about one GraphQL request, however far it got: for its metrics and its log line. */
export interface OperationRecord {
  started: number;
  /** The operation's name as the client sent it (unbounded: label and log it only through a bound). */
  name: string;
  type: 'query' | 'mutation' | 'subscription' | 'unknown';
  /** The context, once the request got that far. */
  context?: GatewayContext;
  /** Came over HTTP (yoga parsed its parameters), so it gets an operation log line; not a WebSocket operation. */
  http?: boolean;
}

/** The operation being executed: the one named, or the only one. */
export function operationOf(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  return document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
}

/** The codes of a result's errors, in order, without repeats: the first is its outcome. */
export function errorCodes(result: unknown): string[] {
  const errors = (result as { errors?: Array<{ extensions?: { code?: unknown } }> }).errors ?? [];
  return [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
}

/**
 * Keeps an OperationRecord per request, from the moment it arrives to its result, so that metrics and
 * the log count every request, also those refused before execution (bad variables, invalid documents).
 */
export class OperationRecords {
  private readonly records = new WeakMap<Request, OperationRecord>();

  get(request: Request): OperationRecord {
    let record = this.records.get(request);
    if (!record) {
      record = { started: performance.now(), name: 'anonymous', type: 'unknown' };
      this.records.set(request, record);
    }
    return record;
  }

  /**
   * Forgets a request's record once it is answered. The WeakMap would let it go with the request, but
   * only at a full collection: V8's young collections keep a WeakMap's values alive while the entry
   * exists, and a record holds the request's whole context.
   */
  release(request: Request): void {
    this.records.delete(request);
  }

  plugin(): Plugin<GatewayContext> {
    const records = this;
    return {
      onRequest({ request }) {
        records.get(request);
      },
      // After every onResultProcess (the metrics and the log read the record there).
      onResponse({ request }) {
        records.release(request);
      },
      onParams({ request, params }) {
        const record = records.get(request);
        record.http = true;
        if (typeof params.operationName === 'string' && params.operationName) record.name = params.operationName;
      },
      onValidate({ params, context }) {
        const request = (context as { request?: Request }).request;
        if (!request) return;
        const record = records.get(request);
        const definition = operationOf(params.documentAST, record.name === 'anonymous' ? undefined : record.name);
        if (definition) {
          record.type = definition.operation;
          if (record.name === 'anonymous' && definition.name) record.name = definition.name.value;
        }
      },
      onExecute({ args }) {
        const request = (args.contextValue as { request?: Request }).request;
        if (request) records.get(request).context = args.contextValue;
      },
    };
  }
}
